package nl.wmogateway.trust;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import nl.wmogateway.pki.CertificateSpec;
import nl.wmogateway.pki.CertificateSpec.TlsRole;
import nl.wmogateway.pki.Credential;
import nl.wmogateway.pki.Pki;
import nl.wmogateway.pki.Validity;
import nl.wmogateway.trust.TlsContexts.KeyStoreFile;
import nl.wmogateway.trust.TlsContexts.TrustStoreFile;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TLS on loopback: a JDK HttpsServer set up with {@link TlsContexts#serverParameters} and
 * clients made with {@link TlsContexts}, all with certificates made fresh by {@link Pki}.
 */
class TlsContextsTest {

    static final char[] PASSWORD = "store-secret-1".toCharArray();
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    static TrustStoreFile trust;
    static KeyStoreFile client;
    static HttpsServer server;
    static final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void makeCertificatesAndStartTheServer() throws IOException {
        Instant now = Instant.now();
        Validity valid = new Validity(now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
        Pki pki = Pki.random();
        Credential root = pki.rootCa(CertificateSpec.of("root", "CN=Test Root CA, O=Test, C=NL", valid));
        Credential issuing =
                pki.issuingCa(CertificateSpec.of("issuing", "CN=Test Issuing CA, O=Test, C=NL", valid), root);
        Credential foreignRoot = pki.rootCa(CertificateSpec.of("foreign", "CN=Foreign Root CA, O=Other, C=NL", valid));

        keystore(
                "server",
                pki.leaf(
                        CertificateSpec.of("server", "CN=gateway.test, O=Test, C=NL", valid)
                                .withRoles(TlsRole.SERVER, TlsRole.CLIENT)
                                .withDnsNames("localhost")
                                .withIpAddresses("127.0.0.1"),
                        issuing));
        keystore(
                "no-san",
                pki.leaf(
                        CertificateSpec.of("no-san", "CN=127.0.0.1, O=Test, C=NL", valid)
                                .withRoles(TlsRole.SERVER),
                        issuing));
        CertificateSpec ehr = CertificateSpec.of("client", "CN=ehr.test, O=Thuiszorg, C=NL", valid)
                .withRoles(TlsRole.CLIENT);
        keystore("client", pki.leaf(ehr, issuing));
        keystore(
                "expired",
                pki.leaf(
                        ehr.withValidity(new Validity(now.minus(30, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS))),
                        issuing));
        keystore("foreign", pki.leaf(ehr, foreignRoot));

        Map<String, X509Certificate> trusted = new LinkedHashMap<>();
        trusted.put("root", root.certificate());
        trusted.put("issuing", issuing.certificate());
        Pki.writeTruststore(dir.resolve("truststore.p12"), trusted, PASSWORD);
        trust = new TrustStoreFile(dir.resolve("truststore.p12"), PASSWORD);
        client = KeyStoreFile.of(dir.resolve("client.p12"), PASSWORD);

        server = start(TlsContexts.sslContext(KeyStoreFile.of(dir.resolve("server.p12"), PASSWORD), trust));
    }

    @AfterAll
    static void stopTheServer() {
        server.stop(0);
    }

    @BeforeEach
    void resetTheRequestCount() {
        requests.set(0);
    }

    @Test
    void aClientWithAValidCertificateGets200OverTls13() throws Exception {
        HttpResponse<String> response =
                get(TlsContexts.httpClient(TlsContexts.sslContext(client, trust), TIMEOUT), server);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("CN=ehr.test,O=Thuiszorg,C=NL");
        assertThat(response.headers().firstValue("X-Tls-Protocol")).contains("TLSv1.3");
    }

    @Test
    void aTls12ClientWithAnAeadSuiteIsAccepted() throws Exception {
        HttpClient tls12 =
                clientWith(TlsContexts.sslContext(client, trust), List.of("TLSv1.2"), TlsContexts.CIPHER_SUITES);

        HttpResponse<String> response = get(tls12, server);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Tls-Protocol")).contains("TLSv1.2");
        assertThat(response.headers().firstValue("X-Tls-Cipher-Suite").orElseThrow())
                .isIn(TlsContexts.CIPHER_SUITES);
    }

    @Test
    void aClientWithoutACertificateIsRefused() {
        HttpClient anonymous = TlsContexts.httpClient(TlsContexts.sslContext(trust), TIMEOUT);

        assertRefused(() -> get(anonymous, server));
    }

    @Test
    void aClientCertificateFromAForeignCaIsRefused() {
        HttpClient foreign = TlsContexts.httpClient(
                TlsContexts.sslContext(KeyStoreFile.of(dir.resolve("foreign.p12"), PASSWORD), trust), TIMEOUT);

        assertRefused(() -> get(foreign, server));
    }

    @Test
    void anExpiredClientCertificateIsRefused() {
        HttpClient expired = TlsContexts.httpClient(
                TlsContexts.sslContext(KeyStoreFile.of(dir.resolve("expired.p12"), PASSWORD), trust), TIMEOUT);

        assertRefused(() -> get(expired, server));
    }

    @Test
    void aTls12ClientOfferingOnlyCbcSuitesIsRefused() {
        HttpClient cbc = clientWith(
                TlsContexts.sslContext(client, trust),
                List.of("TLSv1.2"),
                List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"));

        assertRefused(() -> get(cbc, server));
    }

    /**
     * The JDK's own client will not even offer TLS 1.1 (it is in jdk.tls.disabledAlgorithms), so a
     * TLS 1.1-only client is written out by hand: the server must not answer with a ServerHello.
     */
    @Test
    void aTls11OnlyClientHelloGetsNoServerHello() throws IOException {
        byte[] answer = firstBytesAnswering(clientHello((byte) 2));

        if (answer.length > 0) {
            assertThat(answer[0]).as("record type: 22 would be a ServerHello").isNotEqualTo((byte) 22);
        }
        if (answer.length == 7) {
            assertThat(answer[0]).as("alert record").isEqualTo((byte) 21);
            assertThat(answer[6]).as("protocol_version or handshake_failure").isIn((byte) 70, (byte) 40);
        }
        assertThat(requests).hasValue(0);
    }

    /** The control for the test above: the same hand-written hello, saying TLS 1.2, is answered. */
    @Test
    void theSameHandWrittenClientHelloSayingTls12GetsAServerHello() throws IOException {
        byte[] answer = firstBytesAnswering(clientHello((byte) 3));

        assertThat(answer).hasSize(7);
        assertThat(answer[0]).as("handshake record").isEqualTo((byte) 22);
        assertThat(answer[5]).as("ServerHello").isEqualTo((byte) 2);
    }

    @Test
    void aServerCertificateWithoutTheHostInItsSubjectAltNameIsRefusedByTheClient() throws IOException {
        HttpsServer noSan = start(TlsContexts.sslContext(KeyStoreFile.of(dir.resolve("no-san.p12"), PASSWORD), trust));
        try {
            HttpClient https = TlsContexts.httpClient(TlsContexts.sslContext(client, trust), TIMEOUT);

            assertThatThrownBy(() -> get(https, noSan))
                    .isInstanceOf(IOException.class)
                    .hasStackTraceContaining("No subject alternative names");
            assertThat(requests).hasValue(0);
        } finally {
            noSan.stop(0);
        }
    }

    @Test
    void serverParametersAllowOnlyTls13And12WithStrongSuitesAndRequireAClientCertificate() {
        SSLParameters parameters = TlsContexts.serverParameters(TlsContexts.sslContext(client, trust));

        assertThat(parameters.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(parameters.getCipherSuites())
                .isNotEmpty()
                .allSatisfy(
                        suite -> assertThat(suite)
                                .matches(
                                        "TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256"
                                                + "|ECDHE_(RSA|ECDSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256))"));
        assertThat(parameters.getNeedClientAuth()).isTrue();
        assertThat(parameters.getEndpointIdentificationAlgorithm()).isNull();
    }

    @Test
    void clientParametersCheckTheServerHostName() {
        SSLParameters parameters = TlsContexts.clientParameters(TlsContexts.sslContext(client, trust));

        assertThat(parameters.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(parameters.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void aMissingKeystoreIsReportedWithItsPath() {
        Path missing = dir.resolve("nowhere.p12");

        assertThatThrownBy(() -> TlsContexts.sslContext(KeyStoreFile.of(missing, PASSWORD), trust))
                .isInstanceOfSatisfying(
                        StoreException.class, e -> assertThat(e.path()).isEqualTo(missing))
                .hasMessageContaining("nowhere.p12")
                .hasMessageContaining("does not exist");
    }

    @Test
    void aWrongPasswordIsReportedWithTheFileButNotThePassword() {
        char[] wrong = "my-wrong-guess".toCharArray();

        assertThatThrownBy(() -> TlsContexts.sslContext(KeyStoreFile.of(dir.resolve("client.p12"), wrong), trust))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("client.p12")
                .hasMessageContaining("wrong password")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("my-wrong-guess", new String(PASSWORD)));
    }

    @Test
    void anUnknownAliasIsReportedWithTheAliasesThereAre() {
        KeyStoreFile wrongAlias =
                KeyStoreFile.of(dir.resolve("client.p12"), PASSWORD).withAlias("gateway");

        assertThatThrownBy(() -> TlsContexts.sslContext(wrongAlias, trust))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("client.p12")
                .hasMessageContaining("'gateway'")
                .hasMessageContaining("[client]");
    }

    @Test
    void aTruststoreWithoutTrustedCertificatesIsReported() {
        Path empty = dir.resolve("empty-truststore.p12");
        Pki.writeTruststore(empty, Map.of(), PASSWORD);

        assertThatThrownBy(() -> TlsContexts.sslContext(new TrustStoreFile(empty, PASSWORD)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("empty-truststore.p12")
                .hasMessageContaining("no trusted certificate");
    }

    @Test
    void storeDescriptionsNeverShowThePassword() {
        assertThat(client.withAlias("client").toString())
                .doesNotContain(new String(PASSWORD))
                .contains("client.p12");
        assertThat(trust.toString()).doesNotContain(new String(PASSWORD));
    }

    /**
     * The JDK HttpsServer hangs up without sending an alert when it rejects a client, so the client
     * sees a failed handshake, EOF or reset, depending on timing; what matters is that it is an I/O
     * failure (not a timeout) and that no request reached the application.
     */
    private static void assertRefused(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        assertThat(requests).as("requests that reached the handler").hasValue(0);
    }

    private static HttpsServer start(SSLContext context) throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                parameters.setSSLParameters(TlsContexts.serverParameters(getSSLContext()));
            }
        });
        https.createContext("/", exchange -> {
            requests.incrementAndGet();
            var session = ((HttpsExchange) exchange).getSSLSession();
            byte[] body = ((X509Certificate) session.getPeerCertificates()[0])
                    .getSubjectX500Principal()
                    .getName()
                    .getBytes(UTF_8);
            exchange.getResponseHeaders().add("X-Tls-Protocol", session.getProtocol());
            exchange.getResponseHeaders().add("X-Tls-Cipher-Suite", session.getCipherSuite());
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        https.start();
        return https;
    }

    private static HttpResponse<String> get(HttpClient http, HttpsServer target)
            throws IOException, InterruptedException {
        URI uri = URI.create("https://127.0.0.1:" + target.getAddress().getPort() + "/plan");
        return http.send(
                HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient clientWith(SSLContext context, List<String> protocols, List<String> suites) {
        SSLParameters parameters = TlsContexts.clientParameters(context);
        parameters.setProtocols(protocols.toArray(String[]::new));
        parameters.setCipherSuites(suites.toArray(String[]::new));
        return HttpClient.newBuilder()
                .sslContext(context)
                .sslParameters(parameters)
                .connectTimeout(TIMEOUT)
                .build();
    }

    private static void keystore(String name, Credential credential) {
        Pki.writeKeystore(dir.resolve(name + ".p12"), credential, name, PASSWORD);
    }

    /**
     * A ClientHello with legacy client_version 3.{@code minor} and no supported_versions extension,
     * so that it offers exactly one protocol version: TLS 1.1 for minor 2, TLS 1.2 for minor 3. It
     * offers an AEAD suite besides two CBC ones, so that the version is the only thing that can
     * make the server refuse it.
     */
    private static byte[] clientHello(byte minor) {
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.writeBytes(new byte[] {3, minor});
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        hello.writeBytes(random);
        hello.write(0); // no session id
        // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA
        hello.writeBytes(new byte[] {0, 6, (byte) 0xC0, 0x2F, (byte) 0xC0, 0x13, 0x00, 0x2F});
        hello.writeBytes(new byte[] {1, 0}); // compression: null only
        byte[] extensions = {
            0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x17, // supported_groups x25519, secp256r1
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, // ec_point_formats uncompressed
            0x00, 0x0d, 0x00, 0x06, 0x00, 0x04, 0x08, 0x04, 0x04, 0x01
        }; // signature_algorithms pss, pkcs1 sha256
        hello.writeBytes(new byte[] {0, (byte) extensions.length});
        hello.writeBytes(extensions);
        byte[] body = hello.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        int length = body.length + 4;
        record.writeBytes(new byte[] {22, 3, 1, (byte) (length >> 8), (byte) length});
        record.writeBytes(new byte[] {1, 0, (byte) (body.length >> 8), (byte) body.length});
        record.writeBytes(body);
        return record.toByteArray();
    }

    private static byte[] firstBytesAnswering(byte[] clientHello) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.getAddress().getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(clientHello);
            socket.getOutputStream().flush();
            return readRecordHeaderAndAlert(socket.getInputStream());
        }
    }

    /** Up to 7 bytes (a record header and two bytes of its content); fewer when the server hangs up. */
    private static byte[] readRecordHeaderAndAlert(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try {
            for (int i = 0; i < 7; i++) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                read.write(b);
            }
        } catch (SocketException closed) {
            // a reset is as good a refusal as an alert
        }
        return read.toByteArray();
    }

    private static String stackTrace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
