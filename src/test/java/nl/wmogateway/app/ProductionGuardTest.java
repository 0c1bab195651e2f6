package nl.wmogateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.partner.CertificateIdentity;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.partner.ZorgorganisatiePartner;
import nl.wmogateway.support.TestPkiFiles;
import nl.wmogateway.trust.KeyStoreType;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class ProductionGuardTest {

    private static final Partners NO_PARTNERS = new Partners(List.of(), List.of(), List.of());
    private static final WmoProperties.Signing NO_SIGNING_KEY =
            new WmoProperties.Signing(null, "", "", KeyStoreType.PKCS12, null);

    @Test
    void theExampleCertificatesAreRefused() {
        List<String> problems = ProductionGuard.problems(
                new WmoProperties.Tls(
                        Path.of("certs-example/gateway.p12"),
                        "changeit",
                        "",
                        Path.of("certs-example/truststore.p12"),
                        "changeit",
                        KeyStoreType.PKCS12,
                        null),
                NO_SIGNING_KEY,
                NO_PARTNERS,
                false);

        assertThat(problems)
                .anyMatch(p -> p.contains("keystore password is the example password"))
                .anyMatch(p -> p.contains("keystore certs-example/gateway.p12 holds example certificate"))
                .anyMatch(p -> p.contains("truststore certs-example/truststore.p12 holds example certificate"));
    }

    @Test
    void theDemoGemeenteAndPartnersRecognisedByTheExampleCaAreRefused() {
        Partners partners = new Partners(
                List.of(),
                List.of(new ZorgorganisatiePartner(
                        "12345678",
                        Optional.empty(),
                        "Test",
                        new CertificateIdentity(
                                Optional.of("CN=x"),
                                Optional.of(
                                        "CN=Wmo Gateway Example Issuing CA,O=Wmo Gateway Example — NOT FOR PRODUCTION,C=NL"),
                                Optional.empty()),
                        Optional.empty(),
                        Optional.empty(),
                        null)),
                List.of());

        List<String> problems = ProductionGuard.problems(realTls(), NO_SIGNING_KEY, partners, true);

        assertThat(problems)
                .containsExactlyInAnyOrder(
                        "the simulated gemeente of the demo is enabled (wmo.demo.simulated-gemeente.enabled)",
                        "zorgorganisatie 12345678 is recognised by the example CA");
    }

    @Test
    void certificatesOfAnotherPkiWithOwnPasswordsPass() {
        assertThat(ProductionGuard.problems(realTls(), NO_SIGNING_KEY, NO_PARTNERS, false))
                .isEmpty();
        assertThat(ProductionGuard.problems(realTls(), realSigningKey(), NO_PARTNERS, false))
                .isEmpty();
    }

    @Test
    void anExampleSigningKeystoreIsRefusedLikeAnExampleTlsKeystore() {
        WmoProperties.Signing example = new WmoProperties.Signing(
                Path.of("certs-example/gateway.p12"), "changeit", "", KeyStoreType.PKCS12, null);

        List<String> problems = ProductionGuard.problems(realTls(), example, NO_PARTNERS, false);

        assertThat(problems)
                .contains("the signing keystore password is the example password; set WMO_SIGNING_KEYSTORE_PASSWORD")
                .contains("the signing keystore certs-example/gateway.p12 holds example certificate"
                        + " CN=gateway.wmo-gateway.example,O=Wmo Gateway Example,C=NL")
                .allMatch(p -> p.startsWith("the signing keystore "));
    }

    @Test
    void aSigningKeystoreThatCannotBeReadOrIsMissingIsNamed() {
        WmoProperties.Signing missing =
                new WmoProperties.Signing(Path.of("/nonexistent/signing.p12"), "s3cret", "", KeyStoreType.PKCS12, null);
        WmoProperties.Signing wrongPassword =
                new WmoProperties.Signing(TestPkiFiles.SIGNING, "not-the-password", "", KeyStoreType.PKCS12, null);

        assertThat(ProductionGuard.problems(realTls(), missing, NO_PARTNERS, false))
                .containsExactly("the signing keystore /nonexistent/signing.p12 does not exist");
        assertThat(ProductionGuard.problems(realTls(), wrongPassword, NO_PARTNERS, false))
                .singleElement()
                .asString()
                .contains("the signing keystore " + TestPkiFiles.SIGNING + " cannot be read")
                .contains("wrong password")
                .doesNotContain("not-the-password");
    }

    @Test
    void aPkcs11TokenWhoseConfigurationIsMissingIsNamedByItsConfiguration() {
        WmoProperties.Tls token = new WmoProperties.Tls(
                Path.of("unused.p12"),
                "1234",
                "gateway",
                TestPkiFiles.TRUSTSTORE,
                TestPkiFiles.PASSWORD,
                KeyStoreType.PKCS11,
                Path.of("/nonexistent/pkcs11.cfg"));

        assertThat(ProductionGuard.problems(token, NO_SIGNING_KEY, NO_PARTNERS, false))
                .singleElement()
                .asString()
                .startsWith("the keystore (PKCS#11 token configured in /nonexistent/pkcs11.cfg) cannot be read")
                .contains("does not exist")
                .doesNotContain("1234");
    }

    @Test
    void aMissingKeystoreIsNamed() {
        List<String> problems = ProductionGuard.problems(
                new WmoProperties.Tls(
                        Path.of("/nonexistent/gateway.p12"),
                        "s3cret",
                        "",
                        TestPkiFiles.TRUSTSTORE,
                        TestPkiFiles.PASSWORD,
                        KeyStoreType.PKCS12,
                        null),
                NO_SIGNING_KEY,
                NO_PARTNERS,
                false);

        assertThat(problems).containsExactly("the keystore /nonexistent/gateway.p12 does not exist");
    }

    private static WmoProperties.Tls realTls() {
        return new WmoProperties.Tls(
                TestPkiFiles.GATEWAY,
                TestPkiFiles.PASSWORD,
                "",
                TestPkiFiles.TRUSTSTORE,
                TestPkiFiles.PASSWORD,
                KeyStoreType.PKCS12,
                null);
    }

    private static WmoProperties.Signing realSigningKey() {
        return new WmoProperties.Signing(TestPkiFiles.SIGNING, TestPkiFiles.PASSWORD, "", KeyStoreType.PKCS12, null);
    }

    @Test
    void revocationOffSoftFailUnaskedAndNoClientAuthAreRefused() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("wmo.trust.revocation-mode", "SOFT_FAIL")
                .withProperty("server.ssl.client-auth", "want");

        assertThat(ProductionGuard.settingsProblems(env))
                .anySatisfy(p -> assertThat(p).contains("SOFT_FAIL").contains("wmo.trust.accept-soft-fail=true"))
                .anySatisfy(p -> assertThat(p).contains("server.ssl.client-auth must be need"));
        assertThat(ProductionGuard.settingsProblems(env.withProperty("wmo.trust.revocation-mode", "OFF")))
                .anySatisfy(p -> assertThat(p).contains("revocation checking is off"));
    }

    @Test
    void softFailOnPurposeAndClientAuthNeedPass() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("wmo.trust.revocation-mode", "SOFT_FAIL")
                .withProperty("wmo.trust.accept-soft-fail", "true")
                .withProperty("server.ssl.client-auth", "need")
                .withProperty("spring.datasource.password", "a-password")
                .withProperty("wmo.storage.keys", nl.wmogateway.support.engines.GatewayProcess.STORAGE_KEYS);

        assertThat(ProductionGuard.settingsProblems(env)).isEmpty();
        assertThat(ProductionGuard.settingsProblems(env.withProperty("wmo.trust.revocation-mode", "HARD_FAIL")))
                .isEmpty();
    }

    @Test
    void aDatabaseWithoutPasswordMissingOrExampleStorageKeysAndAShortAuditRetentionAreRefused() {
        MockEnvironment env = new MockEnvironment().withProperty("server.ssl.client-auth", "need");

        assertThat(ProductionGuard.settingsProblems(env))
                .anySatisfy(p -> assertThat(p).contains("the database is opened without a password"))
                .anySatisfy(p -> assertThat(p).contains("no storage keys are set"));

        env.withProperty(
                        "wmo.storage.keys",
                        "example-1:N8ZYF5P0IcXsgI1M6hCgQXroMoNfUV6Fcg9KucTvX7E=,"
                                + "pseudonym:AhgE1Cl9TwDy6UrBL7fd964HB0cq4kb6qjup/oLWArk=")
                .withProperty("wmo.retention.audit", "365d");
        assertThat(ProductionGuard.settingsProblems(env))
                .anySatisfy(p -> assertThat(p).contains("storage key 'example-1' is an example key"))
                .anySatisfy(p -> assertThat(p).contains("storage key 'pseudonym' is an example key"))
                .anySatisfy(p -> assertThat(p).contains("kept 365 days").contains("at least five years"));

        env.withProperty("wmo.storage.keys", "k1:c2hvcnQ=,pseudonym:c2hvcnQ=");
        assertThat(ProductionGuard.settingsProblems(env))
                .anySatisfy(p -> assertThat(p).contains("storage key 'k1' must be 32 bytes"));

        env.withProperty("spring.datasource.password", "")
                .withProperty("wmo.storage.accept-datasource-without-password", "true");
        assertThat(ProductionGuard.settingsProblems(env))
                .noneSatisfy(p -> assertThat(p).contains("without a password"));
    }
}
