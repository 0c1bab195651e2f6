package nl.wmogateway.app;

import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.partner.CertificateIdentity;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.trust.ExampleCertificates;
import nl.wmogateway.trust.KeyStoreType;
import nl.wmogateway.trust.StoreException;
import nl.wmogateway.trust.TlsContexts;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertyResolver;
import org.springframework.stereotype.Component;

/**
 * Unless the {@code demo} profile is active, the gateway refuses to start with example material: a
 * keystore (TLS or signing, a file or a PKCS#11 token) or truststore holding a certificate of the
 * example PKI (certs-example/), the example password, the simulated gemeente, a partner or operator recognised by the example CA, revocation
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
                props.tls(),
                props.signing(),
                partners,
                env.getProperty("wmo.demo.simulated-gemeente.enabled", Boolean.class, false));
        problems.addAll(settingsProblems(env));
        if (!problems.isEmpty()) {
            throw new Refusal(problems);
        }
    }

    /** The guard's refusal to start, listing every problem; reported without a stack trace ({@link StartupFailures}). */
    static final class Refusal extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        Refusal(List<String> problems) {
            super("the gateway refuses to start with example or unsafe settings"
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
        if (env.getProperty("spring.datasource.password", "").isEmpty()
                && !env.getProperty("wmo.storage.accept-datasource-without-password", Boolean.class, false)) {
            problems.add("the database is opened without a password (set SPRING_DATASOURCE_PASSWORD; for a"
                    + " PostgreSQL that authenticates otherwise, e.g. by certificate, set"
                    + " wmo.storage.accept-datasource-without-password=true)");
        }
        storageKeyProblems(problems, env);
        java.time.Duration audit = org.springframework.boot.convert.DurationStyle.detectAndParse(
                env.getProperty("wmo.retention.audit", "1830d"));
        if (audit.compareTo(MINIMUM_AUDIT_RETENTION) < 0) {
            problems.add("audit records would be kept " + audit.toDays() + " days (wmo.retention.audit);"
                    + " NEN 7513 asks for at least five years (1826 days)");
        }
        return problems;
    }

    /** Five years, leap days included: what NEN 7513 asks of an audit trail at least. */
    static final java.time.Duration MINIMUM_AUDIT_RETENTION = java.time.Duration.ofDays(1826);

    private static void storageKeyProblems(List<String> problems, PropertyResolver env) {
        WmoProperties.Storage storage = new WmoProperties.Storage(
                env.getProperty("wmo.storage.keys", ""),
                env.getProperty("wmo.storage.keys-file", ""),
                env.getProperty("wmo.storage.current-key", ""));
        String list;
        try {
            list = StorageConfig.keyList(storage);
        } catch (IllegalStateException e) {
            problems.add(e.getMessage());
            return;
        }
        if (list.isBlank()) {
            problems.add("no storage keys are set: stored client data must be encrypted (set WMO_STORAGE_KEYS or"
                    + " WMO_STORAGE_KEYS_FILE, docs/privacy.md)");
            return;
        }
        try {
            nl.wmogateway.store.Sealer.parse(list, java.util.Optional.of(storage.currentKey()));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return;
        }
        for (String entry : list.split("[,\\r\\n]+")) {
            int colon = entry.indexOf(':');
            if (colon > 0
                    && StorageConfig.EXAMPLE_KEYS.contains(
                            entry.substring(colon + 1).strip())) {
                problems.add("storage key '" + entry.substring(0, colon).strip()
                        + "' is an example key of the demo; make a key of your own (openssl rand -base64 32)");
            }
        }
    }

    static List<String> problems(
            WmoProperties.Tls tls, WmoProperties.Signing signing, Partners partners, boolean simulatedGemeente) {
        List<String> problems = new ArrayList<>();
        if (EXAMPLE_PASSWORD.equals(tls.keystorePassword())) {
            problems.add("the keystore password is the example password; set WMO_TLS_KEYSTORE_PASSWORD");
        }
        if (EXAMPLE_PASSWORD.equals(tls.truststorePassword())) {
            problems.add("the truststore password is the example password; set WMO_TLS_TRUSTSTORE_PASSWORD");
        }
        examples(problems, "keystore", tls.identity());
        examples(problems, "truststore", tls.truststore(), tls.truststorePassword());
        if (signing.identity().isPresent()) {
            if (EXAMPLE_PASSWORD.equals(signing.keystorePassword())) {
                problems.add(
                        "the signing keystore password is the example password; set WMO_SIGNING_KEYSTORE_PASSWORD");
            }
            examples(problems, "signing keystore", signing.identity().get());
        }
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

    /** The example certificates in a keystore file or PKCS#11 token, each a problem; a token is named by its configuration. */
    private static void examples(List<String> problems, String what, TlsContexts.KeyStoreFile identity) {
        if (identity.type() == KeyStoreType.PKCS12) {
            examples(problems, what, identity.path(), new String(identity.password()));
            return;
        }
        String token = what + " (PKCS#11 token configured in " + identity.path() + ")";
        try {
            for (X509Certificate x : ExampleCertificates.inKeystore(identity)) {
                problems.add("the " + token + " holds example certificate "
                        + x.getSubjectX500Principal().getName());
            }
        } catch (StoreException e) {
            problems.add("the " + token + " cannot be read (" + e.getMessage() + ")");
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
