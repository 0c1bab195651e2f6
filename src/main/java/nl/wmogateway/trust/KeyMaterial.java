package nl.wmogateway.trust;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The gateway's own key and certificate chain, taken from its PKCS#12 keystore: exactly one key
 * entry (the configured alias, or the only key in the store), so that the key manager can never
 * present another key from the same file ({@link Stores} decides which). The same key is presented
 * by the HTTPS server and by outbound TLS, and signs what the gateway sends ({@link #signer()}); the
 * private key never leaves this object otherwise.
 */
public final class KeyMaterial {

    private final String alias;
    private final List<X509Certificate> chain;
    private final KeyManager[] keyManagers;
    private final PrivateKey key;

    private KeyMaterial(String alias, List<X509Certificate> chain, KeyManager[] keyManagers, PrivateKey key) {
        this.alias = alias;
        this.chain = List.copyOf(chain);
        this.keyManagers = keyManagers;
        this.key = key;
    }

    /**
     * @param keystore the .p12 file
     * @param password its password, which also protects the key (the PKCS#12 convention)
     * @param alias    which key entry to use; may be empty only if the store holds exactly one key
     */
    public static KeyMaterial load(Path keystore, char[] password, Optional<String> alias) {
        try {
            KeyStore single = Stores.singleKey(new TlsContexts.KeyStoreFile(keystore, password, alias));
            String chosen = single.aliases().nextElement();
            Certificate[] certificates = single.getCertificateChain(chosen);
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(single, password);
            List<X509Certificate> chain =
                    Arrays.stream(certificates).map(X509Certificate.class::cast).toList();
            return new KeyMaterial(
                    chosen, chain, factory.getKeyManagers(), (PrivateKey) single.getKey(chosen, password));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Keystore " + keystore + " could not be used: " + e.getMessage(), e);
        }
    }

    /** The alias of the key in the keystore. */
    public String alias() {
        return alias;
    }

    /** The gateway's certificate first, then its issuers as stored. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The gateway's own certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    public KeyManager[] keyManagers() {
        return keyManagers.clone();
    }

    /**
     * A signer with this key and chain.
     *
     * @throws IllegalStateException if the certificate's key usage forbids signing or the key is not RSA or EC
     */
    public PayloadSigner signer() {
        try {
            return PayloadSigner.of(key, chain);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the key under alias '" + alias + "' cannot sign: " + e.getMessage(), e);
        }
    }

    /** A TLS context presenting this key and deciding trust with {@code trustManager}. */
    public SSLContext sslContext(X509ExtendedTrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(), new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS with the gateway's key", e);
        }
    }

    @Override
    public String toString() {
        return "KeyMaterial[alias=" + alias + ", subject="
                + certificate().getSubjectX500Principal().getName() + "]";
    }
}
