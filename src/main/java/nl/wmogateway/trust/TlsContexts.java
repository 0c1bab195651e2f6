package nl.wmogateway.trust;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The gateway's TLS setup in one place: {@link SSLContext}s from a PKCS#12 keystore or PKCS#11
 * token and a PKCS#12 truststore, the
 * {@link SSLParameters} every connection uses, and an {@link HttpClient} for outbound mutual TLS.
 *
 * <p>Policy: only {@linkplain #PROTOCOLS TLS 1.3 and 1.2}; only {@linkplain #CIPHER_SUITES AEAD
 * suites with forward secrecy} (the TLS 1.3 suites, and ECDHE with AES-GCM or ChaCha20-Poly1305
 * for TLS 1.2); servers require a client certificate; clients check the server's host name
 * against its certificate ("HTTPS" endpoint identification). Certificates are validated with the
 * JDK's PKIX trust manager against the truststore; revocation is not checked here.
 *
 * <p>Store problems are reported as {@link StoreException}, naming the file and never the password;
 * which key a keystore presents is decided by {@link Stores}.
 */
public final class TlsContexts {

    /** The protocol versions allowed, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** The cipher suites allowed, in order of preference; those the JDK lacks are skipped. */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

    private TlsContexts() {}

    /**
     * Where this side's private key and certificate chain are: a PKCS#12 keystore, its key protected
     * with the store password as PKCS#12 files made by keytool and OpenSSL are; or a PKCS#11 token.
     *
     * @param path     the .p12 file; for a token, its SunPKCS11 configuration file (library, slot)
     * @param password the store's password; for a token, its user PIN
     * @param alias    which key entry to present; may be empty only if the store holds exactly one key
     * @param type     a PKCS#12 file or a PKCS#11 token
     */
    public record KeyStoreFile(Path path, char[] password, Optional<String> alias, KeyStoreType type) {

        public KeyStoreFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(type, "type");
            alias = alias.filter(a -> !a.isBlank());
        }

        /** A PKCS#12 file. */
        public KeyStoreFile(Path path, char[] password, Optional<String> alias) {
            this(path, password, alias, KeyStoreType.PKCS12);
        }

        public static KeyStoreFile of(Path path, char[] password) {
            return new KeyStoreFile(path, password, Optional.empty());
        }

        /** A PKCS#11 token described by the SunPKCS11 configuration file {@code config}, opened with {@code pin}. */
        public static KeyStoreFile token(Path config, char[] pin, Optional<String> alias) {
            return new KeyStoreFile(config, pin, alias, KeyStoreType.PKCS11);
        }

        public KeyStoreFile withAlias(String keyAlias) {
            return new KeyStoreFile(path, password, Optional.of(keyAlias), type);
        }

        /** For messages and the log: {@code keystore <file>} or {@code PKCS#11 token configured in <file>}. */
        public String describe() {
            return (type == KeyStoreType.PKCS12 ? "keystore " : "PKCS#11 token configured in ") + path;
        }

        @Override
        public String toString() {
            return "KeyStoreFile[" + type + ", path=" + path
                    + alias.map(a -> ", alias=" + a).orElse("") + "]";
        }
    }

    /**
     * A PKCS#12 truststore of trusted certificate entries (the CA certificates peers are accepted
     * under). Note: {@code openssl pkcs12 -export -nokeys} makes stores in which Java sees no
     * trusted entries; create truststores with {@code keytool -importcert}.
     *
     * @param path     the .p12 file
     * @param password its password
     */
    public record TrustStoreFile(Path path, char[] password) {

        public TrustStoreFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "TrustStoreFile[path=" + path + "]";
        }
    }

    /**
     * An SSLContext that presents the key from {@code identity} and trusts the certificates in
     * {@code trust}: for the gateway's server side and for mutual-TLS clients alike.
     */
    public static SSLContext sslContext(KeyStoreFile identity, TrustStoreFile trust) {
        return context(Optional.of(identity), trust);
    }

    /**
     * The same, from the settings as they are usually configured: keystore file, password and
     * optional key alias; truststore file and password.
     */
    public static SSLContext sslContext(
            Path keystore,
            char[] keystorePassword,
            Optional<String> keyAlias,
            Path truststore,
            char[] truststorePassword) {
        return sslContext(
                new KeyStoreFile(keystore, keystorePassword, keyAlias),
                new TrustStoreFile(truststore, truststorePassword));
    }

    /** An SSLContext that trusts {@code trust} but has no certificate of its own to present. */
    public static SSLContext sslContext(TrustStoreFile trust) {
        return context(Optional.empty(), trust);
    }

    /** Parameters for outbound connections: allowed protocols and suites, host name verification. */
    public static SSLParameters clientParameters(SSLContext context) {
        SSLParameters parameters = restricted(context);
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    /** Parameters for the gateway's listeners: allowed protocols and suites, client certificate required. */
    public static SSLParameters serverParameters(SSLContext context) {
        SSLParameters parameters = restricted(context);
        parameters.setNeedClientAuth(true);
        parameters.setUseCipherSuitesOrder(true);
        return parameters;
    }

    /**
     * An HttpClient for mutual-TLS calls with {@code context} and {@link #clientParameters}. It
     * does not follow redirects: a plan is delivered to the configured endpoint or not at all.
     */
    public static HttpClient httpClient(SSLContext context, Duration connectTimeout) {
        return HttpClient.newBuilder()
                .sslContext(context)
                .sslParameters(clientParameters(context))
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private static SSLParameters restricted(SSLContext context) {
        SSLParameters supported = context.getSupportedSSLParameters();
        Set<String> supportedSuites = Set.of(supported.getCipherSuites());
        Set<String> supportedProtocols = Set.of(supported.getProtocols());
        String[] suites =
                CIPHER_SUITES.stream().filter(supportedSuites::contains).toArray(String[]::new);
        String[] protocols =
                PROTOCOLS.stream().filter(supportedProtocols::contains).toArray(String[]::new);
        if (suites.length == 0 || protocols.length == 0) {
            throw new IllegalStateException("this JVM supports none of the allowed TLS "
                    + (suites.length == 0 ? "cipher suites " + CIPHER_SUITES : "protocols " + PROTOCOLS));
        }
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(protocols);
        parameters.setCipherSuites(suites);
        return parameters;
    }

    private static SSLContext context(Optional<KeyStoreFile> identity, TrustStoreFile trust) {
        try {
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
            trustManagers.init(Stores.trustStore(trust));
            KeyManager[] keyManagers = identity.map(KeyMaterial::load)
                    .map(KeyMaterial::keyManagers)
                    .orElse(null);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot set up TLS with "
                            + identity.map(KeyStoreFile::describe)
                                    .map(d -> d + " and ")
                                    .orElse("") + "truststore " + trust.path(),
                    e);
        }
    }
}
