package nl.wmogateway.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import nl.wmogateway.partner.GemeentePartner;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.partner.ZorgorganisatiePartner;
import nl.wmogateway.store.CachedReading;
import nl.wmogateway.store.DeliveryJobs;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The delivery metrics. Tags name partners by their code (gemeentecode or AGB code) and messages
 * by their kind, never a request or a client.
 *
 * <ul>
 *   <li>{@value #ATTEMPTS} (counter): every attempt that got an outcome, tagged {@code partner},
 *       {@code kind} ({@code plan}, {@code iwmo}, {@code retour}, {@code fhir-callback}) and
 *       {@code outcome} ({@code delivered}, {@code retry}, {@code refused});</li>
 *   <li>{@value #DURATION} (timer, with fixed buckets for percentiles): from recording the attempt to
 *       recording its outcome, tagged {@code partner} and {@code kind};</li>
 *   <li>{@value #QUEUE_DEPTH} (gauge): delivery jobs per {@code partner} and {@code state}
 *       ({@code pending}, {@code parked}), from the outbox. The count is read from the database at
 *       most once per {@link #CACHE}, however often it is scraped. Every configured partner has its
 *       rows from the start; a partner that has jobs but is no longer configured gets them within
 *       a minute.</li>
 * </ul>
 */
@Component
class DeliveryMetrics {

    static final String ATTEMPTS = "wmo.delivery.attempts";
    static final String DURATION = "wmo.delivery.duration";
    static final String QUEUE_DEPTH = "wmo.delivery.queue.depth";

    /** How long one reading of the outbox serves every scrape. */
    static final Duration CACHE = Duration.ofSeconds(5);

    /** The buckets of the duration histogram: up to the longest timeout a partner should ever need. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60)
    };

    private static final List<DeliveryJobs.State> WAITING =
            List.of(DeliveryJobs.State.PENDING, DeliveryJobs.State.PARKED);

    private final MeterRegistry registry;
    private final Set<String> partnersWithRows = ConcurrentHashMap.newKeySet();
    private final CachedReading<Map<String, Map<DeliveryJobs.State, Long>>> counts;

    DeliveryMetrics(DeliveryJobs jobs, Partners partners, MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.counts = new CachedReading<>("queue depth", CACHE, clock, Map.of(), jobs::countsByPartner);
        partners.gemeenten().stream().map(GemeentePartner::gemeentecode).forEach(this::rows);
        partners.zorgorganisaties().stream().map(ZorgorganisatiePartner::agb).forEach(this::rows);
    }

    /** One attempt with its outcome ({@code DELIVERED}, {@code RETRY}, {@code REFUSED}) and how long it took. */
    void attempt(String partner, String kind, String outcome, long nanos) {
        Counter.builder(ATTEMPTS)
                .description("delivery attempts, by partner, kind of message and outcome")
                .tag("partner", partner)
                .tag("kind", kind)
                .tag("outcome", outcome.toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
        Timer.builder(DURATION)
                .description("how long one delivery attempt took, from recording it to recording its outcome")
                .tag("partner", partner)
                .tag("kind", kind)
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Rows for partners that have jobs but none yet (no longer configured). */
    @Scheduled(fixedDelay = 1, timeUnit = TimeUnit.MINUTES)
    void addRowsForUnconfiguredPartners() {
        counts().keySet().forEach(this::rows);
    }

    private void rows(String partner) {
        if (!partnersWithRows.add(partner)) {
            return;
        }
        for (DeliveryJobs.State state : WAITING) {
            Gauge.builder(QUEUE_DEPTH, () -> count(partner, state))
                    .description("delivery jobs waiting (pending) or parked, per partner")
                    .tag("partner", partner)
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .strongReference(true)
                    .register(registry);
        }
    }

    private long count(String partner, DeliveryJobs.State state) {
        return counts().getOrDefault(partner, Map.of()).getOrDefault(state, 0L);
    }

    /** The outbox counts, read again once they are older than {@link #CACHE}; the last ones while the database is away. */
    private Map<String, Map<DeliveryJobs.State, Long>> counts() {
        return counts.get();
    }
}
