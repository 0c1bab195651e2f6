package nl.wmogateway.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example PKI under certs-example/ with the default settings of application.yaml (HARD_FAIL,
 * the example CRL): the demo's partners get in, its broken certificates do not.
 */
class CertsExampleTrustTest {

    static final Path EXAMPLE = Path.of("certs-example");
    static final Instant IN_2030 = Instant.parse("2030-01-01T00:00:00Z");

    static CrlStore crls;
    static CertificateValidator validator;

    @BeforeAll
    static void loadTheExampleTrust() {
        TrustAnchors anchors = TrustAnchors.load(EXAMPLE.resolve("truststore.p12"), "changeit".toCharArray());
        crls = new CrlStore(
                List.of(EXAMPLE.resolve("issuing-ca.crl.pem").toString()),
                anchors.certificates(),
                Duration.ofHours(1),
                Duration.ofSeconds(10),
                Clock.systemUTC());
        crls.start();
        validator = new CertificateValidator(anchors, crls, RevocationMode.HARD_FAIL, Duration.ZERO, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        crls.close();
    }

    @Test
    void theExampleEhrAndGemeentenAreTrusted() throws Exception {
        assertThat(validate("ehr-thuiszorg", Purpose.CLIENT)).isEqualTo("valid");
        assertThat(validate("gemeente-0153", Purpose.SERVER)).isEqualTo("valid");
        assertThat(validate("gemeente-0363", Purpose.CLIENT)).isEqualTo("valid");
        assertThat(validate("gateway", Purpose.SERVER)).isEqualTo("valid");
    }

    @Test
    void theExampleRevokedExpiredAndForeignCertificatesAreRefused() throws Exception {
        assertThat(validate("revoked", Purpose.CLIENT)).isEqualTo("revoked");
        assertThat(validate("expired", Purpose.CLIENT)).isEqualTo("expired");
        assertThat(validate("foreign-client", Purpose.CLIENT)).isEqualTo("untrusted-chain");
    }

    private static String validate(String name, Purpose purpose) throws IOException, GeneralSecurityException {
        X509Certificate leaf = certificate(EXAMPLE.resolve(name + ".crt.pem"));
        X509Certificate issuing = certificate(EXAMPLE.resolve("issuing-ca.crt.pem"));
        return validator.validate(List.of(leaf, issuing), purpose, IN_2030).code();
    }

    private static X509Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
