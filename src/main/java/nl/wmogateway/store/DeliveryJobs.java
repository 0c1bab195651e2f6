package nl.wmogateway.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/**
 * The outbox ({@code delivery_job}) and the record of every delivery attempt
 * ({@code delivery_attempt}). A job is created in the same transaction as what it delivers; every
 * change of a job is one conditional update, so that any number of gateway instances can share the
 * table: whoever changes the row first wins, the others see zero rows changed.
 */
@Repository
public class DeliveryJobs {

    /** A job that is due or leased may belong to an instance whose clock runs a little ahead. */
    public static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(5);

    public enum Kind {
        PLAN,
        MESSAGE
    }

    public enum State {
        PENDING,
        DONE,
        PARKED
    }

    /** One unit of delivery: a request's renderings (PLAN, id = request id) or one stored message (MESSAGE, id = message id). */
    public record Job(
            String id,
            Kind kind,
            String partner,
            State state,
            int attempts,
            Instant nextAttemptAt,
            Optional<String> leaseOwner,
            Optional<Instant> leaseUntil,
            Optional<Instant> publishedAt,
            Optional<String> lastError,
            Instant createdAt,
            Instant updatedAt) {}

    /** One attempt to hand one message to a partner. */
    public record Attempt(
            long id,
            String jobId,
            int attempt,
            String messageId,
            String owner,
            Instant startedAt,
            Optional<Instant> finishedAt,
            Optional<Integer> httpStatus,
            Optional<String> outcome,
            Optional<String> detail) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DeliveryJobs(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A new job, due now. Call it inside the transaction that stores what it delivers. */
    public void create(String id, Kind kind, String partner) {
        Timestamp now = ts(clock.instant());
        jdbc.update(
                "insert into delivery_job (id, kind, partner, state, attempts, next_attempt_at, created_at, updated_at) "
                        + "values (?, ?, ?, 'PENDING', 0, ?, ?, ?)",
                id,
                kind.name(),
                partner,
                now,
                now,
                now);
    }

    public Optional<Job> job(String id) {
        return jdbc.query("select * from delivery_job where id = ?", JOB, id).stream()
                .findFirst();
    }

    /**
     * Takes the job for one attempt: only when it is pending, due and not leased by anyone (or its
     * lease ran out). Counts the attempt. Returns the job as it is after the claim, or empty when
     * someone else has it or there is nothing to do.
     */
    public Optional<Job> claim(String id, String owner, Duration lease) {
        Instant now = clock.instant();
        int n = jdbc.update(
                "update delivery_job set lease_owner = ?, lease_until = ?, attempts = attempts + 1, "
                        + "published_at = null, updated_at = ? "
                        + "where id = ? and state = 'PENDING' and next_attempt_at <= ? "
                        + "and (lease_until is null or lease_until < ?)",
                owner,
                ts(now.plus(lease)),
                ts(now),
                id,
                ts(now.plus(CLOCK_TOLERANCE)),
                ts(now));
        return n == 1 ? job(id) : Optional.empty();
    }

    /** Extends every lease this owner holds; returns how many. */
    public int renew(String owner, Duration lease) {
        return jdbc.update(
                "update delivery_job set lease_until = ? where lease_owner = ? and state = 'PENDING'",
                ts(clock.instant().plus(lease)),
                owner);
    }

    /** The job needs nothing more (delivered, refused, or its subject was withdrawn or answered). */
    public boolean done(String id, String owner) {
        return jdbc.update(
                        "update delivery_job set state = 'DONE', lease_owner = null, lease_until = null, updated_at = ? "
                                + "where id = ? and lease_owner = ?",
                        ts(clock.instant()),
                        id,
                        owner)
                == 1;
    }

    /** Another attempt at {@code next}; the lease is given up. */
    public boolean retryAt(String id, String owner, Instant next, String problem) {
        return jdbc.update(
                        "update delivery_job set next_attempt_at = ?, last_error = ?, lease_owner = null, lease_until = null, "
                                + "updated_at = ? where id = ? and lease_owner = ?",
                        ts(next),
                        clip(problem),
                        ts(clock.instant()),
                        id,
                        owner)
                == 1;
    }

    /** No more attempts until an operator releases it; the messages behind it go on. */
    public boolean park(String id, Optional<String> owner, String reason) {
        return owner.map(o -> jdbc.update(
                                "update delivery_job set state = 'PARKED', last_error = ?, lease_owner = null, "
                                        + "lease_until = null, updated_at = ? where id = ? and lease_owner = ?",
                                clip(reason),
                                ts(clock.instant()),
                                id,
                                o))
                        .orElseGet(() -> jdbc.update(
                                "update delivery_job set state = 'PARKED', last_error = ?, updated_at = ? "
                                        + "where id = ? and state = 'PENDING' and (lease_until is null or lease_until < ?)",
                                clip(reason),
                                ts(clock.instant()),
                                id,
                                ts(clock.instant())))
                == 1;
    }

    /**
     * Starts the job afresh (an operator's replay or release): pending, due now, no attempts counted.
     * Creates it when the subject was stored before the outbox existed.
     */
    public void reset(String id, Kind kind, String partner) {
        Timestamp now = ts(clock.instant());
        int n = jdbc.update(
                "update delivery_job set state = 'PENDING', attempts = 0, next_attempt_at = ?, lease_owner = null, "
                        + "lease_until = null, published_at = null, last_error = null, updated_at = ? where id = ?",
                now,
                now,
                id);
        if (n == 0) {
            create(id, kind, partner);
        }
    }

    /**
     * Jobs that need a ticket on the broker: pending, due, not leased, and not already announced
     * since they became due (or announced so long ago that the ticket is presumed lost).
     */
    public List<Job> needingTicket(Instant republishBefore, int limit) {
        Instant now = clock.instant();
        return jdbc.query(
                "select * from delivery_job where state = 'PENDING' and next_attempt_at <= ? "
                        + "and (lease_until is null or lease_until < ?) "
                        + "and (published_at is null or published_at < next_attempt_at or published_at < ?) "
                        + "order by next_attempt_at limit ?",
                JOB,
                ts(now),
                ts(now),
                ts(republishBefore),
                limit);
    }

    /** Marks the job announced, unless another instance just did; returns the moment marked, or empty. */
    public Optional<Instant> markPublished(String id, Instant republishBefore) {
        Instant now = clock.instant();
        int n = jdbc.update(
                "update delivery_job set published_at = ? where id = ? and state = 'PENDING' "
                        + "and (published_at is null or published_at < next_attempt_at or published_at < ?)",
                ts(now),
                id,
                ts(republishBefore));
        return n == 1 ? Optional.of(now) : Optional.empty();
    }

    /** The ticket could not be sent: let the relay try again. */
    public void unpublish(String id, Instant marked) {
        jdbc.update("update delivery_job set published_at = null where id = ? and published_at = ?", id, ts(marked));
    }

    /**
     * Frees the leases of an earlier run of this instance (killed before it could finish): they are
     * taken up again at once instead of after the lease ran out.
     */
    public int releaseEarlierRuns(String instanceId, String currentOwner) {
        return jdbc.update(
                "update delivery_job set lease_owner = null, lease_until = null "
                        + "where lease_owner like ? and lease_owner <> ?",
                instanceId.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%",
                currentOwner);
    }

    public List<Job> inState(State state, Optional<String> partner, int limit) {
        return partner.map(p -> jdbc.query(
                        "select * from delivery_job where state = ? and partner = ? order by updated_at desc limit ?",
                        JOB,
                        state.name(),
                        p,
                        limit))
                .orElseGet(() -> jdbc.query(
                        "select * from delivery_job where state = ? order by updated_at desc limit ?",
                        JOB,
                        state.name(),
                        limit));
    }

    /** Per partner, how many jobs are pending and parked. */
    public Map<String, Map<State, Long>> countsByPartner() {
        Map<String, Map<State, Long>> counts = new TreeMap<>();
        jdbc.query(
                "select partner, state, count(*) from delivery_job where state <> 'DONE' group by partner, state",
                rs -> {
                    counts.computeIfAbsent(rs.getString(1), p -> new TreeMap<>())
                            .put(State.valueOf(rs.getString(2)), rs.getLong(3));
                });
        return counts;
    }

    // --- attempts ----------------------------------------------------------------------------------

    /** Written (and committed) before the message leaves, so that a crash leaves a trace of it. */
    public long attemptStarted(String jobId, int attempt, String messageId, String owner) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        Timestamp now = ts(clock.instant());
        jdbc.update(
                con -> {
                    var ps = con.prepareStatement(
                            "insert into delivery_attempt (job_id, attempt, message_id, owner, started_at) "
                                    + "values (?, ?, ?, ?, ?)",
                            new String[] {"id"});
                    ps.setString(1, jobId);
                    ps.setInt(2, attempt);
                    ps.setString(3, messageId);
                    ps.setString(4, owner);
                    ps.setTimestamp(5, now);
                    return ps;
                },
                key);
        return key.getKey().longValue();
    }

    public void attemptFinished(long attemptId, Optional<Integer> httpStatus, String outcome, String detail) {
        jdbc.update(
                "update delivery_attempt set finished_at = ?, http_status = ?, outcome = ?, detail = ? where id = ?",
                ts(clock.instant()),
                httpStatus.orElse(null),
                outcome,
                clip(detail),
                attemptId);
    }

    /**
     * Attempts of this job that never got an outcome: the instance stopped between sending and
     * recording the answer. The partner may have the message; it is sent again with the same key.
     */
    public int markInDoubt(String jobId) {
        return jdbc.update(
                "update delivery_attempt set outcome = 'IN_DOUBT', detail = 'the gateway stopped during this attempt; "
                        + "resent with the same Idempotency-Key' where job_id = ? and finished_at is null and outcome is null",
                jobId);
    }

    public List<Attempt> attempts(String jobId) {
        return jdbc.query("select * from delivery_attempt where job_id = ? order by id", ATTEMPT, jobId);
    }

    // --- mapping -----------------------------------------------------------------------------------

    private static String clip(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }

    private static final RowMapper<Job> JOB = (rs, n) -> new Job(
            rs.getString("id"),
            Kind.valueOf(rs.getString("kind")),
            rs.getString("partner"),
            State.valueOf(rs.getString("state")),
            rs.getInt("attempts"),
            instant(rs, "next_attempt_at").orElseThrow(),
            Optional.ofNullable(rs.getString("lease_owner")),
            instant(rs, "lease_until"),
            instant(rs, "published_at"),
            Optional.ofNullable(rs.getString("last_error")),
            instant(rs, "created_at").orElseThrow(),
            instant(rs, "updated_at").orElseThrow());

    private static final RowMapper<Attempt> ATTEMPT = (rs, n) -> new Attempt(
            rs.getLong("id"),
            rs.getString("job_id"),
            rs.getInt("attempt"),
            rs.getString("message_id"),
            rs.getString("owner"),
            instant(rs, "started_at").orElseThrow(),
            instant(rs, "finished_at"),
            Optional.ofNullable((Integer) rs.getObject("http_status")),
            Optional.ofNullable(rs.getString("outcome")),
            Optional.ofNullable(rs.getString("detail")));
}
