package nl.wmogateway.trust;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import nl.wmogateway.pki.Credential;

/**
 * TLS clients for tests that need to misbehave: one that presents its certificate whatever CAs the
 * server asks for (the JDK's own key manager would send nothing to a server that does not name
 * its CA, hiding the server's verdict), and a hand-written ClientHello for a protocol version
 * the JDK refuses to offer.
 */
public final class TlsClients {

    private TlsClients() {}

    /** A client context presenting the key in {@code keystore} to any server, trusting {@code truststore}'s CAs. */
    public static SSLContext presenting(Path keystore, char[] password, Path truststore) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                keys.load(in, password);
            }
            String alias = Collections.list(keys.aliases()).stream()
                    .filter(a -> isKey(keys, a))
                    .findFirst()
                    .orElseThrow();
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509"); // plain aliases
            kmf.init(keys, password);
            return context(new AnyIssuer((X509KeyManager) kmf.getKeyManagers()[0], alias), trust(truststore, password));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test client from " + keystore, e);
        }
    }

    /** A client context presenting {@code credential} to any server, trusting {@code trusted}. */
    static SSLContext presenting(Credential credential, X509Certificate... trusted) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = "test".toCharArray();
            keys.setKeyEntry(
                    credential.name(),
                    credential.privateKey(),
                    password,
                    credential.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509"); // plain aliases
            kmf.init(keys, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < trusted.length; i++) {
                trust.setCertificateEntry("ca-" + i, trusted[i]);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            return context(
                    new AnyIssuer((X509KeyManager) kmf.getKeyManagers()[0], credential.name()), tmf.getTrustManagers());
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test client for " + credential.name(), e);
        }
    }

    private static TrustManager[] trust(Path truststore, char[] password) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            trust.load(in, password);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        return tmf.getTrustManagers();
    }

    private static SSLContext context(KeyManager keyManager, TrustManager[] trust) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {keyManager}, trust, null);
        return context;
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (Exception e) {
            return false;
        }
    }

    /** Always offers its one key, ignoring the server's list of acceptable CAs. */
    private static final class AnyIssuer extends X509ExtendedKeyManager {

        private final X509KeyManager keys;
        private final String alias;

        AnyIssuer(X509KeyManager keys, String alias) {
            this.keys = keys;
            this.alias = alias;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return alias;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return alias;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {alias};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String name) {
            return keys.getCertificateChain(name);
        }

        @Override
        public PrivateKey getPrivateKey(String name) {
            return keys.getPrivateKey(name);
        }
    }

    /**
     * A ClientHello with legacy client_version 3.{@code minor} and no supported_versions extension,
     * so that it offers exactly one protocol version: TLS 1.1 for minor 2, TLS 1.2 for minor 3. It
     * offers an AEAD suite besides two CBC ones, so that the version is the only thing that can
     * make the server refuse it.
     */
    public static byte[] clientHello(byte minor) {
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.writeBytes(new byte[] {3, minor});
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        hello.writeBytes(random);
        hello.write(0);
        // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA
        hello.writeBytes(new byte[] {0, 6, (byte) 0xC0, 0x2F, (byte) 0xC0, 0x13, 0x00, 0x2F});
        hello.writeBytes(new byte[] {1, 0});
        byte[] extensions = {
            0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, 0x00, 0x0d,
            0x00, 0x06, 0x00, 0x04, 0x08, 0x04, 0x04, 0x01
        };
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

    /**
     * Sends {@code hello} to the server and reads up to 7 bytes of its answer (a record header and
     * two bytes of content), fewer when it hangs up.
     */
    public static byte[] answerTo(byte[] hello, int port, Duration timeout) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(hello);
            socket.getOutputStream().flush();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            try {
                for (int i = 0; i < 7; i++) {
                    int b = socket.getInputStream().read();
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
    }

    /**
     * One HTTP/1.1 request over a fresh TLS connection, no retries (the JDK HttpClient retries a
     * GET whose TLS 1.3 connection is closed after the client's side of the handshake, which is
     * how a refused client certificate looks to the client).
     *
     * @param request the whole request, e.g. {@code "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"}
     * @return the status line of the answer
     * @throws IOException when the handshake fails or the server hangs up without answering
     */
    public static String exchange(SSLContext context, SSLParameters parameters, int port, String request)
            throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            BufferedReader answer =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String status = answer.readLine();
            if (status == null) {
                throw new EOFException("the server hung up without answering");
            }
            return status;
        }
    }

    /** {@link #exchange} with a GET of {@code /}. */
    public static String get(SSLContext context, SSLParameters parameters, int port) throws IOException {
        return exchange(context, parameters, port, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    /** Whether {@code answer} starts a ServerHello (handshake record): the server accepted the hello. */
    public static boolean isServerHello(byte[] answer) {
        return answer.length >= 6 && answer[0] == 22 && answer[5] == 2;
    }
}
