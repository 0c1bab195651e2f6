package nl.wmogateway.trust;

/** What to do when the revocation status of a certificate cannot be established. */
public enum RevocationMode {

    /** No current, correctly signed CRL of the issuer: refuse. The default. */
    HARD_FAIL,

    /**
     * No current CRL of the issuer: accept, with a warning in the log and a note in the audit
     * trail. A certificate that a CRL lists is refused all the same.
     */
    SOFT_FAIL,

    /** Do not check revocation at all. For tests and emergencies only. */
    OFF
}
