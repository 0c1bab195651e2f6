package nl.wmogateway.trust;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import nl.wmogateway.trust.TlsContexts.KeyStoreFile;
import nl.wmogateway.trust.TlsContexts.TrustStoreFile;

/**
 * The one place where the gateway opens a key- or truststore and picks its key: PKCS#12 files, and
 * PKCS#11 tokens through the JDK's SunPKCS11 provider. Server TLS, outbound TLS and signing all
 * take their key through {@link #singleKey}, so one rule decides which key is used everywhere:
 *
 * <ul>
 *   <li>with a key alias configured ({@code wmo.tls.key-alias}, {@code wmo.signing.key-alias}), the
 *       key entry under that alias, compared without regard to case as the JDK's PKCS#12 store does
 *       (it keeps aliases in lower case); a store without a key under that alias is refused, naming
 *       the aliases it has;</li>
 *   <li>without it, the only key entry in the store; a store with none or with several is refused.</li>
 * </ul>
 *
 * <p>A key from a PKCS#11 token stays in the token: the gateway holds the provider's handle on it,
 * in a store of one entry ({@link OneKeyStore}) for the key managers, and signs through the token's
 * provider. The provider is made once per configuration file and added to the JVM's provider list,
 * where JSSE looks for the provider of a key.
 *
 * <p>Every problem is a {@link StoreException} naming the file (for a token: its configuration
 * file and provider name), never the password or PIN.
 */
final class Stores {

    /** The SunPKCS11 provider made for each configuration file (absolute), once per JVM. */
    private static final Map<Path, Provider> TOKENS = new ConcurrentHashMap<>();

    /** The tokens (provider names) whose PIN was refused: not tried again in this JVM. */
    private static final Set<String> REFUSED_PIN = ConcurrentHashMap.newKeySet();

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
        return certificates(load(path, password, kind), path, kind + " " + path);
    }

    private static List<X509Certificate> certificates(KeyStore store, Path path, String what) {
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
            throw new StoreException(path, what + " could not be read: " + e.getMessage(), e);
        }
        return all;
    }

    /** Every certificate in a keystore or token, as {@link #everyCertificate(Path, char[], String)}. */
    static List<X509Certificate> everyCertificate(KeyStoreFile identity) {
        if (identity.type() == KeyStoreType.PKCS12) {
            return everyCertificate(identity.path(), identity.password(), "Keystore");
        }
        Provider provider = tokenProvider(identity.path());
        return certificates(openToken(provider, identity), identity.path(), token(provider, identity.path()));
    }

    /**
     * The key entry to use, chosen by the rule above, with its chain. From a PKCS#11 token the key
     * is the token's handle on it (it cannot be copied out), and signing with it needs the token's
     * provider.
     */
    static ChosenKey singleKey(KeyStoreFile identity) {
        if (identity.type() == KeyStoreType.PKCS12) {
            Path path = identity.path();
            return choose(load(path, identity.password(), "Keystore"), identity, "Keystore " + path, null);
        }
        return tokenKey(tokenProvider(identity.path()), identity);
    }

    /**
     * The key entry to use from the token that {@code provider} reaches, with the PIN in
     * {@code identity}; what {@link #singleKey} does for a PKCS#11 token once its configuration
     * has given the provider.
     */
    static ChosenKey tokenKey(Provider provider, KeyStoreFile identity) {
        return choose(openToken(provider, identity), identity, token(provider, identity.path()), provider);
    }

    /**
     * The SunPKCS11 provider for a configuration file, made once per file; it is added to the JVM's
     * provider list when its token is opened (JSSE finds the provider of a TLS key only there). The
     * TLS and the signing key from the same configuration share one provider, and with it one login.
     */
    static Provider tokenProvider(Path config) {
        if (!Files.isRegularFile(config)) {
            throw new StoreException(
                    config,
                    "PKCS#11 configuration " + config.toAbsolutePath() + " does not exist or is not a file",
                    null);
        }
        return TOKENS.computeIfAbsent(config.toAbsolutePath().normalize(), Stores::configure);
    }

    /** What a token is called in messages: its provider's name (from the configuration's name) and the file. */
    static String token(Provider provider, Path config) {
        return "PKCS#11 token " + provider.getName() + " (" + config + ")";
    }

    private static Provider configure(Path config) {
        Provider sunPkcs11 = Security.getProvider("SunPKCS11");
        if (sunPkcs11 == null) {
            throw new StoreException(
                    config,
                    "PKCS#11 configuration " + config + " cannot be used: this JVM has no SunPKCS11 provider"
                            + " (module jdk.crypto.cryptoki)",
                    null);
        }
        try {
            return sunPkcs11.configure(config.toString());
        } catch (InvalidParameterException | ProviderException e) {
            throw new StoreException(config, "PKCS#11 configuration " + config + " cannot be used: " + causes(e), e);
        }
    }

    private static KeyStore openToken(Provider provider, KeyStoreFile identity) {
        Path config = identity.path();
        String token = token(provider, config);
        install(provider, config);
        if (REFUSED_PIN.contains(provider.getName())) {
            // an HSM locks its token after a few wrong PINs: the start-up guard, the TLS key and the
            // signing key each opening the token must not spend three of them
            throw new StoreException(
                    config, token + " could not be opened: wrong PIN (refused before, not tried again)", null);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS11", provider);
            store.load(null, identity.password());
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                REFUSED_PIN.add(provider.getName());
                throw new StoreException(config, token + " could not be opened: wrong PIN", e);
            }
            throw new StoreException(config, token + " could not be opened: " + causes(e), e);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new StoreException(config, token + " could not be opened: " + causes(e), e);
        }
    }

    /** Adds the token's provider to the JVM's list, last, unless it is there; two configurations need two names. */
    @SuppressWarnings("ReferenceEquality") // the same provider object, not one with equal properties
    private static synchronized void install(Provider provider, Path config) {
        Provider installed = Security.getProvider(provider.getName());
        if (installed == null) {
            Security.addProvider(provider);
        } else if (installed != provider) {
            throw new StoreException(
                    config,
                    "PKCS#11 configuration " + config + " has the name of another provider, " + provider.getName()
                            + "; give each PKCS#11 configuration a name of its own",
                    null);
        }
    }

    /** The messages of an exception and its causes, without repeats: SunPKCS11 puts the PKCS#11 error code last. */
    private static String causes(Throwable e) {
        Set<String> messages = new java.util.LinkedHashSet<>();
        for (Throwable t = e; t != null && messages.size() < 5; t = t.getCause()) {
            messages.add(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        return String.join(": ", messages);
    }

    private static ChosenKey choose(KeyStore store, KeyStoreFile identity, String what, Provider provider) {
        Path path = identity.path();
        try {
            Set<String> keyAliases = new TreeSet<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            String alias = chosenAlias(path, what, keyAliases, identity);
            Key key;
            try {
                key = store.getKey(alias, identity.password());
            } catch (UnrecoverableKeyException e) {
                throw new StoreException(
                        path,
                        what + ": the key under alias '" + alias
                                + "' is protected with a different password than the store",
                        e);
            }
            Certificate[] chain = store.getCertificateChain(alias);
            if (!(key instanceof PrivateKey privateKey)
                    || chain == null
                    || chain.length == 0
                    || !Arrays.stream(chain).allMatch(X509Certificate.class::isInstance)) {
                throw new StoreException(
                        path, what + ": alias '" + alias + "' has no private key with a certificate chain", null);
            }
            List<X509Certificate> certificates =
                    Arrays.stream(chain).map(X509Certificate.class::cast).toList();
            return new ChosenKey(alias, privateKey, certificates, provider, what);
        } catch (GeneralSecurityException e) {
            throw new StoreException(path, what + " could not be used: " + e.getMessage(), e);
        }
    }

    private static String chosenAlias(Path path, String what, Set<String> keyAliases, KeyStoreFile identity) {
        if (identity.alias().isPresent()) {
            String wanted = identity.alias().get();
            return keyAliases.stream()
                    .filter(a -> a.toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT)))
                    .findFirst()
                    .orElseThrow(() -> new StoreException(
                            path,
                            what + " has no private key under alias '" + wanted + "'; its key aliases are "
                                    + keyAliases,
                            null));
        }
        if (keyAliases.size() == 1) {
            return keyAliases.iterator().next();
        }
        throw new StoreException(
                path,
                what
                        + (keyAliases.isEmpty()
                                ? " holds no private key"
                                : " holds several private keys " + keyAliases
                                        + "; configure which alias to use (wmo.tls.key-alias, wmo.signing.key-alias)"),
                null);
    }

    /**
     * The key entry chosen from a store, with its certificate chain (its own certificate first).
     *
     * @param provider the provider that must compute with the key (a token's); null: the JCA's usual choice
     * @param source   where the key is, for messages and the log: {@code Keystore <file>} or
     *                 {@code PKCS#11 token <provider> (<configuration file>)}
     */
    record ChosenKey(String alias, PrivateKey key, List<X509Certificate> chain, Provider provider, String source) {

        ChosenKey {
            chain = List.copyOf(chain);
        }

        /** A store holding only this entry, so that a key manager over it can present no other key. */
        KeyStore asStore() {
            return OneKeyStore.holding(alias, key, chain);
        }

        @Override
        public String toString() {
            return "ChosenKey[alias=" + alias + ", " + source + "]";
        }
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
