package nl.wmogateway.trust;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records handshakes that were refused, once each: by the {@link GatewayTrustManager} when it
 * refuses a certificate, and by the {@link AuditingSslContext}'s engines when a handshake fails
 * for another reason (no certificate, an old protocol version, no acceptable cipher suite).
 * Engines the trust manager already reported are remembered (weakly), so the engine does not
 * report the same failure again; trust manager and engines must therefore share one instance.
 */
public final class HandshakeAudit {

    private static final Logger log = LoggerFactory.getLogger(HandshakeAudit.class);

    /** Codes for handshakes that fail before or without a certificate decision. */
    public static final String NO_CERTIFICATE = Validation.Reason.NO_CERTIFICATE.code();

    public static final String PROTOCOL_VERSION = "protocol-version";
    public static final String NO_SHARED_CIPHER = "no-shared-cipher";
    public static final String RENEGOTIATION = "renegotiation";
    public static final String HANDSHAKE_FAILED = "handshake-failed";

    /**
     * Fragments of JSSE's failure messages and what they mean, first match wins. JSSE has no error
     * codes, only messages; these are those of JDK 17, and the TLS tests fail if a JDK changes them.
     */
    private static final List<Map.Entry<String, String>> KNOWN = List.of(
            Map.entry("empty client certificate chain", NO_CERTIFICATE),
            Map.entry("certificate required", NO_CERTIFICATE),
            Map.entry("renegotiation", RENEGOTIATION),
            Map.entry("no cipher suites in common", NO_SHARED_CIPHER),
            Map.entry("no appropriate cipher suite", NO_SHARED_CIPHER),
            Map.entry("insufficient security", NO_SHARED_CIPHER),
            Map.entry("protocol_version", PROTOCOL_VERSION),
            Map.entry("is not enabled or supported", PROTOCOL_VERSION),
            Map.entry("no appropriate protocol", PROTOCOL_VERSION),
            Map.entry("unsupported protocol", PROTOCOL_VERSION));

    private final Consumer<HandshakeEvent> sink;
    private final Set<SSLEngine> reported = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));

    /** @param sink where events go: the audit log in the gateway, a list in tests */
    public HandshakeAudit(Consumer<HandshakeEvent> sink) {
        this.sink = sink;
    }

    /** The trust manager refused a certificate, during the handshake on {@code engine} if known. */
    void certificateRefused(Validation validation, SSLEngine engine) {
        if (engine != null) {
            reported.add(engine);
        }
        emit(new HandshakeEvent(validation.subject(), HandshakeEvent.REFUSED, validation.code(), validation.message()));
    }

    /** The trust manager accepted a certificate whose revocation status could not be established. */
    void acceptedWithWarning(Validation validation) {
        emit(new HandshakeEvent(
                validation.subject(),
                HandshakeEvent.ACCEPTED,
                Validation.Reason.REVOCATION_UNKNOWN.code(),
                validation.warning().orElse(validation.message())));
    }

    /** A server-side handshake on {@code engine} failed with {@code failure}. */
    void handshakeFailed(SSLEngine engine, SSLException failure) {
        if (reported.remove(engine)) {
            return;
        }
        String code = classify(failure);
        emit(new HandshakeEvent(
                Validation.NO_SUBJECT, HandshakeEvent.REFUSED, code, String.valueOf(failure.getMessage())));
    }

    /** The reason code for a failure JSSE reports; {@value #HANDSHAKE_FAILED} for anything not {@link #KNOWN}. */
    static String classify(SSLException failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && text.length() < 2000; t = t.getCause()) {
            text.append(' ').append(t.getMessage());
        }
        String all = text.toString().toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> known : KNOWN) {
            if (all.contains(known.getKey())) {
                return known.getValue();
            }
        }
        return HANDSHAKE_FAILED;
    }

    private void emit(HandshakeEvent event) {
        if (HandshakeEvent.REFUSED.equals(event.outcome())) {
            log.info("TLS handshake refused ({}): {}", event.code(), event.message());
        }
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            log.warn("could not record a TLS handshake event ({}): {}", event.code(), e.toString());
        }
    }
}
