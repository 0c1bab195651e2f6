package nl.wmogateway.trust;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyStoreSpi;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import nl.wmogateway.pki.Credential;

/**
 * A stand-in for a PKCS#11 token, for machines without SoftHSM: a provider with a key store of
 * type {@code PKCS11} that is opened with a PIN and hands out keys that cannot be copied (no
 * encoding, no private parts: only the modulus, as a token's RSA key shows), and the signatures
 * that only it can compute with them. Like the SunPKCS11 provider, it refuses a wrong PIN with an
 * {@code IOException} caused by an {@code UnrecoverableKeyException}. It counts the signatures it
 * makes, so a test can see that the token, not a copy of the key, did the work.
 */
final class StandInToken extends Provider {

    private static final long serialVersionUID = 1L;
    private static final AtomicInteger NUMBER = new AtomicInteger();

    /** The key entries: alias, the credential whose key the token keeps. */
    private final transient Map<String, Credential> entries;

    private final transient char[] pin;
    private final transient AtomicInteger signatures = new AtomicInteger();
    private final transient AtomicInteger logins = new AtomicInteger();

    /** A token with a name of its own (providers are installed by name), holding {@code entries}. */
    StandInToken(String pin, Map<String, Credential> entries) {
        super("StandInToken-" + NUMBER.incrementAndGet(), "1.0", "a PKCS#11 token stand-in for tests");
        this.pin = pin.toCharArray();
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        putService(new TokenService(this, "KeyStore", "PKCS11"));
        for (String algorithm : List.of("SHA256withRSA", "RSASSA-PSS", "SHA384withRSA", "SHA512withRSA")) {
            putService(new TokenService(this, "Signature", algorithm));
        }
    }

    /** How many times a PIN was presented to the token, right or wrong. */
    int logins() {
        return logins.get();
    }

    /** How many signatures the token has computed. */
    int signatures() {
        return signatures.get();
    }

    /** A key that stays in the token: what the key store hands out for an alias. */
    static final class TokenKey implements PrivateKey, RSAKey {

        private static final long serialVersionUID = 1L;

        private final String alias;
        private final BigInteger modulus;
        private final transient StandInToken token;

        TokenKey(StandInToken token, String alias, BigInteger modulus) {
            this.token = token;
            this.alias = alias;
            this.modulus = modulus;
        }

        @Override
        public String getAlgorithm() {
            return "RSA";
        }

        /** No encoding: the key cannot be exported. */
        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }

        @Override
        public BigInteger getModulus() {
            return modulus;
        }

        @Override
        public String toString() {
            return "TokenKey[" + alias + " in " + (token == null ? "?" : token.getName()) + "]";
        }
    }

    private static final class TokenService extends Service {

        private final StandInToken token;

        TokenService(StandInToken token, String type, String algorithm) {
            super(token, type, algorithm, TokenService.class.getName(), null, null);
            this.token = token;
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            return switch (getType()) {
                case "KeyStore" -> new TokenStore(token);
                case "Signature" -> new TokenSignature(token, getAlgorithm());
                default -> throw new NoSuchAlgorithmException(getType());
            };
        }

        @Override
        public boolean supportsParameter(Object parameter) {
            return !"Signature".equals(getType()) || parameter instanceof TokenKey;
        }
    }

    private static final class TokenStore extends KeyStoreSpi {

        private final StandInToken token;
        private boolean loggedIn;

        TokenStore(StandInToken token) {
            this.token = token;
        }

        @Override
        public void engineLoad(InputStream in, char[] password) throws IOException {
            if (in != null) {
                throw new IOException("a token is not read from a stream");
            }
            token.logins.incrementAndGet();
            if (password == null || !Arrays.equals(password, token.pin)) {
                throw new IOException("load failed", new UnrecoverableKeyException("CKR_PIN_INCORRECT"));
            }
            loggedIn = true;
        }

        private Credential entry(String alias) {
            if (!loggedIn) {
                throw new IllegalStateException("not logged in");
            }
            return token.entries.get(alias);
        }

        @Override
        public Key engineGetKey(String alias, char[] password) {
            Credential credential = entry(alias);
            return credential == null
                    ? null
                    : new TokenKey(token, alias, ((RSAPublicKey) credential.publicKey()).getModulus());
        }

        @Override
        public Certificate[] engineGetCertificateChain(String alias) {
            Credential credential = entry(alias);
            return credential == null ? null : credential.chain().toArray(new Certificate[0]);
        }

        @Override
        public Certificate engineGetCertificate(String alias) {
            Credential credential = entry(alias);
            return credential == null ? null : credential.certificate();
        }

        @Override
        public Date engineGetCreationDate(String alias) {
            return null;
        }

        @Override
        public void engineSetKeyEntry(String alias, Key key, char[] password, Certificate[] chain) {
            throw new UnsupportedOperationException("the stand-in token is read-only");
        }

        @Override
        public void engineSetKeyEntry(String alias, byte[] key, Certificate[] chain) {
            throw new UnsupportedOperationException("the stand-in token is read-only");
        }

        @Override
        public void engineSetCertificateEntry(String alias, Certificate cert) {
            throw new UnsupportedOperationException("the stand-in token is read-only");
        }

        @Override
        public void engineDeleteEntry(String alias) {
            throw new UnsupportedOperationException("the stand-in token is read-only");
        }

        @Override
        public Enumeration<String> engineAliases() {
            return Collections.enumeration(token.entries.keySet());
        }

        @Override
        public boolean engineContainsAlias(String alias) {
            return token.entries.containsKey(alias);
        }

        @Override
        public int engineSize() {
            return token.entries.size();
        }

        @Override
        public boolean engineIsKeyEntry(String alias) {
            return token.entries.containsKey(alias);
        }

        @Override
        public boolean engineIsCertificateEntry(String alias) {
            return false;
        }

        @Override
        public String engineGetCertificateAlias(Certificate cert) {
            return token.entries.entrySet().stream()
                    .filter(e -> e.getValue().certificate().equals(cert))
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse(null);
        }

        @Override
        public void engineStore(OutputStream out, char[] password) {
            throw new UnsupportedOperationException("a token is not written to a stream");
        }
    }

    /** Signs inside the token: with the key the token keeps for the alias, never a key it is given. */
    private static final class TokenSignature extends SignatureSpi {

        private final StandInToken token;
        private final String algorithm;
        private Signature inside;
        private AlgorithmParameterSpec parameters;

        TokenSignature(StandInToken token, String algorithm) {
            this.token = token;
            this.algorithm = algorithm;
        }

        @Override
        protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
            engineInitSign(key, null);
        }

        @Override
        @SuppressWarnings("ReferenceEquality") // this token object, not one with equal properties
        protected void engineInitSign(PrivateKey key, SecureRandom random) throws InvalidKeyException {
            if (!(key instanceof TokenKey tokenKey) || tokenKey.token != token) {
                throw new InvalidKeyException("not a key of " + token.getName());
            }
            Credential credential = token.entries.get(tokenKey.alias);
            try {
                inside = Signature.getInstance(algorithm);
                if (parameters != null) {
                    inside.setParameter(parameters);
                }
                if (random == null) {
                    inside.initSign(credential.privateKey());
                } else {
                    inside.initSign(credential.privateKey(), random);
                }
            } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
                throw new InvalidKeyException(e);
            }
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            throw new InvalidKeyException("the stand-in token only signs");
        }

        @Override
        protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
            // JSSE sets the PSS parameters before it initialises: kept for the signature made at initSign
            parameters = params;
            if (inside != null) {
                inside.setParameter(params);
            }
        }

        @Override
        protected AlgorithmParameters engineGetParameters() {
            return inside == null ? null : inside.getParameters();
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            inside.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
            inside.update(b, off, len);
        }

        @Override
        protected void engineUpdate(ByteBuffer input) {
            try {
                inside.update(input);
            } catch (SignatureException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            token.signatures.incrementAndGet();
            return inside.sign();
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
            throw new SignatureException("the stand-in token only signs");
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new InvalidParameterException("not supported");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new InvalidParameterException("not supported");
        }
    }
}
