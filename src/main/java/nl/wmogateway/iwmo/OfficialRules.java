package nl.wmogateway.iwmo;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.fhir.Finding;

/**
 * The official iWmo rule set as the gateway applies it at run time, when an operator configured
 * its stylesheet ({@code wmo.iwmo.rules-xslt}, docs/configuration.md): every iWmo message the
 * gateway writes (WMO315, WMO301, WMO319) is checked before it is stored to be sent, and never
 * sent when it breaks a rule; every iWmo message a partner sends in (a gemeente's WMO301/WMO319)
 * is checked before it is read, and refused with the rule set's retourcodes.
 *
 * <p>Without the setting nothing is checked here (the gateway's own checks and the XSDs still
 * apply). With it, the stylesheet is compiled in the background from the moment this object is
 * made; {@link #await()} waits for it, and the gateway opens its port only after that: a
 * stylesheet that does not compile stops the start with the reason.
 */
public final class OfficialRules {

    private final Optional<IwmoRuleSet> ruleSet;

    private OfficialRules(Optional<IwmoRuleSet> ruleSet) {
        this.ruleSet = ruleSet;
    }

    /** The rule set in a stylesheet, or none when the setting is blank. */
    public static OfficialRules of(String stylesheet) {
        return stylesheet == null || stylesheet.isBlank()
                ? none()
                : new OfficialRules(Optional.of(IwmoRuleSet.of(Path.of(stylesheet.strip()))));
    }

    /** The rule set in a given stylesheet, when there is one. */
    public static OfficialRules of(Optional<Path> stylesheet) {
        return stylesheet
                .map(p -> new OfficialRules(Optional.of(IwmoRuleSet.of(p))))
                .orElseGet(OfficialRules::none);
    }

    /** No rule set: nothing is checked here. */
    public static OfficialRules none() {
        return new OfficialRules(Optional.empty());
    }

    /** Waits until the stylesheet is compiled; the stylesheet's file, or empty when none is configured. */
    public Optional<Path> await() {
        ruleSet.ifPresent(IwmoRuleSet::await);
        return ruleSet.map(IwmoRuleSet::stylesheet);
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
        return check(message)
                .map(r -> r.fouten().stream()
                        .map(f -> Finding.error(
                                f.retourcodeOrDefault(),
                                what + " breaks iWmo rule " + f.code()
                                        + f.details().map(d -> " (" + d + ")").orElse(""),
                                f.locaties().isEmpty() ? "" : f.locaties().get(0)))
                        .toList())
                .orElse(List.of());
    }
}
