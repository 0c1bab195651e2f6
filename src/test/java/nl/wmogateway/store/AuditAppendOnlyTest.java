package nl.wmogateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import nl.wmogateway.support.engines.GatewayProcess;
import nl.wmogateway.support.engines.PostgresServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The audit trail is append-only in the database itself, on both engines, with the schema the
 * gateway's migrations make: a chained record cannot be updated or deleted, except by the retention
 * purge from the start of the chain; the chain stays verifiable after a purge.
 */
class AuditAppendOnlyTest {

    @Test
    void onH2() {
        String url = "jdbc:h2:mem:audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        check(new DriverManagerDataSource(url, "sa", ""), "h2");
    }

    @Test
    void onPostgresql() {
        PostgresServer pg = PostgresServer.shared();
        check(new DriverManagerDataSource(pg.newDatabase("audit"), pg.username(), pg.password()), "postgresql");
    }

    private static void check(DataSource db, String vendor) {
        Flyway.configure()
                .dataSource(db)
                .locations("classpath:db/migration", "classpath:db/vendor/" + vendor)
                .load()
                .migrate();
        JdbcTemplate jdbc = new JdbcTemplate(db);
        Sealer sealer = Sealer.parse(GatewayProcess.STORAGE_KEYS, Optional.empty());
        Instant[] now = {Instant.parse("2020-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        AuditLog audit = new AuditLog(jdbc, clock, sealer, new DataSourceTransactionManager(db));
        for (int i = 0; i < 3; i++) {
            audit.record(
                    "test", "SUBMIT", Optional.of("r" + i), Optional.of("999911120"), "ACCEPTED", Optional.empty());
        }
        now[0] = Instant.parse("2026-01-01T00:00:00Z");
        audit.record("test", "READ_TASK", Optional.of("r9"), Optional.empty(), "READ", Optional.empty());

        assertThatThrownBy(() -> jdbc.update("update audit_event set detail = 'x' where seq = 2"))
                .hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("delete from audit_event where seq = 4"))
                .hasStackTraceContaining("append-only");
        assertThat(audit.verify().intact()).isTrue();

        assertThat(audit.purgeOlderThan(Instant.parse("2025-01-01T00:00:00Z"))).isEqualTo(3);

        AuditLog.Verification after = audit.verify();
        assertThat(after.intact()).as("%s", after.firstBreak()).isTrue();
        assertThat(after.checked()).isEqualTo(1);
        assertThat(after.head().purgedSeq()).isEqualTo(3);
        assertThatThrownBy(() -> jdbc.update("delete from audit_event")).hasStackTraceContaining("append-only");
    }
}
