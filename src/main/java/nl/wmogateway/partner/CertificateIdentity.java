package nl.wmogateway.partner;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * How a partner's certificate is recognised: by subject DN (and optionally issuer DN), or by the
 * SHA-256 fingerprint of the certificate. Fingerprints pin one certificate; subjects survive
 * certificate renewal by the same CA.
 *
 * @param subject     the subject DN as RFC 2253 text, e.g. {@code CN=ehr.example,O=Thuiszorg}
 * @param issuer      the issuer DN, when the subject alone is not specific enough
 * @param sha256      hex SHA-256 fingerprint of the DER certificate (colons allowed)
 * @param serial      hex serial number of the certificate (with issuer: one certificate of one CA)
 */
public record CertificateIdentity(
        Optional<String> subject, Optional<String> issuer, Optional<String> sha256, Optional<String> serial) {

    public CertificateIdentity {
        subject = subject == null ? Optional.empty() : subject.filter(s -> !s.isBlank());
        issuer = issuer == null ? Optional.empty() : issuer.filter(s -> !s.isBlank());
        sha256 = sha256 == null
                ? Optional.empty()
                : sha256.filter(s -> !s.isBlank()).map(s -> s.replace(":", "").toLowerCase(Locale.ROOT));
        serial = serial == null
                ? Optional.empty()
                : serial.filter(s -> !s.isBlank())
                        .map(s -> s.replace(":", "").toLowerCase(Locale.ROOT).replaceFirst("^0+(?=.)", ""));
    }

    public CertificateIdentity(Optional<String> subject, Optional<String> issuer, Optional<String> sha256) {
        this(subject, issuer, sha256, Optional.empty());
    }

    /** Nothing that pins a certificate: a serial alone (without issuer) does not either. */
    public boolean isEmpty() {
        return subject.isEmpty() && sha256.isEmpty() && (serial.isEmpty() || issuer.isEmpty());
    }

    public boolean matches(X509Certificate certificate) {
        if (isEmpty()) {
            return false;
        }
        if (sha256.isPresent() && !sha256.get().equals(fingerprint(certificate))) {
            return false;
        }
        if (subject.isPresent() && !new X500Principal(subject.get()).equals(certificate.getSubjectX500Principal())) {
            return false;
        }
        if (serial.isPresent()
                && !serial.get().equals(certificate.getSerialNumber().toString(16))) {
            return false;
        }
        return issuer.isEmpty() || new X500Principal(issuer.get()).equals(certificate.getIssuerX500Principal());
    }

    /**
     * Whether one certificate could be recognised as both this identity and {@code other}: they
     * share at least one attribute with the same value, and none they both have differs. Two
     * partners (or a partner and an operator) whose identities overlap would make the gateway
     * believe one certificate is both, so the partner file refuses them.
     */
    public boolean overlaps(CertificateIdentity other) {
        if (isEmpty() || other.isEmpty()) {
            return false;
        }
        int shared = 0;
        for (int i = 0; i < 4; i++) {
            Optional<?> mine = attribute(i);
            Optional<?> theirs = other.attribute(i);
            if (mine.isPresent() && theirs.isPresent()) {
                if (!mine.get().equals(theirs.get())) {
                    return false;
                }
                shared++;
            }
        }
        return shared > 0;
    }

    /** The attributes in a comparable form: DNs as principals (so spacing and case of keywords do not matter). */
    private Optional<?> attribute(int i) {
        return switch (i) {
            case 0 -> subject.map(CertificateIdentity::principal);
            case 1 -> issuer.map(CertificateIdentity::principal);
            case 2 -> sha256;
            default -> serial;
        };
    }

    private static Object principal(String dn) {
        try {
            return new X500Principal(dn);
        } catch (IllegalArgumentException e) {
            return dn; // reported as an invalid distinguished name by the partner file's checks
        }
    }

    /** Lower-case hex SHA-256 of the certificate's DER encoding. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate", e);
        }
    }
}
