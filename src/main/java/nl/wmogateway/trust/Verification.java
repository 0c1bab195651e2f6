package nl.wmogateway.trust;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of a {@link SignatureVerifier}: valid, or the reason the signature is refused, in
 * words an operator can act on. Details name certificates (subject, issuer, serial), never
 * anything from the payload.
 *
 * @param outcome     valid, or why not
 * @param detail      one line for the log and the partner's error answer
 * @param signer      the certificate that made a valid signature; empty for every refusal, so a
 *                    caller cannot mistake a claimed signer for a proven one
 * @param signingTime the signing-time the signer put in the signature (its own clock's claim, not a
 *                    trusted timestamp); empty for refusals and for signatures without one
 */
public record Verification(
        Outcome outcome, String detail, Optional<X509Certificate> signer, Optional<Instant> signingTime) {

    /** Why a signature is or is not accepted. {@link #code()} is the stable text for logs and answers. */
    public enum Outcome {
        /** The payload is unchanged and was signed by an acceptable certificate. */
        VALID("valid"),
        /** The partner must sign, but sent no signature. */
        MISSING("missing"),
        /** Not a detached CMS SignedData this gateway accepts: not base64, not DER, truncated, several signers, ... */
        MALFORMED("malformed"),
        /** The signature is intact but the payload is not the one that was signed: the content was changed. */
        DIGEST_MISMATCH("digest-mismatch"),
        /** Signed by a certificate that is not the expected one, or that does not chain to a trusted CA. */
        WRONG_SIGNER("wrong-signer"),
        /** The signature value does not verify with the signer's key, or uses an algorithm not accepted. */
        BAD_SIGNATURE("bad-signature");

        private final String code;

        Outcome(String code) {
            this.code = code;
        }

        /** {@code valid}, {@code missing}, {@code malformed}, {@code digest-mismatch}, {@code wrong-signer}, {@code bad-signature}. */
        public String code() {
            return code;
        }
    }

    public Verification {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(signingTime, "signingTime");
        if (outcome == Outcome.VALID && signer.isEmpty()) {
            throw new IllegalArgumentException("a valid verification names its signer");
        }
        if (outcome != Outcome.VALID && (signer.isPresent() || signingTime.isPresent())) {
            throw new IllegalArgumentException("a refusal names no signer and no signing time");
        }
    }

    static Verification valid(X509Certificate signer, Optional<Instant> signingTime) {
        return new Verification(
                Outcome.VALID, "signed by " + SignatureVerifier.describe(signer), Optional.of(signer), signingTime);
    }

    static Verification refused(Outcome outcome, String detail) {
        return new Verification(outcome, detail, Optional.empty(), Optional.empty());
    }

    public boolean isValid() {
        return outcome == Outcome.VALID;
    }

    /** The outcome's stable code, e.g. {@code digest-mismatch}. */
    public String code() {
        return outcome.code();
    }

    @Override
    public String toString() {
        return outcome.code() + ": " + detail;
    }
}
