package nl.wmogateway.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Who sent what about whom. Audit events live in the database, not in the application log, because
 * they name the client (BSN); the application log never does.
 */
@Repository
public class AuditLog {

    /** One audit event. */
    public record Event(
            Instant at,
            String actor,
            String action,
            Optional<String> requestId,
            Optional<String> clientBsn,
            String outcome,
            Optional<String> detail) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public AuditLog(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(
            String actor,
            String action,
            Optional<String> requestId,
            Optional<String> clientBsn,
            String outcome,
            Optional<String> detail) {
        jdbc.update(
                "insert into audit_event (at, actor, action, request_id, client_bsn, outcome, detail) values (?, ?, ?, ?, ?, ?, ?)",
                Timestamp.from(clock.instant()),
                actor,
                action,
                requestId.orElse(null),
                clientBsn.orElse(null),
                outcome,
                detail.orElse(null));
    }

    public List<Event> forRequest(String requestId) {
        return jdbc.query(
                "select * from audit_event where request_id = ? order by id",
                (rs, n) -> new Event(
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("actor"),
                        rs.getString("action"),
                        Optional.ofNullable(rs.getString("request_id")),
                        Optional.ofNullable(rs.getString("client_bsn")),
                        rs.getString("outcome"),
                        Optional.ofNullable(rs.getString("detail"))),
                requestId);
    }

    public List<Event> recent(int limit) {
        return jdbc.query(
                "select * from audit_event order by id desc limit ?",
                (rs, n) -> new Event(
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("actor"),
                        rs.getString("action"),
                        Optional.ofNullable(rs.getString("request_id")),
                        Optional.ofNullable(rs.getString("client_bsn")),
                        rs.getString("outcome"),
                        Optional.ofNullable(rs.getString("detail"))),
                limit);
    }
}
