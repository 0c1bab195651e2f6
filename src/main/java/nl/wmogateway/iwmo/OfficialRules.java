package nl.wmogateway.iwmo;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.intake.Finding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The official iWmo rule set as the gateway applies it at run time, when an operator configured
 * its stylesheet ({@code wmo.iwmo.rules-xslt}, docs/configuration.md): every iWmo message the
 * gateway writes (WMO315, WMO301, WMO319) is checked before it is stored to be sent, and never
 * sent when it breaks a rule; every iWmo message a partner sends in (a gemeente's WMO301/WMO319)
 * is checked before it is read, and refused with the rule set's retourcodes.
 *
 * <p>Without the setting nothing is checked here (the gateway's own checks and the XSDs still
 * apply); the start-up log says so. With it, the stylesheet is compiled while the rest of the
 * gateway starts, and the gateway opens its port only when it is ready: a stylesheet that does not
 * compile stops the start with the reason.
 */
@Component
public class OfficialRules implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(OfficialRules.class);

    private final Optional<IwmoRuleSet> ruleSet;

    public OfficialRules(@Value("${wmo.iwmo.rules-xslt:}") String stylesheet) {
        this.ruleSet = stylesheet == null || stylesheet.isBlank() ? Optional.empty()
                : Optional.of(IwmoRuleSet.of(Path.of(stylesheet.strip())));
    }

    /** The rule set in a given stylesheet, for code that is not a Spring bean (tests, tools). */
    public static OfficialRules of(Optional<Path> stylesheet) {
        return new OfficialRules(stylesheet.map(Path::toString).orElse(""));
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (ruleSet.isEmpty()) {
            log.warn("wmo.iwmo.rules-xslt is not set: iWmo messages are checked against the XSDs and the gateway's own rules,"
                    + " not against the official TR/CD/CS rule set");
            return;
        }
        long start = System.nanoTime();
        ruleSet.get().await();
        log.info("official iWmo rule set {} ready ({} ms waited)", ruleSet.get().stylesheet().getFileName(),
                (System.nanoTime() - start) / 1_000_000);
    }

    public boolean configured() {
        return ruleSet.isPresent();
    }

    /** The report on one message; empty when no rule set is configured. */
    public Optional<IwmoRuleSet.Rapport> check(byte[] message) {
        return ruleSet.map(r -> r.check(message));
    }

    /**
     * The broken rules of {@code message} as findings (code: the retourcode, expression: the XPath
     * in the message), each saying what broke it; empty when it passes or nothing is configured.
     *
     * @param what the message in words, e.g. "the WMO301 for AGB 12345678"
     */
    public List<Finding> problems(byte[] message, String what) {
        return check(message).map(r -> r.fouten().stream().map(f -> Finding.error(f.retourcodeOrDefault(),
                what + " breaks iWmo rule " + f.code() + f.details().map(d -> " (" + d + ")").orElse(""),
                f.locaties().isEmpty() ? "" : f.locaties().get(0))).toList()).orElse(List.of());
    }
}
