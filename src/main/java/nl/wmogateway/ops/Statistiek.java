package nl.wmogateway.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import nl.wmogateway.store.RequestStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the Samen-indiceren pilots measure (DOMAIN.md): the number of requests (indicaties), the lead
 * time from plan to beschikking, and how often a plan comes back (refused by the gemeente, or
 * answered "in onderzoek"). Per gemeente, at {@code GET /admin/statistiek}, and as metrics
 * {@code wmo.aanvragen{status}}.
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

    private final JdbcTemplate jdbc;

    public Statistiek(JdbcTemplate jdbc, MeterRegistry metrics) {
        this.jdbc = jdbc;
        for (RequestStatus status : RequestStatus.values()) {
            Gauge.builder("wmo.aanvragen", () -> count(status))
                    .tags(Tags.of("status", status.name().toLowerCase(Locale.ROOT)))
                    .description("Wmo requests by status")
                    .register(metrics);
        }
    }

    private long count(RequestStatus status) {
        Long n = jdbc.queryForObject("select count(*) from wmo_request where status = ?", Long.class, status.name());
        return n == null ? 0 : n;
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
