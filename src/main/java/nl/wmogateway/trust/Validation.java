package nl.wmogateway.trust;

import java.util.Objects;
import java.util.Optional;

/**
 * The verdict on a certificate chain: valid, or refused for one {@link Reason}. The message says
 * what was found in words an operator can act on (subjects, issuers, dates), never key material.
 *
 * @param reason  {@link Reason#VALID} or why the certificate was refused
 * @param subject the subject DN of the presented certificate (RFC 2253), or {@code (none)}
 * @param message what was checked or found
 * @param warning for a valid certificate: what could not be checked and was accepted anyway
 *                (soft-fail revocation); goes into the log and the audit trail
 */
public record Validation(Reason reason, String subject, String message, Optional<String> warning) {

    /** The subject recorded when no certificate was presented. */
    public static final String NO_SUBJECT = "(none)";

    /** Why a certificate was refused. {@link #code()} is stable: it is what the audit trail records. */
    public enum Reason {
        VALID("valid"),
        NO_CERTIFICATE("no-certificate"),
        UNTRUSTED_CHAIN("untrusted-chain"),
        EXPIRED("expired"),
        NOT_YET_VALID("not-yet-valid"),
        WRONG_KEY_USAGE("wrong-key-usage"),
        REVOKED("revoked"),
        REVOCATION_UNKNOWN("revocation-unknown"),
        HOSTNAME_MISMATCH("hostname-mismatch");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The stable code, e.g. {@code revoked}. */
        public String code() {
            return code;
        }
    }

    public Validation {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(warning, "warning");
        if (reason != Reason.VALID && warning.isPresent()) {
            throw new IllegalArgumentException("only a valid certificate carries a warning");
        }
    }

    static Validation valid(String subject, String message) {
        return new Validation(Reason.VALID, subject, message, Optional.empty());
    }

    static Validation validWithWarning(String subject, String message, String warning) {
        return new Validation(Reason.VALID, subject, message, Optional.of(warning));
    }

    static Validation refused(Reason reason, String subject, String message) {
        return new Validation(reason, subject, message, Optional.empty());
    }

    public boolean isValid() {
        return reason == Reason.VALID;
    }

    /** The stable code of {@link #reason()}. */
    public String code() {
        return reason.code();
    }
}
