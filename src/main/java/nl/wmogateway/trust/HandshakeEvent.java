package nl.wmogateway.trust;

import java.util.Objects;

/**
 * A TLS handshake worth recording: refused, or accepted without a revocation check (soft-fail).
 *
 * @param actor   the subject DN of the peer's certificate, or {@code (none)}
 * @param outcome {@link #REFUSED} or {@link #ACCEPTED}
 * @param code    the stable reason code (e.g. {@code revoked}, {@code protocol-version})
 * @param message what happened, without secrets; for the log
 */
record HandshakeEvent(String actor, String outcome, String code, String message) {

    /** The audit action of every handshake event. */
    public static final String ACTION = "TLS_HANDSHAKE";

    public static final String REFUSED = "REFUSED";
    public static final String ACCEPTED = "ACCEPTED";

    public HandshakeEvent {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
