package nl.wmogateway.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import nl.wmogateway.pki.CertificateSpec;
import nl.wmogateway.pki.CertificateSpec.TlsRole;
import nl.wmogateway.pki.Credential;
import nl.wmogateway.pki.Pki;
import nl.wmogateway.pki.Validity;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.InboundMessage;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import nl.wmogateway.trust.CertificateExpiry;
import nl.wmogateway.trust.TlsClients;
import nl.wmogateway.trust.TlsContexts;
import nl.wmogateway.trust.TlsContexts.TrustStoreFile;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * Against the running gateway (Tomcat, the SSL bundle, the gateway trust manager): clients that
 * must not get in are refused in the TLS handshake, each refusal is in the audit trail with its
 * reason, and their plan is neither stored nor delivered.
 */
class CertificateTrustTest extends GatewayTestBase {

    private static final char[] PASSWORD = TestPkiFiles.PASSWORD.toCharArray();

    @Autowired
    AuditLog audit;

    @Autowired
    MeterRegistry meters;

    @Autowired
    HealthContributorRegistry health;

    private Instant start;
    private Optional<String> lastInbound;

    @BeforeEach
    void rememberWhereWeAre() {
        start = Instant.now().minusSeconds(1);
        lastInbound = latestInbound();
    }

    @AfterEach
    void nothingWasProcessed() {
        assertThat(latestInbound()).as("the latest inbound message").isEqualTo(lastInbound);
        assertThat(GEMEENTE.getAllServeEvents())
                .as("requests that reached the gemeente")
                .isEmpty();
    }

    @Test
    void theEhrWithAValidCertificateGetsIn() throws IOException {
        SSLContext ehr = presenting(TestPkiFiles.EHR);

        String status = TlsClients.exchange(
                ehr,
                TlsContexts.clientParameters(ehr),
                port,
                "GET /fhir/metadata HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(status).isEqualTo("HTTP/1.1 200 ");
    }

    @Test
    void aClientWithoutACertificateIsRefusedAtTheHandshakeAndAudited() {
        SSLContext anonymous = TlsContexts.sslContext(new TrustStoreFile(TestPkiFiles.TRUSTSTORE, PASSWORD));

        assertRefused(() -> submit(anonymous, TlsContexts.clientParameters(anonymous)));

        awaitAudited("(none)", "no-certificate");
    }

    @Test
    void aClientCertificateFromAForeignCaIsRefusedAtTheHandshakeAndAudited() {
        SSLContext foreign = presenting(TestPkiFiles.FOREIGN);

        assertRefused(() -> submit(foreign, TlsContexts.clientParameters(foreign)));

        awaitAudited(TestPkiFiles.EHR_SUBJECT, "untrusted-chain");
    }

    @Test
    void aRefusedCertificateWithAVeryLongSubjectIsAuditedWithTheWholeSubject(@TempDir Path dir) {
        String subject = "CN=" + "a-very-long-organisation-unit-name-".repeat(12) + "ehr.example,O=Elsewhere,C=NL";
        Pki pki = Pki.random();
        Validity valid =
                Validity.between(LocalDate.now().minusDays(1), LocalDate.now().plusDays(30));
        Credential foreignRoot =
                pki.rootCa(CertificateSpec.of("long-root", "CN=Long Subject Root,O=Elsewhere,C=NL", valid));
        Credential leaf = pki.leaf(CertificateSpec.of("long", subject, valid).withRoles(TlsRole.CLIENT), foreignRoot);
        Path keystore = dir.resolve("long-subject.p12");
        Pki.writeKeystore(keystore, leaf, "long", PASSWORD);
        String expected = leaf.certificate().getSubjectX500Principal().getName();
        assertThat(expected).hasSizeGreaterThan(400);
        SSLContext longSubject = presenting(keystore);

        assertRefused(() -> submit(longSubject, TlsContexts.clientParameters(longSubject)));

        awaitAudited(expected, "untrusted-chain");
    }

    @Test
    void anExpiredClientCertificateIsRefusedAtTheHandshakeAndAudited() {
        SSLContext expired = presenting(TestPkiFiles.EXPIRED);

        assertRefused(() -> submit(expired, TlsContexts.clientParameters(expired)));

        awaitAudited(TestPkiFiles.EXPIRED_SUBJECT, "expired");
    }

    @Test
    void aRevokedClientCertificateIsRefusedAtTheHandshakeAndAudited() {
        SSLContext revoked = presenting(TestPkiFiles.REVOKED);

        assertRefused(() -> submit(revoked, TlsContexts.clientParameters(revoked)));

        awaitAudited(TestPkiFiles.REVOKED_SUBJECT, "revoked");
    }

    @Test
    void aTls11ClientIsRefusedAtTheHandshakeAndAudited() throws IOException {
        byte[] answer = TlsClients.answerTo(TlsClients.clientHello((byte) 2), port, Duration.ofSeconds(10));

        assertThat(TlsClients.isServerHello(answer))
                .as("the gateway answered with a ServerHello")
                .isFalse();
        awaitAudited("(none)", "protocol-version");
    }

    @Test
    void aClientOfferingOnlyWeakCipherSuitesIsRefusedAtTheHandshakeAndAudited() {
        SSLContext ehr = presenting(TestPkiFiles.EHR);
        SSLParameters weak = TlsContexts.clientParameters(ehr);
        weak.setProtocols(new String[] {"TLSv1.2"});
        weak.setCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"});

        assertRefused(() -> submit(ehr, weak));

        awaitAudited("(none)", "no-shared-cipher");
    }

    /** JSSE refuses it with jdk.tls.rejectClientInitiatedRenegotiation (set by TrustConfig), the engine also. */
    @Test
    void aTls12ClientThatTriesToRenegotiateIsCutOffAndAudited() throws IOException {
        SSLContext ehr = presenting(TestPkiFiles.EHR);
        SSLParameters tls12 = TlsContexts.clientParameters(ehr);
        tls12.setProtocols(new String[] {"TLSv1.2"});
        try (SSLSocket socket = (SSLSocket) ehr.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.setSSLParameters(tls12);
            socket.startHandshake();

            assertThatThrownBy(() -> {
                        socket.startHandshake();
                        socket.getOutputStream()
                                .write("GET /fhir/metadata HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(UTF_8));
                        socket.getInputStream().read();
                    })
                    .isInstanceOf(IOException.class);
        }
        awaitAudited("(none)", "renegotiation");
    }

    @Test
    void theCertificatesHealthAndExpiryGaugesCoverTheGatewayAndTheTrustedCas() {
        HealthIndicator certificates = (HealthIndicator) health.getContributor("certificates");

        assertThat(certificates.health().getStatus()).isEqualTo(Status.UP);
        assertThat(meters.get(CertificateExpiry.GAUGE)
                        .tag("certificate", "gateway.test")
                        .tag("role", "gateway")
                        .gauge()
                        .value())
                .isBetween(700.0, 740.0);
        assertThat(meters.get(CertificateExpiry.GAUGE)
                        .tag("certificate", "Wmo Test Issuing CA")
                        .gauge())
                .isNotNull();
        assertThat(meters.get(CertificateExpiry.GAUGE)
                        .tag("certificate", "Wmo Test Root CA")
                        .gauge())
                .isNotNull();
    }

    private static SSLContext presenting(Path keystore) {
        return TlsClients.presenting(keystore, PASSWORD, TestPkiFiles.TRUSTSTORE);
    }

    /** POSTs a valid plan over a fresh connection; the status line of the answer. */
    private String submit(SSLContext context, SSLParameters parameters) throws IOException {
        byte[] body = FhirContext.forR4Cached()
                .newJsonParser()
                .encodeResourceToString(Requests.fresh())
                .getBytes(UTF_8);
        String request = "POST /fhir HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n" + new String(body, UTF_8);
        return TlsClients.exchange(context, parameters, port, request);
    }

    private static void assertRefused(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(IOException.class);
    }

    private void awaitAudited(String actor, String reason) {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(handshakeEvents()).anySatisfy(e -> {
                    assertThat(e.actor()).isEqualTo(actor);
                    assertThat(e.outcome()).isEqualTo("REFUSED");
                    assertThat(e.detail()).contains(reason);
                }));
    }

    private List<AuditLog.Event> handshakeEvents() {
        return audit.recent(500).stream()
                .filter(e -> e.action().equals("TLS_HANDSHAKE") && !e.at().isBefore(start))
                .toList();
    }

    private Optional<String> latestInbound() {
        return store.recentInbound(1).stream().findFirst().map(InboundMessage::id);
    }
}
