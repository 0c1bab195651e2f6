package nl.wmogateway.transport.trust;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The gateway's own key and certificate chain, taken from its PKCS#12 keystore: exactly one key
 * entry (the configured alias, or the only key in the store), so that the key manager can never
 * present another key from the same file. The private key stays inside the key managers.
 */
public final class KeyMaterial {

    private final String alias;
    private final List<X509Certificate> chain;
    private final KeyManager[] keyManagers;

    private KeyMaterial(String alias, List<X509Certificate> chain, KeyManager[] keyManagers) {
        this.alias = alias;
        this.chain = List.copyOf(chain);
        this.keyManagers = keyManagers;
    }

    /**
     * @param keystore the .p12 file
     * @param password its password, which also protects the key (the PKCS#12 convention)
     * @param alias    which key entry to use; may be empty only if the store holds exactly one key
     */
    public static KeyMaterial load(Path keystore, char[] password, Optional<String> alias) {
        KeyStore store = Stores.load(keystore, password, "Keystore");
        try {
            Set<String> keyAliases = new TreeSet<>();
            for (String a : Collections.list(store.aliases())) {
                if (store.isKeyEntry(a)) {
                    keyAliases.add(a);
                }
            }
            String chosen = alias.filter(a -> !a.isBlank()).orElseGet(() -> {
                if (keyAliases.size() != 1) {
                    throw new IllegalStateException("Keystore " + keystore + (keyAliases.isEmpty() ? " holds no private key"
                            : " holds several private keys " + keyAliases + "; configure which alias to use"));
                }
                return keyAliases.iterator().next();
            });
            if (!keyAliases.contains(chosen)) {
                throw new IllegalStateException("Keystore " + keystore + " has no private key under alias '" + chosen
                        + "'; its key aliases are " + keyAliases);
            }
            Key key;
            try {
                key = store.getKey(chosen, password);
            } catch (UnrecoverableKeyException e) {
                throw new IllegalStateException("Keystore " + keystore + ": the key under alias '" + chosen
                        + "' is protected with a different password than the store", e);
            }
            Certificate[] certificates = store.getCertificateChain(chosen);
            if (!(key instanceof PrivateKey) || certificates == null || certificates.length == 0) {
                throw new IllegalStateException("Keystore " + keystore + ": alias '" + chosen
                        + "' has no private key with a certificate chain");
            }
            KeyStore single = KeyStore.getInstance("PKCS12");
            single.load(null, null);
            single.setKeyEntry(chosen, key, password, Arrays.copyOf(certificates, certificates.length));
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(single, password);
            List<X509Certificate> chain = Arrays.stream(certificates).map(X509Certificate.class::cast).toList();
            return new KeyMaterial(chosen, chain, factory.getKeyManagers());
        } catch (GeneralSecurityException | IOException e) {
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
        return "KeyMaterial[alias=" + alias + ", subject=" + certificate().getSubjectX500Principal().getName() + "]";
    }
}
