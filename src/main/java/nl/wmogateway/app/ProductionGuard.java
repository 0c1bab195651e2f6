package nl.wmogateway.app;

import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.partner.CertificateIdentity;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.trust.ExampleCertificates;
import nl.wmogateway.trust.StoreException;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertyResolver;
import org.springframework.stereotype.Component;

/**
 * Unless the {@code demo} profile is active, the gateway refuses to start with example material: a
 * keystore or truststore holding a certificate of the example PKI (certs-example/), the example
 * password, the simulated gemeente, a partner or operator recognised by the example CA, revocation
 * checking off, or an HTTPS port that does not require client certificates. Safe by default: a
 * plain {@code java -jar} (or a mistyped profile name) is guarded; only the demo, which
 * {@code mvn spring-boot:run} starts, is not. Checked before the HTTPS port opens; every problem is
 * listed at once.
 */
@Component
@Profile("!" + ProductionGuard.DEMO_PROFILE)
class ProductionGuard {

    /** The profile of the demo (example certificates and partners, simulated gemeente): the only unguarded one. */
    static final String DEMO_PROFILE = "demo";

    public static final String EXAMPLE_PASSWORD = "changeit";

    public ProductionGuard(WmoProperties props, Partners partners, Environment env) {
        List<String> problems = problems(
                props.tls(), partners, env.getProperty("wmo.demo.simulated-gemeente.enabled", Boolean.class, false));
        problems.addAll(settingsProblems(env));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the gateway refuses to start with example or unsafe settings"
                    + " (the demo runs with the profile " + DEMO_PROFILE + ": mvn spring-boot:run):\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    /** What the settings allow that a real installation must not: revocation off or soft-fail unasked, no client auth. */
    static List<String> settingsProblems(PropertyResolver env) {
        List<String> problems = new ArrayList<>();
        String mode = env.getProperty("wmo.trust.revocation-mode", "");
        if ("OFF".equalsIgnoreCase(mode)) {
            problems.add("revocation checking is off (wmo.trust.revocation-mode=OFF)");
        }
        if ("SOFT_FAIL".equalsIgnoreCase(mode)
                && !env.getProperty("wmo.trust.accept-soft-fail", Boolean.class, false)) {
            problems.add("wmo.trust.revocation-mode=SOFT_FAIL accepts certificates whose revocation status is unknown;"
                    + " set wmo.trust.accept-soft-fail=true to run so on purpose");
        }
        if (!"need".equalsIgnoreCase(env.getProperty("server.ssl.client-auth", ""))) {
            problems.add("the HTTPS port does not require a client certificate (server.ssl.client-auth must be need)");
        }
        return problems;
    }

    static List<String> problems(WmoProperties.Tls tls, Partners partners, boolean simulatedGemeente) {
        List<String> problems = new ArrayList<>();
        if (EXAMPLE_PASSWORD.equals(tls.keystorePassword())) {
            problems.add("the keystore password is the example password; set WMO_TLS_KEYSTORE_PASSWORD");
        }
        if (EXAMPLE_PASSWORD.equals(tls.truststorePassword())) {
            problems.add("the truststore password is the example password; set WMO_TLS_TRUSTSTORE_PASSWORD");
        }
        examples(problems, "keystore", tls.keystore(), tls.keystorePassword());
        examples(problems, "truststore", tls.truststore(), tls.truststorePassword());
        if (simulatedGemeente) {
            problems.add("the simulated gemeente of the demo is enabled (wmo.demo.simulated-gemeente.enabled)");
        }
        partners.gemeenten().forEach(g -> byExampleCa(problems, "gemeente " + g.gemeentecode(), g.certificate()));
        partners.zorgorganisaties().forEach(z -> byExampleCa(problems, "zorgorganisatie " + z.agb(), z.certificate()));
        partners.operators().forEach(o -> byExampleCa(problems, "operator " + o.naam(), o.certificate()));
        return problems;
    }

    private static void byExampleCa(List<String> problems, String who, CertificateIdentity identity) {
        if (identity != null
                && identity.issuer()
                        .filter(i -> i.contains(ExampleCertificates.NOT_FOR_PRODUCTION))
                        .isPresent()) {
            problems.add(who + " is recognised by the example CA");
        }
    }

    private static void examples(List<String> problems, String what, java.nio.file.Path file, String password) {
        if (!Files.isRegularFile(file)) {
            problems.add("the " + what + " " + file + " does not exist");
            return;
        }
        try {
            for (X509Certificate x : ExampleCertificates.inStore(file, password.toCharArray(), what)) {
                problems.add("the " + what + " " + file + " holds example certificate "
                        + x.getSubjectX500Principal().getName());
            }
        } catch (StoreException e) {
            problems.add("the " + what + " " + file + " cannot be read (" + e.getMessage() + ")");
        }
    }
}
