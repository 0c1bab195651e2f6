package nl.wmogateway.trust;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.ess.ESSCertID;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificate;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Checks a detached CMS signature over a payload and answers with a {@link Verification}: valid, or
 * {@code missing}, {@code malformed}, {@code digest-mismatch}, {@code wrong-signer} or
 * {@code bad-signature}. No input, however broken, makes it throw.
 *
 * <p>Two ways to decide who may have signed:
 * <ul>
 *   <li><b>pinned</b> ({@link #verify(byte[], byte[], X509Certificate)}): the signer must be exactly
 *       the given certificate(s), e.g. a partner's public certificate the operator configured. Needs
 *       no CA; certificates in the CMS are only used to name a wrong signer.</li>
 *   <li><b>embedded</b> ({@link #verifyWithEmbeddedCertificate}): the CMS carries the signer's
 *       certificate, which must chain (PKIX, with the CMS's other certificates as intermediates) to
 *       one of this verifier's trust anchors and be accepted by the caller's predicate, typically
 *       the partner's {@code CertificateIdentity::matches}. Reports which certificate signed.</li>
 * </ul>
 *
 * <p>Accepted: one SignerInfo; digest SHA-256, -384 or -512; RSA (PKCS#1 v1.5 or PSS) or ECDSA;
 * the CMS detached, over id-data. A signer certificate whose KeyUsage allows neither
 * digitalSignature nor nonRepudiation is a wrong signer. For the embedded way the signer's chain
 * is judged by the same {@link CertificateValidator} as every TLS handshake ({@link #using}):
 * chain, validity at this verifier's clock, key usage, and revocation by CRL as the gateway's
 * revocation mode says. The signature's signing-time is checked against the certificate for both.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SignatureVerifier {

    /** Larger DER is refused unread: a signature with a long chain is a few kB. */
    public static final int MAX_SIGNATURE_BYTES = 256 * 1024;

    private static final Provider BC = new BouncyCastleProvider();

    private static final Set<ASN1ObjectIdentifier> DIGESTS =
            Set.of(NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);

    private static final Set<ASN1ObjectIdentifier> SIGNATURE_ALGORITHMS = Set.of(
            PKCSObjectIdentifiers.rsaEncryption,
            PKCSObjectIdentifiers.sha256WithRSAEncryption,
            PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption,
            PKCSObjectIdentifiers.id_RSASSA_PSS,
            X9ObjectIdentifiers.id_ecPublicKey,
            X9ObjectIdentifiers.ecdsa_with_SHA256,
            X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512);

    private static final Map<ASN1ObjectIdentifier, String> CERT_HASHES = Map.of(
            NISTObjectIdentifiers.id_sha256, "SHA-256",
            NISTObjectIdentifiers.id_sha384, "SHA-384",
            NISTObjectIdentifiers.id_sha512, "SHA-512",
            OIWObjectIdentifiers.idSHA1, "SHA-1");

    private final Optional<CertificateValidator> validator;
    private final Clock clock;

    private SignatureVerifier(Optional<CertificateValidator> validator, Clock clock) {
        this.validator = validator;
        this.clock = clock;
    }

    /**
     * A verifier whose embedded-certificate checks go through the gateway's certificate validator:
     * the same trust anchors, CRLs and revocation mode as every TLS handshake.
     */
    public static SignatureVerifier using(CertificateValidator validator) {
        return new SignatureVerifier(Optional.of(validator), Clock.systemUTC());
    }

    /**
     * A verifier whose embedded-certificate checks accept chains to {@code trustedCas} (typically
     * the roots and issuing CAs of the truststore). For pinned checks only, pass an empty list.
     */
    public static SignatureVerifier trusting(Collection<X509Certificate> trustedCas) {
        Clock clock = Clock.systemUTC();
        return new SignatureVerifier(
                trustedCas.isEmpty()
                        ? Optional.empty()
                        : Optional.of(CertificateValidator.withoutRevocation(
                                new TrustAnchors(List.copyOf(trustedCas)), clock)),
                clock);
    }

    /** The same trust anchors, judging certificate validity at {@code now}'s time (for tests). */
    public SignatureVerifier withClock(Clock now) {
        return new SignatureVerifier(validator, Objects.requireNonNull(now, "now"));
    }

    /** Whether {@code cmsDer} is a valid detached signature over {@code payload} by exactly {@code expectedSigner}. */
    public Verification verify(byte[] payload, byte[] cmsDer, X509Certificate expectedSigner) {
        Objects.requireNonNull(expectedSigner, "expectedSigner");
        return verify(payload, cmsDer, List.of(expectedSigner));
    }

    /**
     * Whether {@code cmsDer} is a valid detached signature over {@code payload} by one of
     * {@code acceptableSigners} (more than one while a partner's certificate is being renewed).
     */
    public Verification verify(byte[] payload, byte[] cmsDer, Collection<X509Certificate> acceptableSigners) {
        Objects.requireNonNull(acceptableSigners, "acceptableSigners");
        try {
            Parsed parsed = parse(payload, cmsDer);
            if (parsed.refusal != null) {
                return parsed.refusal;
            }
            Optional<X509Certificate> embedded = embeddedSigner(parsed);
            if (embedded.isPresent() && !acceptableSigners.contains(embedded.get())) {
                return Verification.refused(
                        Verification.Outcome.WRONG_SIGNER,
                        "signed by " + describe(embedded.get()) + ", expected " + describeAll(acceptableSigners));
            }
            Optional<X509Certificate> signer = acceptableSigners.stream()
                    .filter(c -> matches(parsed.signerInfo, c))
                    .findFirst();
            if (signer.isEmpty()) {
                return Verification.refused(
                        Verification.Outcome.WRONG_SIGNER,
                        "the signature names signer " + describe(parsed.signerInfo.getSID()) + ", expected "
                                + describeAll(acceptableSigners));
            }
            return checkSignature(parsed, signer.get());
        } catch (RuntimeException e) {
            return unexpected(e);
        }
    }

    /**
     * Whether {@code cmsDer} is a valid detached signature over {@code payload} by the certificate
     * it carries, that certificate chaining to a trust anchor and {@code acceptableSigner} accepting
     * it. On success {@link Verification#signer()} says which certificate signed. Passing
     * {@code signer -> true} accepts anyone with a certificate from a trusted CA: then match the
     * reported signer to a partner before believing who sent the payload.
     */
    public Verification verifyWithEmbeddedCertificate(
            byte[] payload, byte[] cmsDer, Predicate<X509Certificate> acceptableSigner) {
        Objects.requireNonNull(acceptableSigner, "acceptableSigner");
        try {
            Parsed parsed = parse(payload, cmsDer);
            if (parsed.refusal != null) {
                return parsed.refusal;
            }
            Optional<X509Certificate> embedded = embeddedSigner(parsed);
            if (embedded.isEmpty()) {
                return Verification.refused(
                        Verification.Outcome.MALFORMED,
                        "the signature does not carry the signer's certificate (" + describe(parsed.signerInfo.getSID())
                                + ")");
            }
            X509Certificate signer = embedded.get();
            Optional<String> untrusted = untrusted(signer, parsed.certificates);
            if (untrusted.isPresent()) {
                return Verification.refused(Verification.Outcome.WRONG_SIGNER, untrusted.get());
            }
            if (!acceptableSigner.test(signer)) {
                return Verification.refused(
                        Verification.Outcome.WRONG_SIGNER,
                        "signed by " + describe(signer) + ", which is not the expected partner's certificate");
            }
            return checkSignature(parsed, signer);
        } catch (RuntimeException e) {
            return unexpected(e);
        }
    }

    /**
     * The HTTP convention in one call: the {@value DetachedSignature#HEADER} and
     * {@value DetachedSignature#ALGORITHM_HEADER} values as received (empty when absent), verified as
     * {@link #verifyWithEmbeddedCertificate}. No signature header is {@code missing}; an algorithm
     * other than {@value DetachedSignature#ALGORITHM} or a value that is not base64 is {@code malformed}.
     */
    public Verification verifyHeaders(
            byte[] payload,
            Optional<String> signatureHeader,
            Optional<String> algorithmHeader,
            Predicate<X509Certificate> acceptableSigner) {
        Objects.requireNonNull(signatureHeader, "signatureHeader");
        Objects.requireNonNull(algorithmHeader, "algorithmHeader");
        Optional<String> value = signatureHeader.map(String::strip).filter(v -> !v.isEmpty());
        if (value.isEmpty()) {
            return Verification.refused(Verification.Outcome.MISSING, "no " + DetachedSignature.HEADER + " header");
        }
        Optional<String> algorithm = algorithmHeader.map(String::strip);
        if (algorithm.isPresent() && !DetachedSignature.ALGORITHM.equalsIgnoreCase(algorithm.get())) {
            return Verification.refused(
                    Verification.Outcome.MALFORMED,
                    DetachedSignature.ALGORITHM_HEADER + " '" + abbreviate(algorithm.get())
                            + "' is not supported; expected " + DetachedSignature.ALGORITHM);
        }
        DetachedSignature signature;
        try {
            signature = DetachedSignature.fromBase64(value.get());
        } catch (IllegalArgumentException e) {
            return Verification.refused(
                    Verification.Outcome.MALFORMED,
                    DetachedSignature.HEADER + " is not standard base64: " + e.getMessage());
        }
        return verifyWithEmbeddedCertificate(payload, signature.der(), acceptableSigner);
    }

    /** Subject, issuer and serial: enough for an operator to find the certificate. */
    static String describe(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName() + "' (issuer '"
                + certificate.getIssuerX500Principal().getName() + "', serial " + hex(certificate.getSerialNumber())
                + ")";
    }

    private static String describe(SignerId sid) {
        if (sid.getSubjectKeyIdentifier() != null) {
            return "with subject key identifier " + HexFormat.of().formatHex(sid.getSubjectKeyIdentifier());
        }
        return "issuer '" + sid.getIssuer() + "', serial " + hex(sid.getSerialNumber());
    }

    /** The parts of a CMS that survived the structural checks, or the refusal that stopped them. */
    private record Parsed(
            CMSSignedData signedData,
            SignerInformation signerInfo,
            List<X509Certificate> certificates,
            Verification refusal) {

        static Parsed refused(String detail) {
            return new Parsed(null, null, List.of(), Verification.refused(Verification.Outcome.MALFORMED, detail));
        }
    }

    private static Parsed parse(byte[] payload, byte[] cmsDer) {
        Objects.requireNonNull(payload, "payload");
        if (cmsDer == null || cmsDer.length == 0) {
            return Parsed.refused("the signature is empty");
        }
        if (cmsDer.length > MAX_SIGNATURE_BYTES) {
            return Parsed.refused(
                    "the signature is " + cmsDer.length + " bytes; at most " + MAX_SIGNATURE_BYTES + " are read");
        }
        ContentInfo contentInfo;
        SignedData signedData;
        try {
            // fromByteArray refuses trailing bytes, so nothing can hide after the structure
            contentInfo = ContentInfo.getInstance(ASN1Primitive.fromByteArray(cmsDer));
            if (contentInfo == null || !CMSObjectIdentifiers.signedData.equals(contentInfo.getContentType())) {
                return Parsed.refused("not a CMS SignedData");
            }
            signedData = SignedData.getInstance(contentInfo.getContent());
        } catch (IOException | RuntimeException e) {
            return Parsed.refused("not a DER-encoded CMS SignedData (" + reason(e) + ")");
        }
        if (signedData.getEncapContentInfo().getContent() != null) {
            return Parsed.refused("the signature carries the content itself; a detached signature is expected");
        }
        if (!CMSObjectIdentifiers.data.equals(signedData.getEncapContentInfo().getContentType())) {
            return Parsed.refused("the signed content type is "
                    + signedData.getEncapContentInfo().getContentType() + ", not id-data");
        }
        if (signedData.getSignerInfos().size() != 1) {
            return Parsed.refused(
                    "the signature has " + signedData.getSignerInfos().size() + " signers; exactly one is expected");
        }
        CMSSignedData cms;
        try {
            cms = new CMSSignedData(new CMSProcessableByteArray(payload), contentInfo);
        } catch (CMSException | RuntimeException e) {
            return Parsed.refused("not a usable CMS SignedData (" + reason(e) + ")");
        }
        SignerInformation signerInfo =
                cms.getSignerInfos().getSigners().iterator().next();
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (X509CertificateHolder holder : cms.getCertificates().getMatches(null)) {
                certificates.add(converter.getCertificate(holder));
            }
        } catch (CertificateException | RuntimeException e) {
            return Parsed.refused("a certificate in the signature cannot be read (" + reason(e) + ")");
        }
        return new Parsed(cms, signerInfo, List.copyOf(certificates), null);
    }

    private static Optional<X509Certificate> embeddedSigner(Parsed parsed) {
        return parsed.certificates.stream()
                .filter(c -> matches(parsed.signerInfo, c))
                .findFirst();
    }

    private static boolean matches(SignerInformation signerInfo, X509Certificate certificate) {
        try {
            return signerInfo.getSID().match(new JcaX509CertificateHolder(certificate));
        } catch (CertificateException e) {
            return false;
        }
    }

    /** Why {@code signer} is not to be trusted, or empty if it chains to an anchor and may sign. */
    private Optional<String> untrusted(X509Certificate signer, List<X509Certificate> carried) {
        if (validator.isEmpty()) {
            return Optional.of("signed by " + describe(signer) + ", but this verifier trusts no CA");
        }
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(signer);
        carried.stream().filter(c -> !c.equals(signer)).forEach(chain::add);
        Validation validation = validator.get().validate(chain, Purpose.SIGNING, clock.instant());
        if (!validation.isValid()) {
            return Optional.of("signed by " + describe(signer)
                    + (validation.reason() == Validation.Reason.UNTRUSTED_CHAIN
                            ? ", which does not chain to a trusted CA (" + validation.message() + ")"
                            : ", whose certificate is refused (" + validation.message() + ")"));
        }
        if (!maySign(signer)) {
            return Optional.of("signed by " + describe(signer) + ", whose KeyUsage does not allow signing");
        }
        return Optional.empty();
    }

    /** The cryptographic part, once the signer is settled: algorithms, ESS binding, digest, signature value. */
    private static Verification checkSignature(Parsed parsed, X509Certificate signer) {
        SignerInformation signerInfo = parsed.signerInfo;
        if (!DIGESTS.contains(new ASN1ObjectIdentifier(signerInfo.getDigestAlgOID()))) {
            return Verification.refused(
                    Verification.Outcome.BAD_SIGNATURE,
                    "digest algorithm " + signerInfo.getDigestAlgOID() + " is not accepted (SHA-256, -384 or -512)");
        }
        if (!SIGNATURE_ALGORITHMS.contains(new ASN1ObjectIdentifier(signerInfo.getEncryptionAlgOID()))) {
            return Verification.refused(
                    Verification.Outcome.BAD_SIGNATURE,
                    "signature algorithm " + signerInfo.getEncryptionAlgOID() + " is not accepted (RSA or ECDSA)");
        }
        if (!maySign(signer)) {
            return Verification.refused(
                    Verification.Outcome.WRONG_SIGNER,
                    "signed by " + describe(signer) + ", whose KeyUsage does not allow signing");
        }
        Optional<String> unbound = essCertificateMismatch(signerInfo.getSignedAttributes(), signer);
        if (unbound.isPresent()) {
            return Verification.refused(Verification.Outcome.WRONG_SIGNER, unbound.get());
        }
        boolean verified;
        try {
            verified = signerInfo.verify(
                    new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(signer));
        } catch (CMSSignerDigestMismatchException e) {
            return Verification.refused(
                    Verification.Outcome.DIGEST_MISMATCH,
                    "the payload is not the one that was signed (its SHA-256 differs from the signed message-digest)");
        } catch (CMSVerifierCertificateNotValidException e) {
            return Verification.refused(
                    Verification.Outcome.WRONG_SIGNER,
                    describe(signer) + " was not valid at the signature's signing-time");
        } catch (CMSException e) {
            return Verification.refused(
                    Verification.Outcome.BAD_SIGNATURE, "the signature does not verify (" + reason(e) + ")");
        } catch (OperatorCreationException e) {
            return Verification.refused(
                    Verification.Outcome.BAD_SIGNATURE,
                    "the signer's key cannot verify this signature (" + reason(e) + ")");
        }
        if (!verified) {
            return Verification.refused(
                    Verification.Outcome.BAD_SIGNATURE,
                    "the signature value does not verify with the key of " + describe(signer));
        }
        return Verification.valid(signer, signingTime(signerInfo.getSignedAttributes()));
    }

    /**
     * An ESS signing-certificate(-v2) attribute, when present, must name the signer's certificate:
     * otherwise someone swapped in another certificate with the same key.
     */
    private static Optional<String> essCertificateMismatch(AttributeTable signed, X509Certificate signer) {
        if (signed == null) {
            return Optional.empty();
        }
        List<byte[]> expected = new ArrayList<>();
        List<String> algorithms = new ArrayList<>();
        Attribute v2 = signed.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2);
        if (v2 != null) {
            ESSCertIDv2 first = SigningCertificateV2.getInstance(
                            v2.getAttrValues().getObjectAt(0))
                    .getCerts()[0];
            expected.add(first.getCertHash());
            algorithms.add(CERT_HASHES.get(first.getHashAlgorithm().getAlgorithm()));
        }
        Attribute v1 = signed.get(PKCSObjectIdentifiers.id_aa_signingCertificate);
        if (v1 != null) {
            ESSCertID first = SigningCertificate.getInstance(v1.getAttrValues().getObjectAt(0))
                    .getCerts()[0];
            expected.add(first.getCertHash());
            algorithms.add("SHA-1");
        }
        for (int i = 0; i < expected.size(); i++) {
            String algorithm = algorithms.get(i);
            if (algorithm == null) {
                return Optional.of("the signing-certificate attribute uses a hash algorithm that is not accepted");
            }
            try {
                byte[] actual = MessageDigest.getInstance(algorithm).digest(signer.getEncoded());
                if (!Arrays.equals(actual, expected.get(i))) {
                    return Optional.of(
                            "the signing-certificate attribute names another certificate than " + describe(signer));
                }
            } catch (GeneralSecurityException e) {
                return Optional.of("the signing-certificate attribute cannot be checked (" + reason(e) + ")");
            }
        }
        return Optional.empty();
    }

    private static Optional<Instant> signingTime(AttributeTable signed) {
        if (signed == null) {
            return Optional.empty();
        }
        Attribute attribute = signed.get(CMSAttributes.signingTime);
        if (attribute == null || attribute.getAttrValues().size() != 1) {
            return Optional.empty();
        }
        ASN1Encodable value = attribute.getAttrValues().getObjectAt(0);
        return Optional.of(Time.getInstance(value).getDate().toInstant());
    }

    private static boolean maySign(X509Certificate certificate) {
        boolean[] usage = certificate.getKeyUsage();
        return usage == null || usage[0] || (usage.length > 1 && usage[1]);
    }

    private static Verification unexpected(RuntimeException e) {
        // BC reports some structural problems only when the parts are used; all of them are bad input
        return Verification.refused(
                Verification.Outcome.MALFORMED, "the signature cannot be processed (" + reason(e) + ")");
    }

    private static String describeAll(Collection<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            return "no signer at all (none configured)";
        }
        return certificates.stream()
                .map(SignatureVerifier::describe)
                .reduce((a, b) -> a + " or " + b)
                .orElseThrow();
    }

    private static String hex(BigInteger serial) {
        return serial == null ? "(none)" : serial.toString(16);
    }

    private static String reason(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + abbreviate(message));
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 200 ? oneLine.substring(0, 197) + "..." : oneLine;
    }
}
