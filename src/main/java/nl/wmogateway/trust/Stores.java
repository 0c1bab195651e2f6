package nl.wmogateway.trust;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import nl.wmogateway.trust.TlsContexts.KeyStoreFile;
import nl.wmogateway.trust.TlsContexts.TrustStoreFile;

/**
 * The one place where the gateway opens a PKCS#12 key- or truststore and picks its key. Server TLS,
 * outbound TLS and signing all take the gateway's key through {@link #singleKey}, so one rule
 * decides which key is used everywhere:
 *
 * <ul>
 *   <li>with {@code wmo.tls.key-alias} set, the key entry under that alias, compared without regard
 *       to case as the JDK's PKCS#12 store does (it keeps aliases in lower case); a store without a
 *       key under that alias is refused, naming the aliases it has;</li>
 *   <li>without it, the only key entry in the store; a store with none or with several is refused.</li>
 * </ul>
 *
 * <p>Every problem is a {@link StoreException} naming the file, never the password.
 */
final class Stores {

    private Stores() {}

    /** Opens a PKCS#12 file; {@code kind} ("Keystore", "Truststore") starts every message. */
    static KeyStore load(Path path, char[] password, String kind) {
        if (!Files.isRegularFile(path)) {
            throw new StoreException(
                    path, kind + " " + path.toAbsolutePath() + " does not exist or is not a file", null);
        }
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new StoreException(path, kind + " " + path + " could not be opened: wrong password", e);
            }
            throw new StoreException(path, kind + " " + path + " could not be read as PKCS#12: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new StoreException(path, kind + " " + path + " could not be read as PKCS#12: " + e.getMessage(), e);
        }
    }

    /**
     * The truststore, refused when it holds no trusted certificate entry (a PKCS#12 made with
     * {@code openssl pkcs12 -export -nokeys} looks empty to Java).
     */
    static KeyStore trustStore(TrustStoreFile trust) {
        KeyStore store = load(trust.path(), trust.password(), "Truststore");
        if (trusted(store).isEmpty()) {
            throw new StoreException(
                    trust.path(),
                    "Truststore " + trust.path() + " holds no trusted certificate entries"
                            + " (a PKCS#12 made with 'openssl pkcs12 -export -nokeys' looks empty to Java;"
                            + " use 'keytool -importcert')",
                    null);
        }
        return store;
    }

    /** The trusted certificate entries of a truststore; refused as {@link #trustStore} refuses. */
    static List<X509Certificate> trustedCertificates(TrustStoreFile trust) {
        return trusted(trustStore(trust));
    }

    /** Every certificate in a store: the trusted entries and the chains of the key entries. */
    static List<X509Certificate> everyCertificate(Path path, char[] password, String kind) {
        KeyStore store = load(path, password, kind);
        List<X509Certificate> all = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                Certificate[] chain = store.isKeyEntry(alias)
                        ? store.getCertificateChain(alias)
                        : new Certificate[] {store.getCertificate(alias)};
                for (Certificate c : chain == null ? new Certificate[0] : chain) {
                    if (c instanceof X509Certificate x509) {
                        all.add(x509);
                    }
                }
            }
        } catch (KeyStoreException e) {
            throw new StoreException(path, kind + " " + path + " could not be read: " + e.getMessage(), e);
        }
        return all;
    }

    /**
     * A store of its own holding only the key entry to use, chosen by the rule above, so that a key
     * manager can never present another key from the same file.
     */
    static KeyStore singleKey(KeyStoreFile identity) {
        Path path = identity.path();
        KeyStore store = load(path, identity.password(), "Keystore");
        try {
            Set<String> keyAliases = new TreeSet<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            String alias = chosenAlias(path, keyAliases, identity);
            Key key;
            try {
                key = store.getKey(alias, identity.password());
            } catch (UnrecoverableKeyException e) {
                throw new StoreException(
                        path,
                        "Keystore " + path + ": the key under alias '" + alias
                                + "' is protected with a different password than the store",
                        e);
            }
            Certificate[] chain = store.getCertificateChain(alias);
            if (!(key instanceof PrivateKey) || chain == null || chain.length == 0) {
                throw new StoreException(
                        path,
                        "Keystore " + path + ": alias '" + alias + "' has no private key with a certificate chain",
                        null);
            }
            KeyStore single = KeyStore.getInstance("PKCS12");
            single.load(null, null);
            single.setKeyEntry(alias, key, identity.password(), Arrays.copyOf(chain, chain.length));
            return single;
        } catch (IOException | GeneralSecurityException e) {
            throw new StoreException(path, "Keystore " + path + " could not be used: " + e.getMessage(), e);
        }
    }

    private static String chosenAlias(Path path, Set<String> keyAliases, KeyStoreFile identity) {
        if (identity.alias().isPresent()) {
            String wanted = identity.alias().get();
            return keyAliases.stream()
                    .filter(a -> a.toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT)))
                    .findFirst()
                    .orElseThrow(() -> new StoreException(
                            path,
                            "Keystore " + path + " has no private key under alias '" + wanted
                                    + "'; its key aliases are " + keyAliases,
                            null));
        }
        if (keyAliases.size() == 1) {
            return keyAliases.iterator().next();
        }
        throw new StoreException(
                path,
                "Keystore " + path
                        + (keyAliases.isEmpty()
                                ? " holds no private key"
                                : " holds several private keys " + keyAliases
                                        + "; configure which alias to use (wmo.tls.key-alias)"),
                null);
    }

    private static List<X509Certificate> trusted(KeyStore store) {
        List<X509Certificate> trusted = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias) && store.getCertificate(alias) instanceof X509Certificate ca) {
                    trusted.add(ca);
                }
            }
        } catch (KeyStoreException e) {
            throw new IllegalStateException("cannot list the entries of a loaded store", e);
        }
        return trusted;
    }
}
