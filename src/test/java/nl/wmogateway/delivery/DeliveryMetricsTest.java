package nl.wmogateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.store.DeliveryJobs;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

/** The delivery metrics: tags, and a scrape that does not read the outbox more than once per few seconds. */
class DeliveryMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MovingClock clock = new MovingClock(Instant.parse("2025-03-03T10:00:00Z"));
    private final CountingJobs jobs = new CountingJobs();
    private final DeliveryMetrics metrics =
            new DeliveryMetrics(jobs, new Partners(List.of(), List.of(), List.of()), registry, clock);

    @Test
    void anAttemptIsCountedAndTimedByPartnerKindAndOutcome() {
        metrics.attempt("0153", "plan", "DELIVERED", TimeUnit.MILLISECONDS.toNanos(120));
        metrics.attempt("0153", "plan", "RETRY", TimeUnit.SECONDS.toNanos(5));
        metrics.attempt("12345678", "iwmo", "DELIVERED", TimeUnit.MILLISECONDS.toNanos(30));

        assertThat(registry.get(DeliveryMetrics.ATTEMPTS)
                        .tags("partner", "0153", "kind", "plan", "outcome", "delivered")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get(DeliveryMetrics.ATTEMPTS)
                        .tags("partner", "0153", "outcome", "retry")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        Timer plan = registry.get(DeliveryMetrics.DURATION)
                .tags("partner", "0153", "kind", "plan")
                .timer();
        assertThat(plan.count()).isEqualTo(2);
        assertThat(plan.max(TimeUnit.SECONDS)).isEqualTo(5.0);
        assertThat(plan.takeSnapshot().histogramCounts())
                .as("buckets for percentiles")
                .hasSizeGreaterThan(5);
        assertThat(registry.get(DeliveryMetrics.ATTEMPTS).counters())
                .allSatisfy(c -> assertThat(c.getId().getTags())
                        .extracting(t -> t.getKey())
                        .containsExactlyInAnyOrder("partner", "kind", "outcome"));
    }

    @Test
    void theQueueDepthIsReadAtMostOncePerCachePeriod() {
        jobs.counts = Map.of("0153", Map.of(DeliveryJobs.State.PENDING, 3L, DeliveryJobs.State.PARKED, 1L));
        metrics.addRowsForUnconfiguredPartners();
        int reads = jobs.reads.get();

        assertThat(depth("0153", "pending")).isEqualTo(3.0);
        assertThat(depth("0153", "parked")).isEqualTo(1.0);
        jobs.counts = Map.of("0153", Map.of(DeliveryJobs.State.PENDING, 7L));
        clock.advance(Duration.ofSeconds(4));
        assertThat(depth("0153", "pending")).as("within the cache period").isEqualTo(3.0);
        assertThat(jobs.reads.get()).isEqualTo(reads);

        clock.advance(Duration.ofSeconds(1));
        assertThat(depth("0153", "pending")).as("after it").isEqualTo(7.0);
        assertThat(depth("0153", "parked")).as("a state without jobs").isEqualTo(0.0);
        assertThat(jobs.reads.get()).isEqualTo(reads + 1);
    }

    @Test
    void theLastQueueDepthStaysWhileTheDatabaseIsAway() {
        jobs.counts = Map.of("0363", Map.of(DeliveryJobs.State.PENDING, 2L));
        metrics.addRowsForUnconfiguredPartners();
        assertThat(depth("0363", "pending")).isEqualTo(2.0);

        jobs.down = true;
        clock.advance(Duration.ofSeconds(6));

        assertThat(depth("0363", "pending")).isEqualTo(2.0);
    }

    private double depth(String partner, String state) {
        return registry.get(DeliveryMetrics.QUEUE_DEPTH)
                .tags("partner", partner, "state", state)
                .gauge()
                .value();
    }

    /** The outbox's counts as the test sets them, and how often they were read. */
    private static final class CountingJobs extends DeliveryJobs {
        volatile Map<String, Map<DeliveryJobs.State, Long>> counts = Map.of();
        volatile boolean down;
        final AtomicInteger reads = new AtomicInteger();

        CountingJobs() {
            super(null, Clock.systemUTC());
        }

        @Override
        public Map<String, Map<DeliveryJobs.State, Long>> countsByPartner() {
            if (down) {
                throw new DataAccessResourceFailureException("database away");
            }
            reads.incrementAndGet();
            return counts;
        }
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
