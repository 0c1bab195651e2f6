package nl.wmogateway.trust;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import nl.wmogateway.pki.Credential;
import nl.wmogateway.pki.Pki;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TLS on loopback with the {@link GatewayTrustManager} on both ends: a JDK HttpsServer that
 * checks client certificates through it (with {@link AuditingSslContext} engines, as Tomcat gets
 * them), and the gateway's outbound HttpClient checking servers through it.
 */
class GatewayTrustManagerTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    static TrustPki pki;
    static String crl;
    static final List<HandshakeEvent> events = new CopyOnWriteArrayList<>();
    /** One audit for trust manager and engines, as in the gateway: it reports each failed handshake once. */
    static final HandshakeAudit audit = new HandshakeAudit(events::add);

    static final AtomicInteger requests = new AtomicInteger();
    static HttpsServer server;
    static CrlStore crls;

    @BeforeAll
    static void startTheServer() throws IOException {
        pki = new TrustPki();
        crl = TrustPki.write(dir.resolve("issuing.crl.pem"), pki.crl(pki.issuing, pki.revoked, pki.revokedServer));
        crls = crlStore(crl);
        server = start(pki.server, trustManager(RevocationMode.HARD_FAIL, crls), true);
    }

    @AfterAll
    static void stopTheServer() {
        server.stop(0);
        crls.close();
    }

    @BeforeEach
    void reset() {
        events.clear();
        requests.set(0);
    }

    @AfterEach
    void noEventIsRecordedTwice() {
        assertThat(events).doesNotHaveDuplicates();
    }

    @Test
    void aValidClientIsServedAndNothingIsAudited() throws Exception {
        String status = call(pki.client, server);

        assertThat(status).isEqualTo("HTTP/1.1 200 OK");
        assertThat(events).isEmpty();
    }

    @Test
    void aRevokedClientIsRefusedAtTheHandshakeAndAudited() {
        assertRefused(() -> call(pki.revoked, server));

        assertThat(events)
                .singleElement()
                .isEqualTo(new HandshakeEvent(
                        "CN=revoked.trust-test.example,O=Thuiszorg Test,C=NL",
                        "REFUSED",
                        "revoked",
                        events.get(0).message()));
        assertThat(events.get(0).message()).contains("revoked since");
    }

    @Test
    void aClientFromAForeignCaIsRefusedAndAuditedAsUntrustedChain() {
        assertRefused(() -> call(pki.foreign, server));

        assertThat(events).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo("untrusted-chain"));
    }

    @Test
    void aClientWithoutACertificateIsRefusedAndAuditedAsNoCertificate() {
        SSLContext anonymous = trustOnly();

        assertRefused(() -> TlsClients.get(anonymous, TlsContexts.clientParameters(anonymous), port(server)));

        awaitEvent("no-certificate");
    }

    @Test
    void aTls11ClientHelloGetsNoServerHelloAndIsAudited() throws IOException {
        byte[] answer = TlsClients.answerTo(
                TlsClients.clientHello((byte) 2), server.getAddress().getPort(), TIMEOUT);

        assertThat(TlsClients.isServerHello(answer)).isFalse();
        assertThat(requests).hasValue(0);
        awaitEvent("protocol-version");
    }

    @Test
    void theSameHandWrittenClientHelloSayingTls12GetsAServerHello() throws IOException {
        byte[] answer = TlsClients.answerTo(
                TlsClients.clientHello((byte) 3), server.getAddress().getPort(), TIMEOUT);

        assertThat(TlsClients.isServerHello(answer)).isTrue();
    }

    @Test
    void aClientOfferingOnlyWeakCipherSuitesIsRefusedAndAudited() {
        SSLContext context = TlsClients.presenting(pki.client, pki.root.certificate());
        SSLParameters weak = TlsContexts.clientParameters(context);
        weak.setProtocols(new String[] {"TLSv1.2"});
        weak.setCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"});

        assertRefused(() -> TlsClients.get(context, weak, port(server)));

        awaitEvent("no-shared-cipher");
    }

    @Test
    void aTls12ClientThatTriesToRenegotiateIsCutOffAndAudited() throws IOException {
        SSLContext context = TlsClients.presenting(pki.client, pki.root.certificate());
        SSLParameters tls12 = TlsContexts.clientParameters(context);
        tls12.setProtocols(new String[] {"TLSv1.2"});
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port(server))) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.setSSLParameters(tls12);
            socket.startHandshake();

            assertThatThrownBy(() -> {
                        socket.startHandshake();
                        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(UTF_8));
                        socket.getInputStream().read();
                    })
                    .isInstanceOf(IOException.class);
        }
        assertThat(requests).hasValue(0);
        awaitEvent("renegotiation");
    }

    @Test
    void revokedButCrlUnreachableIsRefusedInHardFailMode() throws IOException {
        CrlStore unreachable = crlStore(unreachableUrl());
        HttpsServer hard = start(pki.server, trustManager(RevocationMode.HARD_FAIL, unreachable), true);
        try {
            assertRefused(() -> call(pki.revoked, hard));

            assertThat(events)
                    .singleElement()
                    .satisfies(e -> assertThat(e.code()).isEqualTo("revocation-unknown"));
        } finally {
            hard.stop(0);
            unreachable.close();
        }
    }

    @Test
    void revokedButCrlUnreachableIsAcceptedInSoftFailModeWithAnAuditNote() throws Exception {
        CrlStore unreachable = crlStore(unreachableUrl());
        HttpsServer soft = start(pki.server, trustManager(RevocationMode.SOFT_FAIL, unreachable), true);
        try {
            String status = call(pki.revoked, soft);

            assertThat(status).isEqualTo("HTTP/1.1 200 OK");
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.outcome()).isEqualTo("ACCEPTED");
                assertThat(e.code()).isEqualTo("revocation-unknown");
                assertThat(e.actor()).isEqualTo("CN=revoked.trust-test.example,O=Thuiszorg Test,C=NL");
            });
        } finally {
            soft.stop(0);
            unreachable.close();
        }
    }

    @Test
    void theGatewayRefusesAServerWithARevokedCertificateAndAuditsIt() throws IOException {
        HttpsServer revokedServer = start(pki.revokedServer, new AcceptsAnyClient(), false);
        try {
            assertThatThrownBy(() -> get(outbound(), revokedServer)).isInstanceOf(IOException.class);

            assertThat(requests).hasValue(0);
            assertThat(events)
                    .singleElement()
                    .isEqualTo(new HandshakeEvent(
                            "CN=revoked.gemeente.example,O=Gemeente Test,C=NL",
                            "REFUSED",
                            "revoked",
                            events.get(0).message()));
        } finally {
            revokedServer.stop(0);
        }
    }

    @Test
    void theGatewayAcceptsAValidServerCertificateForTheHostItCalls() throws Exception {
        HttpsServer gemeente = start(pki.server, new AcceptsAnyClient(), false);
        try {
            HttpResponse<String> byIp = get(outbound(), gemeente);
            HttpResponse<String> byName = outbound()
                    .send(
                            HttpRequest.newBuilder(URI.create("https://localhost:"
                                            + gemeente.getAddress().getPort() + "/plan"))
                                    .timeout(TIMEOUT)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(byIp.statusCode()).isEqualTo(200);
            assertThat(byName.statusCode()).isEqualTo(200);
            assertThat(events).isEmpty();
        } finally {
            gemeente.stop(0);
        }
    }

    @Test
    void theGatewayRefusesAServerCertificateForAnotherHost() throws IOException {
        HttpsServer elsewhere = start(pki.otherHost, new AcceptsAnyClient(), false);
        try {
            assertThatThrownBy(() -> get(outbound(), elsewhere)).isInstanceOf(IOException.class);

            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo("hostname-mismatch");
                assertThat(e.message()).contains("127.0.0.1");
            });
        } finally {
            elsewhere.stop(0);
        }
    }

    @Test
    void theGatewayRefusesAServerCertificateWithoutServerAuth() throws IOException {
        HttpsServer clientOnly = start(pki.clientOnly, new AcceptsAnyClient(), false);
        try {
            assertThatThrownBy(() -> get(outbound(), clientOnly)).isInstanceOf(IOException.class);

            assertThat(events)
                    .singleElement()
                    .satisfies(e -> assertThat(e.code()).isEqualTo("wrong-key-usage"));
        } finally {
            clientOnly.stop(0);
        }
    }

    @Test
    void theTrustManagerNamesTheTrustedCasToClients() {
        GatewayTrustManager trustManager = trustManager(RevocationMode.HARD_FAIL, crls);

        assertThat(trustManager.getAcceptedIssuers())
                .containsExactly(pki.root.certificate(), pki.issuing.certificate());
    }

    /** The gateway's outbound client: its own certificate, the gateway trust manager, TlsContexts' parameters. */
    private static HttpClient outbound() {
        KeyMaterial gateway = keyMaterial(pki.client);
        return TlsContexts.httpClient(gateway.sslContext(trustManager(RevocationMode.HARD_FAIL, crls)), TIMEOUT);
    }

    /** One GET over a fresh connection presenting {@code credential}; its status line. */
    private static String call(Credential credential, HttpsServer target) throws IOException {
        SSLContext context = TlsClients.presenting(credential, pki.root.certificate());
        return TlsClients.get(context, TlsContexts.clientParameters(context), port(target));
    }

    private static int port(HttpsServer target) {
        return target.getAddress().getPort();
    }

    private static SSLContext trustOnly() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", pki.root.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static GatewayTrustManager trustManager(RevocationMode mode, CrlStore store) {
        return new GatewayTrustManager(
                new CertificateValidator(pki.anchors(), store, mode, Duration.ZERO, Clock.systemUTC()), audit);
    }

    private static CrlStore crlStore(String source) {
        CrlStore store = new CrlStore(
                List.of(source),
                pki.anchors().certificates(),
                Duration.ofHours(1),
                Duration.ofSeconds(2),
                Clock.systemUTC());
        store.start();
        return store;
    }

    private static String unreachableUrl() throws IOException {
        HttpServer gone = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = gone.getAddress().getPort();
        gone.stop(0);
        return "http://127.0.0.1:" + port + "/issuing.crl";
    }

    /**
     * A server presenting {@code identity}, checking clients with {@code trust}; with engines that
     * audit into {@link #events} if {@code audited} (in outbound tests only the gateway's side is).
     */
    private static HttpsServer start(Credential identity, TrustManager trust, boolean audited) throws IOException {
        SSLContext context;
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry(
                    "server",
                    identity.privateKey(),
                    "k".toCharArray(),
                    identity.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(keys, "k".toCharArray());
            context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), new TrustManager[] {trust}, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        SSLContext auditing = AuditingSslContext.wrap(context, audited ? audit : new HandshakeAudit(e -> {}));
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(auditing) {
            @Override
            public void configure(HttpsParameters parameters) {
                parameters.setSSLParameters(TlsContexts.serverParameters(getSSLContext()));
            }
        });
        https.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = ((X509Certificate)
                            ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                    .getSubjectX500Principal()
                    .getName()
                    .getBytes(UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        https.start();
        return https;
    }

    private static KeyMaterial keyMaterial(Credential credential) {
        Path file = dir.resolve(credential.name() + "-key.p12");
        Pki.writeKeystore(file, credential, credential.name(), "k".toCharArray());
        return KeyMaterial.load(file, "k".toCharArray(), Optional.empty());
    }

    private static HttpResponse<String> get(HttpClient http, HttpsServer target)
            throws IOException, InterruptedException {
        URI uri = URI.create("https://127.0.0.1:" + target.getAddress().getPort() + "/plan");
        return http.send(
                HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        assertThat(requests).as("requests that reached the handler").hasValue(0);
    }

    private static void awaitEvent(String code) {
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(events)
                        .singleElement()
                        .isEqualTo(new HandshakeEvent(
                                "(none)", "REFUSED", code, events.get(0).message())));
    }

    /** For servers in outbound tests: their client is the gateway, which is not what is tested. */
    private static final class AcceptsAnyClient extends X509ExtendedTrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {pki.root.certificate(), pki.issuing.certificate()};
        }
    }
}
