package nl.wmogateway.trust;

import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nl.wmogateway.trust.Validation.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a certificate chain presented in a TLS handshake is to be trusted, the way
 * PKIoverheid relying parties are expected to: the leaf is within its validity period; there is
 * a PKIX path from it to a CA in the truststore (signatures, validity of every certificate,
 * basic constraints, CA key usage); the leaf may be used for digital signatures and its extended
 * key usage names the {@link Purpose}; and no certificate on the path below the trust anchor is
 * revoked according to the CRLs in the {@link CrlStore}, with {@link RevocationMode} deciding what
 * happens when a CA's CRL is missing or out of date.
 *
 * <p>A bad certificate is a {@link Validation} value, never an exception. Verdicts for "now" are
 * cached per chain (SHA-256 of the certificates) and purpose for {@code cacheTtl}, never beyond
 * the leaf's notAfter, and dropped whenever the CRLs change.
 */
public final class CertificateValidator {

    private static final Logger log = LoggerFactory.getLogger(CertificateValidator.class);
    private static final int MAX_CACHED = 10_000;

    private final TrustAnchors anchors;
    private final Set<TrustAnchor> pkixAnchors;
    private final CrlStore crls;
    private final RevocationMode revocationMode;
    private final Duration cacheTtl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Validation validation, Instant until) {}

    /**
     * @param anchors        the CAs in the truststore
     * @param crls           the CRLs to check revocation against (ignored with {@link RevocationMode#OFF})
     * @param revocationMode what to do without a current CRL
     * @param cacheTtl       how long a verdict for a chain is reused; zero disables the cache
     */
    public CertificateValidator(
            TrustAnchors anchors, CrlStore crls, RevocationMode revocationMode, Duration cacheTtl, Clock clock) {
        this.anchors = Objects.requireNonNull(anchors, "anchors");
        this.pkixAnchors = anchors.asPkixAnchors();
        this.revocationMode = Objects.requireNonNull(revocationMode, "revocationMode");
        this.crls = revocationMode == RevocationMode.OFF ? crls : Objects.requireNonNull(crls, "crls");
        this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (crls != null) {
            crls.onChange(cache::clear);
        }
    }

    /**
     * A validator that checks chains, validity and key usage but not revocation: for signatures
     * checked against a given set of CAs outside the running gateway (tests, tools).
     */
    static CertificateValidator withoutRevocation(TrustAnchors anchors, Clock clock) {
        return new CertificateValidator(anchors, null, RevocationMode.OFF, Duration.ZERO, clock);
    }

    /** The verdict for {@code chain} (leaf first) now, from the cache when it was decided recently. */
    public Validation validate(List<X509Certificate> chain, Purpose purpose) {
        Instant now = clock.instant();
        if (chain.isEmpty() || cacheTtl.isZero() || cacheTtl.isNegative()) {
            return validate(chain, purpose, now);
        }
        String key = purpose + ":" + fingerprint(chain);
        Cached cached = cache.get(key);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.validation();
        }
        Validation validation = validate(chain, purpose, now);
        if (cache.size() >= MAX_CACHED) {
            cache.values().removeIf(c -> !now.isBefore(c.until()));
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
        }
        Instant until = now.plus(cacheTtl);
        Instant notAfter = chain.get(0).getNotAfter().toInstant();
        cache.put(key, new Cached(validation, until.isAfter(notAfter) ? notAfter : until));
        return validation;
    }

    /** The verdict for {@code chain} (leaf first, as presented in the handshake) at {@code at}; not cached. */
    public Validation validate(List<X509Certificate> chain, Purpose purpose, Instant at) {
        if (chain.isEmpty()) {
            return Validation.refused(Reason.NO_CERTIFICATE, Validation.NO_SUBJECT, "no certificate was presented");
        }
        X509Certificate leaf = chain.get(0);
        String subject = leaf.getSubjectX500Principal().getName();
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (at.isAfter(notAfter)) {
            return Validation.refused(
                    Reason.EXPIRED, subject, "the certificate of " + subject + " expired on " + notAfter);
        }
        if (at.isBefore(notBefore)) {
            return Validation.refused(
                    Reason.NOT_YET_VALID,
                    subject,
                    "the certificate of " + subject + " is not valid before " + notBefore);
        }
        PKIXCertPathBuilderResult path;
        try {
            path = buildPath(leaf, chain, at);
        } catch (CertPathBuilderException e) {
            return Validation.refused(
                    Reason.UNTRUSTED_CHAIN,
                    subject,
                    "no valid chain from " + subject + " (issuer "
                            + leaf.getIssuerX500Principal().getName() + ") to a CA in the truststore");
        }
        String usage = keyUsageProblem(leaf, purpose);
        if (usage != null) {
            return Validation.refused(Reason.WRONG_KEY_USAGE, subject, "the certificate of " + subject + " " + usage);
        }
        if (revocationMode == RevocationMode.OFF) {
            return Validation.valid(subject, "trusted; revocation not checked (revocation-mode OFF)");
        }
        List<X509Certificate> onPath = new ArrayList<>();
        path.getCertPath().getCertificates().forEach(c -> onPath.add((X509Certificate) c));
        onPath.add(path.getTrustAnchor().getTrustedCert());
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < onPath.size() - 1; i++) {
            X509Certificate certificate = onPath.get(i);
            RevocationStatus status = crls.status(certificate, onPath.get(i + 1), at);
            if (status instanceof RevocationStatus.Revoked revoked) {
                return Validation.refused(
                        Reason.REVOKED,
                        subject,
                        (i == 0
                                        ? "the certificate of " + subject
                                        : "CA certificate "
                                                + certificate
                                                        .getSubjectX500Principal()
                                                        .getName() + " on its chain")
                                + " is revoked since " + revoked.revocationDate() + " (" + revoked.reason() + ")");
            }
            if (status instanceof RevocationStatus.Unknown u) {
                unknown.add(u.why());
            }
        }
        if (unknown.isEmpty()) {
            return Validation.valid(subject, "trusted, not revoked");
        }
        String why = "revocation status of " + subject + " unknown: " + String.join("; ", unknown);
        if (revocationMode == RevocationMode.HARD_FAIL) {
            return Validation.refused(Reason.REVOCATION_UNKNOWN, subject, why);
        }
        log.warn("{}; accepted because revocation-mode is SOFT_FAIL", why);
        return Validation.validWithWarning(subject, "trusted; revocation not established", why + " (soft-fail)");
    }

    /** The CAs certificates must chain to. */
    public TrustAnchors trustAnchors() {
        return anchors;
    }

    public RevocationMode revocationMode() {
        return revocationMode;
    }

    private PKIXCertPathBuilderResult buildPath(X509Certificate leaf, List<X509Certificate> chain, Instant at)
            throws CertPathBuilderException {
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(pkixAnchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
            return (PKIXCertPathBuilderResult)
                    CertPathBuilder.getInstance("PKIX").build(parameters);
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("PKIX path building is not available", e);
        }
    }

    /** What is wrong with the leaf's (extended) key usage for this purpose, or null. */
    private static String keyUsageProblem(X509Certificate leaf, Purpose purpose) {
        if (leaf.getBasicConstraints() >= 0) {
            return "is a CA certificate, not an end-entity certificate";
        }
        boolean[] keyUsage = leaf.getKeyUsage();
        if (purpose == Purpose.SIGNING) {
            // a signature over a payload: digitalSignature or nonRepudiation, whatever the extended key usage
            return keyUsage == null || keyUsage[0] || keyUsage[1]
                    ? null
                    : "may not be used for signatures (key usage lacks digitalSignature and nonRepudiation)";
        }
        if (keyUsage != null && !keyUsage[0]) {
            return "may not be used for digital signatures (key usage lacks digitalSignature)";
        }
        List<String> extended;
        try {
            extended = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return "has an unreadable extended key usage";
        }
        if (extended == null || !extended.contains(purpose.oid())) {
            return "is not meant for TLS " + purpose.name().toLowerCase(Locale.ROOT) + "s (extended key usage lacks "
                    + purpose.extendedKeyUsage() + ")";
        }
        return null;
    }

    private static String fingerprint(List<X509Certificate> chain) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (X509Certificate certificate : chain) {
                sha256.update(certificate.getEncoded());
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate chain", e);
        }
    }
}
