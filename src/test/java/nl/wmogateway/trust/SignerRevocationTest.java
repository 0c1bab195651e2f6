package nl.wmogateway.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import nl.wmogateway.pki.Credential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signature is judged by the same certificate validator as a TLS handshake: a partner whose key
 * was revoked cannot sign a message the gateway believes, whatever the signature itself says.
 */
class SignerRevocationTest {

    private static final byte[] PAYLOAD = "{\"schema\":\"beschikking-json/1\"}".getBytes(StandardCharsets.UTF_8);

    static TrustPki pki;

    @TempDir
    Path dir;

    private CrlStore crls;

    @BeforeAll
    static void makeThePki() {
        pki = new TrustPki();
    }

    @AfterEach
    void closeCrls() {
        if (crls != null) {
            crls.close();
        }
    }

    @Test
    void aSignatureByAPartnerWhoseCertificateIsNotRevokedVerifies() {
        Verification v = verifier(RevocationMode.HARD_FAIL)
                .verifyWithEmbeddedCertificate(PAYLOAD, signedBy(pki.client), c -> true);

        assertThat(v.isValid()).as(v.detail()).isTrue();
        assertThat(v.signer()).contains(pki.client.certificate());
    }

    @Test
    void aSignatureByARevokedPartnerIsAWrongSignerWithTheReason() {
        Verification v = verifier(RevocationMode.HARD_FAIL)
                .verifyWithEmbeddedCertificate(PAYLOAD, signedBy(pki.revoked), c -> true);

        assertThat(v.isValid()).isFalse();
        assertThat(v.outcome()).isEqualTo(Verification.Outcome.WRONG_SIGNER);
        assertThat(v.detail()).contains("revoked").contains("KEY_COMPROMISE");
    }

    @Test
    void aRevokedSignerIsRefusedInSoftFailModeToo() {
        Verification v = verifier(RevocationMode.SOFT_FAIL)
                .verifyWithEmbeddedCertificate(PAYLOAD, signedBy(pki.revoked), c -> true);

        assertThat(v.outcome()).isEqualTo(Verification.Outcome.WRONG_SIGNER);
    }

    @Test
    void withRevocationCheckingOffTheRevokedSignerIsAcceptedAsTheModeSays() {
        Verification v =
                verifier(RevocationMode.OFF).verifyWithEmbeddedCertificate(PAYLOAD, signedBy(pki.revoked), c -> true);

        assertThat(v.isValid()).as(v.detail()).isTrue();
    }

    private SignatureVerifier verifier(RevocationMode mode) {
        String crl = TrustPki.write(dir.resolve("issuing.crl.pem"), pki.crl(pki.issuing, pki.revoked));
        crls = new CrlStore(
                List.of(crl),
                pki.anchors().certificates(),
                Duration.ofHours(1),
                Duration.ofSeconds(2),
                Clock.systemUTC());
        crls.start();
        return SignatureVerifier.using(
                new CertificateValidator(pki.anchors(), crls, mode, Duration.ZERO, Clock.systemUTC()));
    }

    private static byte[] signedBy(Credential signer) {
        return PayloadSigner.of(signer.privateKey(), signer.chain())
                .sign(PAYLOAD)
                .der();
    }
}
