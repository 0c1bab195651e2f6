package nl.wmogateway.trust;

import java.time.Instant;

/** What the loaded CRLs say about one certificate. */
public sealed interface RevocationStatus {

    /** A current CRL of the issuer does not list the certificate. */
    record Good(String crlSource) implements RevocationStatus {}

    /** A CRL of the issuer, correctly signed, lists the certificate. */
    record Revoked(Instant revocationDate, String reason, String crlSource) implements RevocationStatus {}

    /** No current, correctly signed CRL of the issuer is available; {@code why} says what is missing. */
    record Unknown(String why) implements RevocationStatus {}
}
