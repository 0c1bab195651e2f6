package nl.wmogateway.trust;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The gateway's own key and certificate chain, from its PKCS#12 keystore or PKCS#11 token: exactly
 * one key entry (the configured alias, or the only key in the store), so that the key manager can
 * never present another key from the same store ({@link Stores} decides which). The TLS key is
 * presented by the HTTPS server and by outbound TLS, and signs what the gateway sends unless a
 * signing key of its own is configured ({@link #signer()}); the private key never leaves this
 * object otherwise. A key from a token is the token's handle on it: TLS handshakes and signatures
 * are computed by the token, through its provider.
 */
public final class KeyMaterial {

    private final String alias;
    private final List<X509Certificate> chain;
    private final KeyManager[] keyManagers;
    private final PrivateKey key;
    private final Provider keyProvider;
    private final String source;

    private KeyMaterial(Stores.ChosenKey chosen, KeyManager[] keyManagers) {
        this.alias = chosen.alias();
        this.chain = chosen.chain();
        this.keyManagers = keyManagers;
        this.key = chosen.key();
        this.keyProvider = chosen.provider();
        this.source = chosen.source();
    }

    /**
     * @param keystore the .p12 file
     * @param password its password, which also protects the key (the PKCS#12 convention)
     * @param alias    which key entry to use; may be empty only if the store holds exactly one key
     */
    public static KeyMaterial load(Path keystore, char[] password, Optional<String> alias) {
        return load(new TlsContexts.KeyStoreFile(keystore, password, alias));
    }

    /**
     * The key and chain from a PKCS#12 file or a PKCS#11 token.
     *
     * @throws StoreException naming the file or token (never the password or PIN) when it cannot be
     *                        opened or has no (single) suitable key entry
     */
    public static KeyMaterial load(TlsContexts.KeyStoreFile identity) {
        return of(Stores.singleKey(identity));
    }

    /** The key material for a key {@link Stores} chose. */
    static KeyMaterial of(Stores.ChosenKey chosen) {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(chosen.asStore(), new char[0]);
            return new KeyMaterial(chosen, factory.getKeyManagers());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(chosen.source() + " could not be used: " + e.getMessage(), e);
        }
    }

    /**
     * Where the key is, for the log: {@code Keystore <file>} or {@code PKCS#11 token <provider>
     * (<configuration file>)}; never key material.
     */
    public String source() {
        return source;
    }

    /** Whether the key stays in a PKCS#11 token (and every operation with it is the token's). */
    public boolean inToken() {
        return keyProvider != null;
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
            return PayloadSigner.of(key, chain, keyProvider);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "the key under alias '" + alias + "' in " + source + " cannot sign: " + e.getMessage(), e);
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
        return "KeyMaterial[alias=" + alias + ", " + source + ", subject="
                + certificate().getSubjectX500Principal().getName() + "]";
    }
}
