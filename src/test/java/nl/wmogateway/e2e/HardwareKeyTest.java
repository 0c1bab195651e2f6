package nl.wmogateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import nl.wmogateway.support.TestPkiFiles;
import nl.wmogateway.support.engines.DistinctPlans;
import nl.wmogateway.support.engines.EhrClient;
import nl.wmogateway.support.engines.FakeGemeente;
import nl.wmogateway.support.engines.GatewayProcess;
import nl.wmogateway.support.engines.SoftHsm;
import nl.wmogateway.trust.DetachedSignature;
import nl.wmogateway.trust.KeyMaterial;
import nl.wmogateway.trust.SignatureVerifier;
import nl.wmogateway.trust.TlsContexts;
import nl.wmogateway.trust.TrustAnchors;
import nl.wmogateway.trust.Verification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway with its keys in a PKCS#11 token, as in production with an HSM: a SoftHSM2 token of
 * its own holds the TLS key and a separate signing key (put in with keytool, as docs/certificates.md
 * tells operators), and the gateway runs in a JVM of its own with {@code wmo.tls.keystore-type:
 * PKCS11} and {@code wmo.signing.keystore-type: PKCS11}. No PKCS#12 file of the gateway's is
 * configured. The HTTPS port presents the token's TLS key, a plan is delivered to the gemeente over
 * mutual TLS with it, and the delivery's signature is the signing key's. A start with a wrong PIN
 * ends with one plain message naming the token. Skipped, with the reason, where SoftHSM2 is not
 * installed.
 */
class HardwareKeyTest {

    private static final String PIN = "hsm-test-4711";

    private static SoftHsm token;
    private static FakeGemeente gemeente;
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() {
        SoftHsm.assumeAvailable();
        token = SoftHsm.token("gateway", PIN)
                .importKey(TestPkiFiles.GATEWAY, TestPkiFiles.PASSWORD, "gateway", "gateway")
                .importKey(TestPkiFiles.SIGNING, TestPkiFiles.PASSWORD, "gateway-signing", "signing");
        gemeente = FakeGemeente.start();
        gateway = new GatewayProcess("hsm-gateway", settings(PIN), token.environment());
        gateway.start().awaitReady(Duration.ofMinutes(3));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.stop();
        }
        if (gemeente != null) {
            gemeente.stop();
        }
    }

    private static Map<String, String> settings(String pin) {
        Map<String, String> settings = new LinkedHashMap<>(GatewayProcess.testSettings(gemeente.writePartners()));
        settings.put("wmo.tls.keystore", "/nonexistent/no-keystore-file.p12");
        settings.put("wmo.tls.keystore-type", "PKCS11");
        settings.put("wmo.tls.pkcs11-config", token.config().toString());
        settings.put("wmo.tls.keystore-password", pin);
        settings.put("wmo.tls.key-alias", "gateway");
        settings.put("wmo.signing.keystore-type", "PKCS11");
        settings.put("wmo.signing.pkcs11-config", token.config().toString());
        settings.put("wmo.signing.keystore-password", pin);
        settings.put("wmo.signing.key-alias", "signing");
        return settings;
    }

    @Test
    void theHttpsPortPresentsTheTlsKeyFromTheToken() throws Exception {
        SSLContext ehr = TlsContexts.sslContext(
                TestPkiFiles.EHR,
                TestPkiFiles.PASSWORD.toCharArray(),
                Optional.empty(),
                TestPkiFiles.TRUSTSTORE,
                TestPkiFiles.PASSWORD.toCharArray());

        for (String protocol : TlsContexts.PROTOCOLS) {
            try (SSLSocket socket =
                    (SSLSocket) ehr.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), gateway.port())) {
                socket.setEnabledProtocols(new String[] {protocol});
                socket.startHandshake();
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(tlsCertificate());
            }
        }
        assertThat(log())
                .contains("TLS key 'gateway' (CN=gateway.test,O=Wmo Gateway Test,C=NL) from PKCS#11 token "
                        + token.providerName())
                .contains("presents key 'gateway' from PKCS#11 token " + token.providerName());
    }

    @Test
    void aPlanGoesToTheGemeenteOverTlsWithTheTokensKeyAndCarriesTheSigningKeysSignature() throws Exception {
        DistinctPlans.Plan plan = DistinctPlans.make(1, "hsm", 11).get(0);

        EhrClient.Answer answer = new EhrClient().submit(gateway.baseUrl(), plan.json(), Duration.ofSeconds(60));

        assertThat(answer.taskStatus()).as(answer.body()).contains(201);
        String taskId = answer.taskId().orElseThrow();
        // the gemeente requires a client certificate from the test CA: only the token's TLS key has one
        await().atMost(Duration.ofSeconds(90)).until(() -> gemeente.delivered(taskId));
        List<FakeGemeente.Delivery> deliveries = gemeente.deliveries().stream()
                .filter(d -> d.requestId().equals(taskId))
                .toList();
        SignatureVerifier verifier = SignatureVerifier.trusting(
                TrustAnchors.load(TestPkiFiles.TRUSTSTORE, TestPkiFiles.PASSWORD.toCharArray())
                        .certificates());
        X509Certificate signingCertificate = signingCertificate();
        for (FakeGemeente.Delivery delivery : deliveries) {
            assertThat(delivery.signature())
                    .as(delivery.rendering() + " is signed")
                    .isPresent();
            Verification verification = verifier.verifyWithEmbeddedCertificate(
                    delivery.body(),
                    DetachedSignature.fromBase64(delivery.signature().get()).der(),
                    c -> true);
            assertThat(verification.isValid()).as(verification.toString()).isTrue();
            assertThat(verification.signer()).as("signed by").contains(signingCertificate);
            assertThat(signingCertificate).isNotEqualTo(tlsCertificate());
        }
        assertThat(log())
                .contains("payload signatures: by the signing key 'signing' (" + TestPkiFiles.SIGNING_SUBJECT
                        + ") from PKCS#11 token " + token.providerName());
    }

    @Test
    void aWrongPinEndsTheStartWithOneMessageNamingTheTokenAndNoStackTrace() throws IOException {
        GatewayProcess wrongPin = new GatewayProcess("hsm-wrong-pin", settings("not-" + PIN), token.environment());

        int exit = wrongPin.start().awaitExit(Duration.ofMinutes(3));
        String output = Files.readString(wrongPin.log(), StandardCharsets.UTF_8);

        assertThat(exit).as(output).isNotZero();
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("PKCS#11 token " + token.providerName() + " (" + token.config() + ")")
                .contains("wrong PIN")
                .doesNotContain("not-" + PIN)
                .doesNotContain("Started WmoGatewayApplication");
        assertThat(output.lines().filter(line -> line.matches("\\s+at [\\w.$]+\\(.*\\)")))
                .as("stack trace lines in:%n%s", output)
                .isEmpty();
    }

    private static String log() throws IOException {
        return Files.readString(gateway.log(), StandardCharsets.UTF_8);
    }

    private static X509Certificate tlsCertificate() {
        return KeyMaterial.load(TestPkiFiles.GATEWAY, TestPkiFiles.PASSWORD.toCharArray(), Optional.empty())
                .certificate();
    }

    private static X509Certificate signingCertificate() {
        return KeyMaterial.load(TestPkiFiles.SIGNING, TestPkiFiles.PASSWORD.toCharArray(), Optional.empty())
                .certificate();
    }
}
