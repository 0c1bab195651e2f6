package nl.wmogateway.pki;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.RFC4519Style;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.prng.EntropySource;
import org.bouncycastle.crypto.prng.SP800SecureRandomBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes real X.509 material with Bouncy Castle: root and issuing CAs, TLS server/client leaf
 * certificates, CRLs, and the PKCS#12 and PEM files to hold them. Used by the
 * {@link ExamplePkiGenerator} and by tests that need certificates.
 *
 * <p>All keys are RSA ({@value #DEFAULT_KEY_BITS} bits unless {@link #withKeyBits(int)} says
 * otherwise) and everything is signed SHA256withRSA. CAs get BasicConstraints CA (the issuing CA
 * with path length 0) and KeyUsage keyCertSign+cRLSign; leaves get BasicConstraints end-entity,
 * KeyUsage digitalSignature+keyEncipherment and ExtendedKeyUsage serverAuth and/or clientAuth.
 * Every certificate has a SubjectKeyIdentifier and an AuthorityKeyIdentifier.
 *
 * <p>{@link #seeded(String)} makes generation reproducible: each key pair comes from a SHA-256
 * Hash_DRBG (NIST SP 800-90A) whose only input is the seed and the certificate's name, and serial
 * numbers are derived the same way. Because PKCS#1 v1.5 signatures are deterministic, the same
 * seed, names, subjects and dates give byte-identical certificates and CRLs on every run,
 * independent of the order in which they are made. PKCS#12 files are not byte-identical (the JDK
 * salts them randomly) but hold the same keys and certificates. {@link #random()} is for
 * throw-away material in tests.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Pki {

    public static final int DEFAULT_KEY_BITS = 2048;
    public static final String SIGNATURE_ALGORITHM = "SHA256withRSA";

    private static final Provider BC = new BouncyCastleProvider();
    // the derivation domain keeps the name the package had when the example PKI was first made: changing it changes
    // every key
    private static final byte[] DOMAIN = "nl.wmogateway.transport.pki/v1".getBytes(StandardCharsets.UTF_8);

    private final Randomness randomness;
    private final int keyBits;

    private Pki(Randomness randomness, int keyBits) {
        this.randomness = randomness;
        this.keyBits = keyBits;
    }

    /** Fresh keys and serial numbers from the system's SecureRandom on every call. */
    public static Pki random() {
        SecureRandom shared = new SecureRandom();
        return new Pki((purpose, name) -> shared, DEFAULT_KEY_BITS);
    }

    /**
     * Keys and serial numbers that depend only on {@code seed} and each certificate's name, so
     * that the same inputs give the same certificates. For example material and tests only: anyone
     * who knows the seed has the private keys.
     */
    public static Pki seeded(String seed) {
        Objects.requireNonNull(seed, "seed");
        byte[] seedBytes = seed.getBytes(StandardCharsets.UTF_8);
        return new Pki((purpose, name) -> deterministicRandom(seedBytes, purpose, name), DEFAULT_KEY_BITS);
    }

    /** The same source of randomness with RSA keys of {@code bits} (2048, 3072 or 4096). */
    public Pki withKeyBits(int bits) {
        if (bits != 2048 && bits != 3072 && bits != 4096) {
            throw new IllegalArgumentException("RSA key size must be 2048, 3072 or 4096, got " + bits);
        }
        return new Pki(randomness, bits);
    }

    /** The RSA key pair for {@code name}; with a seeded Pki the same name always gives the same pair. */
    public KeyPair keyPair(String name) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", BC);
            generator.initialize(
                    new RSAKeyGenParameterSpec(keyBits, RSAKeyGenParameterSpec.F4), randomness.random("key", name));
            KeyPair pair = generator.generateKeyPair();
            // Hand out JDK key objects, so that JSSE and KeyStore treat them like any loaded key.
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            return new KeyPair(
                    rsa.generatePublic(new X509EncodedKeySpec(pair.getPublic().getEncoded())),
                    rsa.generatePrivate(
                            new PKCS8EncodedKeySpec(pair.getPrivate().getEncoded())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key pair for " + name, e);
        }
    }

    /** A self-signed root CA. The spec's roles and alternative names must be empty. */
    public Credential rootCa(CertificateSpec spec) {
        requireCaSpec(spec);
        KeyPair keys = keyPair(spec.name());
        X500Name subject = x500Name(spec.subject());
        X509Certificate certificate = sign(
                spec,
                subject,
                keys.getPublic(),
                subject,
                keys.getPublic(),
                keys.getPrivate(),
                caExtensions(new BasicConstraints(true)));
        return new Credential(spec.name(), keys.getPrivate(), List.of(certificate));
    }

    /** An issuing (intermediate) CA under {@code issuer}, allowed to issue leaf certificates only. */
    public Credential issuingCa(CertificateSpec spec, Credential issuer) {
        requireCaSpec(spec);
        return issue(spec, issuer, caExtensions(new BasicConstraints(0)));
    }

    /** A TLS leaf certificate issued by {@code issuer}; the spec must name at least one role. */
    public Credential leaf(CertificateSpec spec, Credential issuer) {
        if (spec.roles().isEmpty()) {
            throw new IllegalArgumentException("leaf " + spec.name() + " needs a TLS role (SERVER and/or CLIENT)");
        }
        return issue(spec, issuer, leafExtensions(spec));
    }

    /** A CRL signed by {@code ca} (with AuthorityKeyIdentifier and CRLNumber). */
    public X509CRL crl(Credential ca, CrlSpec spec) {
        X509Certificate caCertificate = ca.certificate();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()),
                Date.from(spec.thisUpdate()));
        builder.setNextUpdate(Date.from(spec.nextUpdate()));
        for (CrlSpec.Revocation revocation : spec.revoked()) {
            builder.addCRLEntry(
                    revocation.serialNumber(), Date.from(revocation.revocationDate()), revocation.reason().code);
        }
        try {
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    new AuthorityKeyIdentifier(subjectKeyIdentifier(caCertificate)));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(spec.crlNumber()));
            X509CRLHolder holder = builder.build(signer(ca.privateKey()));
            X509CRL crl = new JcaX509CRLConverter().getCRL(holder);
            crl.verify(ca.publicKey());
            return crl;
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a CRL for " + ca.name(), e);
        }
    }

    /**
     * Writes {@code credential}'s key and full chain to a PKCS#12 keystore under {@code alias}, the
     * key protected with the store password (the PKCS#12 convention Java and OpenSSL expect).
     */
    public static void writeKeystore(Path file, Credential credential, String alias, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(
                    alias, credential.privateKey(), password, credential.chain().toArray(new Certificate[0]));
            save(file, store, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write keystore " + file, e);
        }
    }

    /** Writes a PKCS#12 truststore with one trusted-certificate entry per alias. */
    public static void writeTruststore(Path file, Map<String, X509Certificate> trustedByAlias, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (Map.Entry<String, X509Certificate> trusted : trustedByAlias.entrySet()) {
                store.setCertificateEntry(trusted.getKey(), trusted.getValue());
            }
            save(file, store, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write truststore " + file, e);
        }
    }

    /** Writes certificates as PEM, in the order given. */
    public static void writePem(Path file, List<X509Certificate> certificates) {
        write(file, pem(certificates));
    }

    /** Writes a CRL as PEM. */
    public static void writePem(Path file, X509CRL crl) {
        write(file, pem(crl));
    }

    /** PEM text ({@code -----BEGIN CERTIFICATE-----}, 64-column base64, LF line ends) of the certificates. */
    public static String pem(List<X509Certificate> certificates) {
        StringBuilder text = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                text.append(pem("CERTIFICATE", certificate.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot encode " + certificate.getSubjectX500Principal(), e);
            }
        }
        return text.toString();
    }

    /** PEM text ({@code -----BEGIN X509 CRL-----}) of the CRL. */
    public static String pem(X509CRL crl) {
        try {
            return pem("X509 CRL", crl.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the CRL of " + crl.getIssuerX500Principal(), e);
        }
    }

    private Credential issue(CertificateSpec spec, Credential issuer, Extensions extensions) {
        KeyPair keys = keyPair(spec.name());
        X509Certificate issuerCertificate = issuer.certificate();
        X509Certificate certificate = sign(
                spec,
                x500Name(spec.subject()),
                keys.getPublic(),
                X500Name.getInstance(issuerCertificate.getSubjectX500Principal().getEncoded()),
                issuerCertificate.getPublicKey(),
                issuer.privateKey(),
                extensions);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(issuer.chain());
        return new Credential(spec.name(), keys.getPrivate(), chain);
    }

    /** The extensions that differ per kind of certificate; SKI and AKI are added to all. */
    @FunctionalInterface
    private interface Extensions {
        void addTo(X509v3CertificateBuilder builder) throws CertIOException;
    }

    private static Extensions caExtensions(BasicConstraints constraints) {
        return builder -> {
            builder.addExtension(Extension.basicConstraints, true, constraints);
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        };
    }

    private static Extensions leafExtensions(CertificateSpec spec) {
        return builder -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            List<KeyPurposeId> purposes = new ArrayList<>();
            if (spec.roles().contains(CertificateSpec.TlsRole.SERVER)) {
                purposes.add(KeyPurposeId.id_kp_serverAuth);
            }
            if (spec.roles().contains(CertificateSpec.TlsRole.CLIENT)) {
                purposes.add(KeyPurposeId.id_kp_clientAuth);
            }
            builder.addExtension(
                    Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
            if (spec.hasAlternativeNames()) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(spec));
            }
            if (spec.crlDistributionPoint().isPresent()) {
                GeneralNames url = new GeneralNames(new GeneralName(
                        GeneralName.uniformResourceIdentifier,
                        spec.crlDistributionPoint().get().toString()));
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                    new DistributionPoint(new DistributionPointName(url), null, null)
                }));
            }
        };
    }

    private static GeneralNames alternativeNames(CertificateSpec spec) {
        List<GeneralName> names = new ArrayList<>();
        spec.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        spec.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        spec.uziServerName()
                .ifPresent(uzi -> names.add(new GeneralName(
                        GeneralName.otherName,
                        new OtherName(
                                new ASN1ObjectIdentifier(UziServerName.TYPE_ID), new DERIA5String(uzi.value())))));
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }

    private X509Certificate sign(
            CertificateSpec spec,
            X500Name subject,
            PublicKey subjectKey,
            X500Name issuer,
            PublicKey issuerKey,
            PrivateKey signingKey,
            Extensions extensions) {
        BigInteger serial = spec.serialNumber().orElseGet(() -> serialNumber(spec.name()));
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                issuer,
                serial,
                Date.from(spec.validity().notBefore()),
                Date.from(spec.validity().notAfter()),
                subject,
                subjectKey);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            extensions.addTo(builder);
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    new AuthorityKeyIdentifier(
                            utils.createSubjectKeyIdentifier(issuerKey).getKeyIdentifier()));
            X509Certificate certificate =
                    new JcaX509CertificateConverter().getCertificate(builder.build(signer(signingKey)));
            certificate.verify(issuerKey);
            return certificate;
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue certificate " + spec.name(), e);
        }
    }

    /** A positive 16-byte serial with the top bits fixed, so its DER length never varies. */
    private BigInteger serialNumber(String name) {
        byte[] bytes = new byte[16];
        randomness.random("serial", name).nextBytes(bytes);
        bytes[0] = (byte) ((bytes[0] & 0x3F) | 0x40);
        return new BigInteger(1, bytes);
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM)
                    .setProvider(BC)
                    .build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with " + SIGNATURE_ALGORITHM, e);
        }
    }

    private static byte[] subjectKeyIdentifier(X509Certificate certificate) throws GeneralSecurityException {
        return new JcaX509ExtensionUtils()
                .createSubjectKeyIdentifier(certificate.getPublicKey())
                .getKeyIdentifier();
    }

    /**
     * Parses an RFC 4514 DN. RFC4519Style reads the string most-specific-first and encodes the RDNs
     * in the reverse (X.500) order, C first, CN last, as CAs and the JDK do; text values become
     * UTF8String, and C and serialNumber PrintableString, as RFC 5280 asks.
     */
    static X500Name x500Name(String dn) {
        try {
            return new X500Name(RFC4519Style.INSTANCE, dn);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a distinguished name: " + dn, e);
        }
    }

    private static void requireCaSpec(CertificateSpec spec) {
        if (!spec.roles().isEmpty() || spec.hasAlternativeNames()) {
            throw new IllegalArgumentException("CA " + spec.name() + " must not have TLS roles or alternative names");
        }
    }

    private static void save(Path file, KeyStore store, char[] password) throws IOException, GeneralSecurityException {
        createParent(file);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
    }

    private static void write(Path file, String text) {
        try {
            createParent(file);
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Where a certificate's key pair and serial number get their randomness. */
    @FunctionalInterface
    private interface Randomness {
        SecureRandom random(String purpose, String name);
    }

    /**
     * A Hash_DRBG whose entropy input is a fixed SHA-512 of (domain, seed, purpose, name). Its output
     * is fully determined by those inputs; setSeed does not mix in anything else.
     */
    private static SecureRandom deterministicRandom(byte[] seed, String purpose, String name) {
        byte[] material = digest(seed, purpose.getBytes(StandardCharsets.UTF_8), name.getBytes(StandardCharsets.UTF_8));
        EntropySource fixed = new EntropySource() {
            @Override
            public boolean isPredictionResistant() {
                return false;
            }

            @Override
            public byte[] getEntropy() {
                return material.clone();
            }

            @Override
            public int entropySize() {
                return material.length * 8;
            }
        };
        return new SP800SecureRandomBuilder(bits -> fixed)
                .setPersonalizationString(DOMAIN)
                .buildHash(new SHA256Digest(), DOMAIN, false);
    }

    private static byte[] digest(byte[]... parts) {
        SHA512Digest digest = new SHA512Digest();
        update(digest, DOMAIN);
        for (byte[] part : parts) {
            update(digest, part);
        }
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    // Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
    private static void update(SHA512Digest digest, byte[] part) {
        digest.update((byte) (part.length >>> 24));
        digest.update((byte) (part.length >>> 16));
        digest.update((byte) (part.length >>> 8));
        digest.update((byte) part.length);
        digest.update(part, 0, part.length);
    }
}
