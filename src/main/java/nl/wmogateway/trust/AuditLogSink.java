package nl.wmogateway.trust;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import nl.wmogateway.store.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes handshake events to the {@link AuditLog} (action {@value HandshakeEvent#ACTION}) and
 * counts them ({@code wmo.tls.handshakes{outcome,reason}}).
 *
 * <p>Writing happens on a thread of its own behind a bounded queue: a TLS handshake never waits
 * for the database, and a flood of bad handshakes cannot tie up Tomcat's threads. When the queue is
 * full, events are dropped, counted and logged.
 */
public final class AuditLogSink implements Consumer<HandshakeEvent>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditLogSink.class);
    private static final int QUEUE = 1000;

    private final AuditLog auditLog;
    private final Optional<MeterRegistry> meters;
    private final ThreadPoolExecutor writer;

    public AuditLogSink(AuditLog auditLog, Optional<MeterRegistry> meters) {
        this.auditLog = auditLog;
        this.meters = meters;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread thread = new Thread(r, "wmo-tls-audit");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void accept(HandshakeEvent event) {
        meters.ifPresent(m -> Counter.builder("wmo.tls.handshakes")
                .description("TLS handshakes refused, or accepted without a revocation check")
                .tag("outcome", event.outcome())
                .tag("reason", event.code())
                .register(m)
                .increment());
        try {
            writer.execute(() -> write(event));
        } catch (RejectedExecutionException e) {
            meters.ifPresent(m -> m.counter("wmo.tls.handshakes.unaudited").increment());
            log.warn(
                    "TLS handshake audit queue full; not recorded: {} {} ({})",
                    event.outcome(),
                    event.code(),
                    event.actor());
        }
    }

    private void write(HandshakeEvent event) {
        try {
            auditLog.record(
                    event.actor(),
                    HandshakeEvent.ACTION,
                    Optional.empty(),
                    Optional.empty(),
                    event.outcome(),
                    Optional.of(event.code()));
        } catch (RuntimeException e) {
            log.warn(
                    "could not write TLS handshake audit event {} {} ({}): {}",
                    event.outcome(),
                    event.code(),
                    event.actor(),
                    e.toString());
        }
    }

    /** Writes what is queued (for a few seconds at most), then stops. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
