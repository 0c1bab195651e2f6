package nl.wmogateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.web.server.ResponseStatusException;

/** The pilot figures per ISO week, counted in the gateway's own schema. */
class PilotcijfersTest {

    private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");
    /** Wednesday 2 December 2026, in week 49. */
    private static final Instant NOW = Instant.parse("2026-12-02T11:00:00Z");

    private JdbcTemplate jdbc;
    private Pilotcijfers cijfers;

    @BeforeEach
    void database() {
        DriverManagerDataSource ds =
                new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        org.flywaydb.core.Flyway.configure()
                .dataSource(ds)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        jdbc = new JdbcTemplate(ds);
        cijfers = new Pilotcijfers(jdbc, Clock.fixed(NOW, AMSTERDAM));
    }

    @Test
    void weeksCountRequestsAnswersAndPlansSentBackWithTheMedianLeadTime() {
        Instant monday = Instant.parse("2026-11-30T08:00:00Z");
        request("a", "0153", "ANSWERED", monday, Optional.of(Duration.ofHours(4)), "TOEGEKEND");
        request("b", "0153", "ANSWERED", monday, Optional.of(Duration.ofHours(30)), "TOEGEKEND");
        request("c", "0153", "REJECTED", monday.plus(Duration.ofDays(1)), Optional.empty(), null);
        request("d", "0153", "IN_ONDERZOEK", monday, Optional.of(Duration.ofDays(6)), "IN_ONDERZOEK");
        request("e", "0363", "DELIVERED", monday, Optional.empty(), null);
        request("f", "0153", "DELIVERED", Instant.parse("2026-11-20T08:00:00Z"), Optional.empty(), null);

        Pilotcijfers.Periode p = cijfers.periode(Optional.of("0153"), Optional.empty(), Optional.empty());

        assertThat(p.weken()).hasSize(Pilotcijfers.STANDAARD_WEKEN);
        Pilotcijfers.Week week49 = p.weken().get(p.weken().size() - 1);
        assertThat(week49.week()).isEqualTo("2026-W49");
        assertThat(week49.maandag()).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(week49.aanvragen()).isEqualTo(4);
        assertThat(week49.beantwoord()).isEqualTo(3);
        assertThat(week49.teruggestuurd()).isEqualTo(2);
        assertThat(week49.teruggestuurdProcent()).isEqualTo(50.0);
        assertThat(week49.doorlooptijdMediaanUren()).contains(30.0);
        assertThat(p.weken().get(p.weken().size() - 3).aanvragen()).isEqualTo(1);
        assertThat(p.doorlooptijden()).extracting(Pilotcijfers.Klasse::aantal).containsExactly(1L, 1L, 0L, 1L, 0L, 0L);
        assertThat(p.gemeenten()).containsExactly("0153", "0363");
        assertThat(p.csv().lines().toList())
                .first()
                .isEqualTo(
                        "week;maandag;aanvragen;beantwoord;teruggestuurd;teruggestuurd_procent;doorlooptijd_mediaan_uren");
        assertThat(p.csv().lines().toList()).last().isEqualTo("2026-W49;2026-11-30;4;3;2;50,0;30,0");
    }

    @Test
    void theMedianOfAnEvenNumberOfLeadTimesLiesBetweenTheMiddleTwo() {
        Instant monday = Instant.parse("2026-11-30T08:00:00Z");
        request("a", "0153", "ANSWERED", monday, Optional.of(Duration.ofHours(4)), "TOEGEKEND");
        request("b", "0153", "ANSWERED", monday, Optional.of(Duration.ofHours(30)), "TOEGEKEND");

        Pilotcijfers.Periode p = cijfers.periode(Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(p.weken().get(p.weken().size() - 1).doorlooptijdMediaanUren())
                .contains(17.0);
    }

    @Test
    void aPeriodIsCheckedBeforeItIsCounted() {
        assertThatThrownBy(() -> cijfers.periode(
                        Optional.empty(),
                        Optional.of(LocalDate.of(2026, 12, 1)),
                        Optional.of(LocalDate.of(2026, 11, 1))))
                .isInstanceOf(ResponseStatusException.class)
                .hasMessageContaining("van must not be after tot");
        assertThatThrownBy(() -> cijfers.periode(
                        Optional.empty(), Optional.of(LocalDate.of(2020, 1, 1)), Optional.of(LocalDate.of(2026, 1, 1))))
                .hasMessageContaining("at most 104 weeks");
        assertThatThrownBy(() -> cijfers.periode(Optional.of("0153' or '1'='1"), Optional.empty(), Optional.empty()))
                .hasMessageContaining("four digits");
    }

    private void request(
            String id,
            String gemeente,
            String status,
            Instant received,
            Optional<Duration> answeredAfter,
            String besluit) {
        jdbc.update(
                "insert into wmo_request (id, inbound_id, sender_agb, bundle_system, bundle_value, bundle_hash, "
                        + "gemeentecode, client_bsn, status, received_at, updated_at, plan_json) "
                        + "values (?, 'in', '12345678', 'urn:s', ?, 'h', ?, 'sealed', ?, ?, ?, '{}')",
                id,
                id,
                gemeente,
                status,
                Timestamp.from(received),
                Timestamp.from(received));
        answeredAfter.ifPresent(after -> jdbc.update(
                "insert into beschikking (id, request_id, inbound_id, gemeentecode, beschikkingnummer, besluit, "
                        + "received_at, body) values (?, ?, 'in', ?, 1, ?, ?, '{}')",
                "b-" + id,
                id,
                gemeente,
                besluit,
                Timestamp.from(received.plus(after))));
    }
}
