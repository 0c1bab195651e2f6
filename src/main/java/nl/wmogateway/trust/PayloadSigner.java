package nl.wmogateway.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs outbound payloads (ondersteuningsplan renderings, iWmo messages: any bytes) with the
 * gateway's organisation key, as a detached CMS SignedData that a receiver verifies with only the
 * public certificate, e.g. {@code openssl cms -verify -binary -inform DER ...}.
 *
 * <p>Each signature has: digest SHA-256; for an RSA key SHA256withRSA with PKCS#1 v1.5 padding
 * (for an EC key SHA256withECDSA); signed attributes content-type (id-data), message-digest,
 * signing-time, CMS algorithm protection (RFC 6211) and ESS signing-certificate-v2 (RFC 5035, which
 * binds the signer's certificate into the signature, as CAdES-BES does); the signer's certificate
 * and the intermediate CAs of its chain, not the root, which the receiver must already trust.
 * PKCS#1 v1.5 over PSS because every CMS implementation a gemeente's supplier may run verifies
 * it; the reasons are in {@code docs/signatures.md}.
 *
 * <p>Instances are immutable and thread-safe: each {@link #sign} builds its own (cheap) CMS
 * generator and JCA Signature. The key is checked against the certificate once, at construction.
 */
public final class PayloadSigner {

    private final PrivateKey key;
    /** The provider that signs with {@link #key} (a PKCS#11 token's); null: the JCA chooses, as for a key from a file. */
    private final Provider keyProvider;

    private final X509Certificate certificate;
    private final List<X509Certificate> included;
    private final String signatureAlgorithm;
    private final X509CertificateHolder signerHolder;
    private final JcaCertStore certificateStore;
    private final Attribute signingCertificate;
    private final DigestCalculatorProvider digests;
    private final Clock clock;

    private PayloadSigner(
            PrivateKey key,
            Provider keyProvider,
            X509Certificate certificate,
            List<X509Certificate> included,
            Clock clock) {
        this.key = key;
        this.keyProvider = keyProvider;
        this.certificate = certificate;
        this.included = List.copyOf(included);
        this.signatureAlgorithm = signatureAlgorithm(key);
        this.clock = clock;
        try {
            this.signerHolder = new JcaX509CertificateHolder(certificate);
            this.certificateStore = new JcaCertStore(this.included);
            this.signingCertificate = signingCertificateV2(certificate);
            this.digests = new JcaDigestCalculatorProviderBuilder().build();
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(
                    "cannot prepare signing with " + SignatureVerifier.describe(certificate), e);
        }
    }

    /**
     * A signer for {@code key}, whose certificate is {@code chain.get(0)}; the rest of the chain
     * (issuing CAs, up to the root) is included in every signature except a self-signed root.
     *
     * @throws IllegalArgumentException if the key does not belong to the certificate, is neither RSA
     *                                  nor EC, or the certificate's KeyUsage forbids signing
     */
    public static PayloadSigner of(PrivateKey key, List<X509Certificate> chain) {
        return of(key, chain, null);
    }

    /**
     * The same, for a key that only {@code keyProvider} can sign with: a PKCS#11 token's key, which
     * never leaves the token. Null: the JCA's usual choice of provider.
     */
    static PayloadSigner of(PrivateKey key, List<X509Certificate> chain, Provider keyProvider) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(chain, "chain");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the chain must hold at least the signer's certificate");
        }
        X509Certificate certificate = chain.get(0);
        requireSigningKeyUsage(certificate);
        requireMatchingKey(key, keyProvider, certificate);
        List<X509Certificate> included = new ArrayList<>(chain);
        if (included.size() > 1 && isSelfSigned(included.get(included.size() - 1))) {
            included.remove(included.size() - 1);
        }
        return new PayloadSigner(key, keyProvider, certificate, included, Clock.systemUTC());
    }

    /**
     * A signer for the key entry in a PKCS#12 keystore, its key protected with the store password
     * (as in {@code wmo.tls.keystore}), chosen by the same rule as the TLS key ({@link KeyMaterial};
     * {@code KeyMaterial.load(identity).signer()} for a PKCS#11 token).
     * Problems name the file, never the password.
     *
     * @param alias which key entry; may be empty only if the store holds exactly one key
     * @throws IllegalStateException if the store cannot be read or has no (single) suitable key entry
     */
    public static PayloadSigner fromKeystore(Path keystore, char[] password, Optional<String> alias) {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(alias, "alias");
        return KeyMaterial.load(keystore, password, alias).signer();
    }

    /**
     * The same signer, but its signatures carry only the signer's certificate, no intermediates.
     * For receivers that limit header sizes (a three-certificate PKIoverheid chain with 4096-bit
     * keys makes a header over 8 kB) and that have the intermediates themselves.
     */
    public PayloadSigner signerCertificateOnly() {
        return new PayloadSigner(key, keyProvider, certificate, List.of(certificate), clock);
    }

    /** The same signer taking signing-time from {@code signingClock} (for tests). */
    public PayloadSigner withClock(Clock signingClock) {
        return new PayloadSigner(
                key, keyProvider, certificate, included, Objects.requireNonNull(signingClock, "signingClock"));
    }

    /**
     * A detached CMS SignedData over exactly {@code payload}.
     *
     * @throws IllegalStateException if the JCA cannot sign (a broken key store or HSM), never for any payload
     */
    public DetachedSignature sign(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        try {
            JcaContentSignerBuilder signerBuilder = new JcaContentSignerBuilder(signatureAlgorithm);
            if (keyProvider != null) {
                signerBuilder.setProvider(keyProvider);
            }
            ContentSigner contentSigner = signerBuilder.build(key);
            SignerInfoGenerator signerInfo = new JcaSignerInfoGeneratorBuilder(digests)
                    .setSignedAttributeGenerator(signedAttributes(clock.instant()))
                    .build(contentSigner, signerHolder);
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(signerInfo);
            generator.addCertificates(certificateStore);
            CMSSignedData signed = generator.generate(new CMSProcessableByteArray(payload), false);
            return new DetachedSignature(signed.getEncoded(ASN1Encoding.DER));
        } catch (OperatorCreationException | CMSException | IOException e) {
            throw new IllegalStateException("cannot sign with " + SignatureVerifier.describe(certificate), e);
        }
    }

    /** The signer's certificate: what receivers pin or match. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificates every signature carries: the signer's first, then intermediates. */
    public List<X509Certificate> includedCertificates() {
        return included;
    }

    /** The JCA signature algorithm, {@code SHA256withRSA} or {@code SHA256withECDSA}. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** Whether the key is in a PKCS#11 token, which computes every signature. */
    public boolean keyInToken() {
        return keyProvider != null;
    }

    @Override
    public String toString() {
        return "PayloadSigner[" + signatureAlgorithm + ", " + SignatureVerifier.describe(certificate) + ", "
                + included.size() + " certificate(s) included]";
    }

    /** content-type and message-digest are added by BC's default generator, with algorithm protection. */
    private DefaultSignedAttributeTableGenerator signedAttributes(Instant signingTime) {
        Hashtable<ASN1ObjectIdentifier, Attribute> attributes = new Hashtable<>();
        // Time chooses UTCTime up to 2049 and GeneralizedTime after, as RFC 5652 section 11.3 requires.
        attributes.put(
                CMSAttributes.signingTime,
                new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(signingTime)))));
        attributes.put(PKCSObjectIdentifiers.id_aa_signingCertificateV2, signingCertificate);
        return new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes));
    }

    private static Attribute signingCertificateV2(X509Certificate certificate) throws GeneralSecurityException {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        IssuerSerial issuerSerial = new IssuerSerial(
                new GeneralNames(new GeneralName(X500Name.getInstance(
                        certificate.getIssuerX500Principal().getEncoded()))),
                certificate.getSerialNumber());
        // SHA-256 is ESSCertIDv2's default hash algorithm, so it is left out of the encoding.
        SigningCertificateV2 value = new SigningCertificateV2(new ESSCertIDv2(hash, issuerSerial));
        return new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2, new DERSet(value));
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default ->
                throw new IllegalArgumentException(
                        "cannot sign with a " + key.getAlgorithm() + " key; the gateway signs with RSA or EC keys");
        };
    }

    private static void requireSigningKeyUsage(X509Certificate certificate) {
        boolean[] usage = certificate.getKeyUsage();
        // bit 0 digitalSignature, bit 1 nonRepudiation (contentCommitment)
        if (usage != null && !usage[0] && !(usage.length > 1 && usage[1])) {
            throw new IllegalArgumentException("the KeyUsage of " + SignatureVerifier.describe(certificate)
                    + " allows neither digitalSignature nor nonRepudiation; receivers would refuse its signatures");
        }
    }

    /** Catches a keystore alias or file that pairs the wrong key with the certificate, at start-up. */
    private static void requireMatchingKey(PrivateKey key, Provider keyProvider, X509Certificate certificate) {
        byte[] probe = "nl.wmogateway.trust key check".getBytes(StandardCharsets.US_ASCII);
        String algorithm = signatureAlgorithm(key);
        try {
            Signature signer = keyProvider == null
                    ? Signature.getInstance(algorithm)
                    : Signature.getInstance(algorithm, keyProvider);
            signer.initSign(key);
            signer.update(probe);
            byte[] value = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(value)) {
                throw new IllegalArgumentException(
                        "the private key does not belong to " + SignatureVerifier.describe(certificate));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "the private key cannot sign for " + SignatureVerifier.describe(certificate) + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private static boolean isSelfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
