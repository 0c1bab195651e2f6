package nl.wmogateway.ops;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * The Samen-indiceren pilot figures over a period, per ISO week: requests, answered, sent back
 * (refused by the gemeente, or answered "in onderzoek"), and the lead time from the plan's arrival
 * to the first beschikking, also as a distribution. Counted from the requests themselves; no
 * client data.
 */
@Component
class Pilotcijfers {

    /** The longest period asked for at once. */
    static final int MAX_WEKEN = 104;

    /** The default period: the last 12 weeks, this one included. */
    static final int STANDAARD_WEKEN = 12;

    /** The lead-time classes of the distribution, in days: [from, to). */
    static final List<int[]> KLASSEN =
            List.of(new int[] {0, 1}, new int[] {1, 2}, new int[] {2, 5}, new int[] {5, 10}, new int[] {10, 20});

    /**
     * One ISO week.
     *
     * @param week                  e.g. {@code 2026-W48}
     * @param maandag               the Monday that starts it
     * @param aanvragen             requests received that week
     * @param beantwoord            of those, with a beschikking
     * @param teruggestuurd         of those, refused by the gemeente or answered "in onderzoek"
     * @param teruggestuurdProcent  teruggestuurd as a share of aanvragen, 0 to 100 (one decimal)
     * @param doorlooptijdMediaanUren median lead time plan → first beschikking in hours, of the answered
     */
    public record Week(
            String week,
            LocalDate maandag,
            long aanvragen,
            long beantwoord,
            long teruggestuurd,
            double teruggestuurdProcent,
            Optional<Double> doorlooptijdMediaanUren) {}

    /** One class of the lead-time distribution: {@code label} like "2–5 dagen", and how many. */
    public record Klasse(String label, long aantal) {}

    /** The figures of a period, for one gemeente or for all. */
    public record Periode(
            Optional<String> gemeente,
            LocalDate van,
            LocalDate tot,
            List<Week> weken,
            List<Klasse> doorlooptijden,
            List<String> gemeenten) {

        /** The figures as CSV (semicolons, as Dutch spreadsheets expect; decimal comma). */
        public String csv() {
            StringBuilder out = new StringBuilder(
                    "week;maandag;aanvragen;beantwoord;teruggestuurd;teruggestuurd_procent;doorlooptijd_mediaan_uren\r\n");
            for (Week w : weken) {
                out.append(w.week())
                        .append(';')
                        .append(w.maandag())
                        .append(';')
                        .append(w.aanvragen())
                        .append(';')
                        .append(w.beantwoord())
                        .append(';')
                        .append(w.teruggestuurd())
                        .append(';')
                        .append(decimal(w.teruggestuurdProcent()))
                        .append(';')
                        .append(w.doorlooptijdMediaanUren()
                                .map(Pilotcijfers::decimal)
                                .orElse(""))
                        .append("\r\n");
            }
            return out.toString();
        }
    }

    private record Row(Instant received, String status, Optional<Instant> answered, boolean inOnderzoek) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;

    Pilotcijfers(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Periode periode(Optional<String> gemeente, Optional<LocalDate> van, Optional<LocalDate> tot) {
        Optional<String> only = gemeente.map(String::strip).filter(g -> !g.isEmpty());
        if (only.isPresent() && !only.get().matches("\\d{4}")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "gemeente is a gemeentecode of four digits");
        }
        LocalDate end = tot.orElse(LocalDate.now(clock));
        LocalDate start = van.orElse(end.minusWeeks(STANDAARD_WEKEN - 1L));
        LocalDate firstMonday = start.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        if (end.isBefore(start)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "van must not be after tot");
        }
        if (ChronoUnit.WEEKS.between(firstMonday, end) >= MAX_WEKEN) {
            throw new ResponseStatusException(
                    HttpStatus.BAD_REQUEST, "a period is at most " + MAX_WEKEN + " weeks; ask for a shorter one");
        }
        Instant from = firstMonday.atStartOfDay(clock.getZone()).toInstant();
        Instant until = end.plusDays(1).atStartOfDay(clock.getZone()).toInstant();
        List<Row> rows = rows(only, from, until);

        Map<LocalDate, List<Row>> byWeek = new TreeMap<>();
        for (LocalDate monday = firstMonday; !monday.isAfter(end); monday = monday.plusWeeks(1)) {
            byWeek.put(monday, new ArrayList<>());
        }
        for (Row r : rows) {
            LocalDate day = r.received().atZone(clock.getZone()).toLocalDate();
            byWeek.get(day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)))
                    .add(r);
        }
        List<Week> weeks = new ArrayList<>();
        byWeek.forEach((monday, list) -> weeks.add(week(monday, list)));

        long[] classes = new long[KLASSEN.size() + 1];
        for (Row r : rows) {
            r.answered().ifPresent(a -> classes[klasse(Duration.between(r.received(), a))]++);
        }
        List<Klasse> distribution = new ArrayList<>();
        for (int i = 0; i < KLASSEN.size(); i++) {
            int[] k = KLASSEN.get(i);
            distribution.add(new Klasse(k[0] + "–" + k[1] + (k[1] == 1 ? " dag" : " dagen"), classes[i]));
        }
        distribution.add(new Klasse("≥ " + KLASSEN.get(KLASSEN.size() - 1)[1] + " dagen", classes[KLASSEN.size()]));
        List<String> gemeenten =
                jdbc.queryForList("select distinct gemeentecode from wmo_request order by gemeentecode", String.class);
        return new Periode(only, firstMonday, end, weeks, distribution, gemeenten);
    }

    private List<Row> rows(Optional<String> gemeente, Instant from, Instant until) {
        String sql = "select r.received_at, r.status, "
                + "(select min(b.received_at) from beschikking b where b.request_id = r.id) answered, "
                + "(select count(*) from beschikking b where b.request_id = r.id and b.besluit = 'IN_ONDERZOEK') onderzoek "
                + "from wmo_request r where r.received_at >= ? and r.received_at < ?"
                + (gemeente.isPresent() ? " and r.gemeentecode = ?" : "");
        List<Object> args = new ArrayList<>(List.of(Timestamp.from(from), Timestamp.from(until)));
        gemeente.ifPresent(args::add);
        return jdbc.query(
                sql,
                (rs, n) -> new Row(
                        rs.getTimestamp("received_at").toInstant(),
                        rs.getString("status"),
                        Optional.ofNullable(rs.getTimestamp("answered")).map(Timestamp::toInstant),
                        rs.getLong("onderzoek") > 0),
                args.toArray());
    }

    private static Week week(LocalDate monday, List<Row> rows) {
        long total = rows.size();
        List<Duration> leadTimes = new ArrayList<>();
        long sentBack = 0;
        for (Row r : rows) {
            r.answered().ifPresent(a -> leadTimes.add(Duration.between(r.received(), a)));
            if ("REJECTED".equals(r.status()) || r.inOnderzoek()) {
                sentBack++;
            }
        }
        Collections.sort(leadTimes);
        Optional<Double> median = Optional.empty();
        if (!leadTimes.isEmpty()) {
            int n = leadTimes.size();
            double low = leadTimes.get((n - 1) / 2).toMinutes() / 60.0;
            double high = leadTimes.get(n / 2).toMinutes() / 60.0;
            median = Optional.of(round((low + high) / 2));
        }
        String label = monday.get(IsoFields.WEEK_BASED_YEAR) + "-W"
                + String.format(java.util.Locale.ROOT, "%02d", monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        return new Week(
                label,
                monday,
                total,
                leadTimes.size(),
                sentBack,
                total == 0 ? 0.0 : round(100.0 * sentBack / total),
                median);
    }

    private static int klasse(Duration leadTime) {
        double days = leadTime.toMinutes() / (24.0 * 60);
        for (int i = 0; i < KLASSEN.size(); i++) {
            if (days < KLASSEN.get(i)[1]) {
                return i;
            }
        }
        return KLASSEN.size();
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    static String decimal(double value) {
        return String.format(java.util.Locale.ROOT, "%.1f", value).replace('.', ',');
    }
}
