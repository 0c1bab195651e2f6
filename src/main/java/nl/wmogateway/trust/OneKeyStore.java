package nl.wmogateway.trust;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreSpi;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;
import java.util.List;

/**
 * A read-only key store in memory that holds exactly one key entry: the key {@link Stores} chose,
 * as the object the store it came from handed out. A key manager over it can present no other
 * key. Nothing is copied or encoded, so it holds a PKCS#11 key (a reference to a key that never
 * leaves its token) as well as a key read from a PKCS#12 file. The password given for the key
 * is ignored: the key was unlocked when its store was opened.
 */
final class OneKeyStore extends KeyStoreSpi {

    private final String alias;
    private final PrivateKey key;
    private final Certificate[] chain;

    private OneKeyStore(String alias, PrivateKey key, List<X509Certificate> chain) {
        this.alias = alias;
        this.key = key;
        this.chain = chain.toArray(new Certificate[0]);
    }

    /** A loaded {@link KeyStore} with the one entry {@code alias}. */
    static KeyStore holding(String alias, PrivateKey key, List<X509Certificate> chain) {
        KeyStore store = new KeyStore(new OneKeyStore(alias, key, chain), null, "one-key") {};
        try {
            store.load(null, null);
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("an in-memory key store cannot fail to load", e);
        }
        return store;
    }

    private boolean is(String name) {
        return alias.equals(name);
    }

    @Override
    public Key engineGetKey(String name, char[] password) {
        return is(name) ? key : null;
    }

    @Override
    public Certificate[] engineGetCertificateChain(String name) {
        return is(name) ? chain.clone() : null;
    }

    @Override
    public Certificate engineGetCertificate(String name) {
        return is(name) ? chain[0] : null;
    }

    @Override
    public Date engineGetCreationDate(String name) {
        return null;
    }

    @Override
    public void engineSetKeyEntry(String name, Key newKey, char[] password, Certificate[] newChain) {
        throw new UnsupportedOperationException("read-only");
    }

    @Override
    public void engineSetKeyEntry(String name, byte[] encodedKey, Certificate[] newChain) {
        throw new UnsupportedOperationException("read-only");
    }

    @Override
    public void engineSetCertificateEntry(String name, Certificate certificate) {
        throw new UnsupportedOperationException("read-only");
    }

    @Override
    public void engineDeleteEntry(String name) {
        throw new UnsupportedOperationException("read-only");
    }

    @Override
    public Enumeration<String> engineAliases() {
        return Collections.enumeration(List.of(alias));
    }

    @Override
    public boolean engineContainsAlias(String name) {
        return is(name);
    }

    @Override
    public int engineSize() {
        return 1;
    }

    @Override
    public boolean engineIsKeyEntry(String name) {
        return is(name);
    }

    @Override
    public boolean engineIsCertificateEntry(String name) {
        return false;
    }

    @Override
    public String engineGetCertificateAlias(Certificate certificate) {
        return chain[0].equals(certificate) ? alias : null;
    }

    @Override
    public void engineStore(OutputStream out, char[] password) {
        throw new UnsupportedOperationException("an in-memory store of one key is not written anywhere");
    }

    @Override
    public void engineLoad(InputStream in, char[] password) {
        // nothing to read: the entry is given at construction
    }
}
