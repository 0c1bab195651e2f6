package nl.wmogateway.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import nl.wmogateway.partner.GemeentePartner;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.store.CachedReading;
import nl.wmogateway.store.RequestStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What the Samen-indiceren pilots measure (DOMAIN.md): the number of requests (indicaties), the lead
 * time from plan to beschikking, and how often a plan comes back (refused by the gemeente, or
 * answered "in onderzoek"). Per gemeente, at {@code GET /admin/statistiek}, and as metrics
 * {@code wmo.aanvragen{gemeentecode, status}}.
 */
@Component
class Statistiek {

    /**
     * Figures for one gemeente.
     *
     * @param gemeentecode          the gemeente
     * @param aanvragen             requests accepted by the gateway
     * @param perStatus             requests per status
     * @param beantwoord            requests with a beschikking
     * @param doorlooptijdMediaan   median time from receiving the plan to the first beschikking
     * @param doorlooptijdMaximum   the longest such time
     * @param teruggestuurd         plans refused by the gemeente or answered "in onderzoek"
     */
    public record PerGemeente(
            String gemeentecode,
            long aanvragen,
            Map<String, Long> perStatus,
            long beantwoord,
            Optional<Duration> doorlooptijdMediaan,
            Optional<Duration> doorlooptijdMaximum,
            long teruggestuurd) {}

    /** How long one reading of the request counts serves every scrape. */
    static final Duration CACHE = Duration.ofSeconds(5);

    private final JdbcTemplate jdbc;
    private final MeterRegistry metrics;
    private final Set<String> gemeentenWithRows = ConcurrentHashMap.newKeySet();
    private final CachedReading<Map<String, Map<RequestStatus, Long>>> counts;

    /**
     * Registers the gauge {@code wmo.aanvragen{gemeentecode, status}} for every configured gemeente
     * and every status; a gemeente that has requests but is no longer configured gets its rows
     * within a minute. The counts are read from the database at most once per {@link #CACHE}.
     */
    public Statistiek(JdbcTemplate jdbc, Partners partners, Clock clock, MeterRegistry metrics) {
        this.jdbc = jdbc;
        this.metrics = metrics;
        this.counts = new CachedReading<>("request counts", CACHE, clock, Map.of(), this::readCounts);
        partners.gemeenten().stream().map(GemeentePartner::gemeentecode).forEach(this::rows);
    }

    /** Rows for gemeenten that have requests but none yet (no longer configured). */
    @Scheduled(fixedDelay = 1, timeUnit = TimeUnit.MINUTES)
    void addRowsForUnconfiguredGemeenten() {
        counts().keySet().forEach(this::rows);
    }

    private void rows(String gemeentecode) {
        if (!gemeentenWithRows.add(gemeentecode)) {
            return;
        }
        for (RequestStatus status : RequestStatus.values()) {
            Gauge.builder("wmo.aanvragen", () -> count(gemeentecode, status))
                    .tags(Tags.of(
                            "gemeentecode",
                            gemeentecode,
                            "status",
                            status.name().toLowerCase(Locale.ROOT)))
                    .description("Wmo requests by gemeente and status")
                    .strongReference(true)
                    .register(metrics);
        }
    }

    private long count(String gemeentecode, RequestStatus status) {
        return counts().getOrDefault(gemeentecode, Map.of()).getOrDefault(status, 0L);
    }

    /** Per gemeente and status, read again once older than {@link #CACHE}; the last ones while the database is away. */
    private Map<String, Map<RequestStatus, Long>> counts() {
        return counts.get();
    }

    private Map<String, Map<RequestStatus, Long>> readCounts() {
        Map<String, Map<RequestStatus, Long>> read = new TreeMap<>();
        jdbc.query("select gemeentecode, status, count(*) from wmo_request group by gemeentecode, status", rs -> {
            for (RequestStatus status : RequestStatus.values()) {
                if (status.name().equals(rs.getString(2))) {
                    read.computeIfAbsent(rs.getString(1), g -> new EnumMap<>(RequestStatus.class))
                            .put(status, rs.getLong(3));
                }
            }
        });
        return read;
    }

    public List<PerGemeente> perGemeente() {
        List<PerGemeente> result = new ArrayList<>();
        List<String> gemeenten =
                jdbc.queryForList("select distinct gemeentecode from wmo_request order by gemeentecode", String.class);
        for (String gemeente : gemeenten) {
            Map<String, Long> perStatus = new LinkedHashMap<>();
            jdbc.query(
                    "select status, count(*) n from wmo_request where gemeentecode = ? group by status order by status",
                    rs -> {
                        perStatus.put(rs.getString("status").toLowerCase(Locale.ROOT), rs.getLong("n"));
                    },
                    gemeente);
            long total = perStatus.values().stream().mapToLong(Long::longValue).sum();
            List<Duration> doorlooptijden = new ArrayList<>(jdbc.query(
                    "select r.received_at, min(b.received_at) answered from wmo_request r join beschikking b on b.request_id = r.id "
                            + "where r.gemeentecode = ? group by r.id, r.received_at",
                    (rs, n) -> Duration.between(instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2))),
                    gemeente));
            Collections.sort(doorlooptijden);
            Long inOnderzoek = jdbc.queryForObject(
                    "select count(distinct b.request_id) from beschikking b join wmo_request r "
                            + "on r.id = b.request_id where r.gemeentecode = ? and b.besluit = 'IN_ONDERZOEK'",
                    Long.class,
                    gemeente);
            long teruggestuurd = perStatus.getOrDefault("rejected", 0L) + (inOnderzoek == null ? 0 : inOnderzoek);
            result.add(new PerGemeente(
                    gemeente,
                    total,
                    perStatus,
                    doorlooptijden.size(),
                    doorlooptijden.isEmpty()
                            ? Optional.empty()
                            : Optional.of(doorlooptijden.get(doorlooptijden.size() / 2)),
                    doorlooptijden.isEmpty()
                            ? Optional.empty()
                            : Optional.of(doorlooptijden.get(doorlooptijden.size() - 1)),
                    teruggestuurd));
        }
        return result;
    }

    private static Instant instant(Timestamp t) {
        return t.toInstant();
    }
}
