package nl.wmogateway.pki;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * What to put in a certificate revocation list.
 *
 * @param thisUpdate when the CRL was issued
 * @param nextUpdate when the next CRL is due; relying parties treat the CRL as stale after this
 * @param crlNumber  the CRL's sequence number (must grow with each CRL the CA issues)
 * @param revoked    the revoked certificates
 */
public record CrlSpec(Instant thisUpdate, Instant nextUpdate, BigInteger crlNumber, List<Revocation> revoked) {

    /** Why a certificate was revoked (RFC 5280 CRLReason; {@code UNSPECIFIED} is left out of the CRL). */
    public enum Reason {
        UNSPECIFIED(0),
        KEY_COMPROMISE(1),
        AFFILIATION_CHANGED(3),
        SUPERSEDED(4),
        CESSATION_OF_OPERATION(5);

        final int code;

        Reason(int code) {
            this.code = code;
        }
    }

    /**
     * One revoked certificate.
     *
     * @param serialNumber   the revoked certificate's serial number
     * @param revocationDate when it was revoked
     * @param reason         why
     */
    public record Revocation(BigInteger serialNumber, Instant revocationDate, Reason reason) {

        public Revocation {
            Objects.requireNonNull(serialNumber, "serialNumber");
            revocationDate = revocationDate.truncatedTo(ChronoUnit.SECONDS);
            Objects.requireNonNull(reason, "reason");
        }

        public static Revocation of(X509Certificate certificate, Instant revocationDate, Reason reason) {
            return new Revocation(certificate.getSerialNumber(), revocationDate, reason);
        }
    }

    public CrlSpec {
        thisUpdate = thisUpdate.truncatedTo(ChronoUnit.SECONDS);
        nextUpdate = nextUpdate.truncatedTo(ChronoUnit.SECONDS);
        if (!thisUpdate.isBefore(nextUpdate)) {
            throw new IllegalArgumentException("thisUpdate " + thisUpdate + " must be before nextUpdate " + nextUpdate);
        }
        Objects.requireNonNull(crlNumber, "crlNumber");
        revoked = List.copyOf(revoked);
    }
}
