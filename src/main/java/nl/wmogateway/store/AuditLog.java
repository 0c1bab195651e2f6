package nl.wmogateway.store;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Who sent, changed or looked at what about whom (NEN 7513). Audit records live in the database,
 * not in the application log, and name the client only by pseudonym ({@link Sealer#pseudonym}):
 * never by BSN, so that erasing a client's data leaves the trail intact and pseudonymous.
 *
 * <p>The trail is a hash chain: every record holds its place ({@code seq}), the hash of the record
 * before it and its own hash over both and its content; {@code audit_head} holds the newest link.
 * Changing, removing or inserting a record anywhere breaks the chain at that place, which
 * {@link #verify} finds. Records made in a transaction are chained just before it commits (so the
 * head is locked only for that moment, and always as the last lock: no deadlock with the rows the
 * transaction changed); they vanish with a rollback, as what they record does. The gateway itself
 * only ever inserts audit records: its database user needs no UPDATE or DELETE on
 * {@code audit_event} except for the retention purge at the start of the chain.
 */
@Repository
public class AuditLog {

    /** The hash before the first record. */
    public static final String GENESIS = "0".repeat(64);

    /**
     * One audit record.
     *
     * @param seq       its place in the chain (empty for a record from before the chain)
     * @param clientRef the client's pseudonym, if the record is about one
     */
    public record Event(
            long id,
            Optional<Long> seq,
            Instant at,
            String actor,
            String action,
            Optional<String> requestId,
            Optional<String> clientRef,
            String outcome,
            Optional<String> detail) {}

    /** The newest link of the chain, and where it starts after a retention purge. */
    public record Head(long seq, String hash, long purgedSeq, String purgedHash) {}

    /** The first place where the chain does not hold. */
    public record Break(long seq, Optional<Long> id, String problem) {}

    /**
     * What {@link #verify} found.
     *
     * @param checked   chained records checked
     * @param unchained records from before the chain (version 3 of the schema), not covered
     */
    public record Verification(long checked, long unchained, Head head, Optional<Break> firstBreak) {
        public boolean intact() {
            return firstBreak.isEmpty();
        }
    }

    private record Pending(
            Instant at,
            String actor,
            String action,
            String requestId,
            String clientRef,
            String outcome,
            String detail) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Sealer sealer;
    private final TransactionTemplate ownTransaction;

    public AuditLog(JdbcTemplate jdbc, Clock clock, Sealer sealer, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.sealer = sealer;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Records an event. {@code clientBsn} is kept as the client's pseudonym; {@code detail} must not
     * hold client data (it stays as long as the audit trail).
     */
    public void record(
            String actor,
            String action,
            Optional<String> requestId,
            Optional<String> clientBsn,
            String outcome,
            Optional<String> detail) {
        recordForPseudonym(actor, action, requestId, clientBsn.map(sealer::pseudonym), outcome, detail);
    }

    /** Records an event about a client known only by their pseudonym ({@code client_ref}). */
    public void recordForPseudonym(
            String actor,
            String action,
            Optional<String> requestId,
            Optional<String> clientRef,
            String outcome,
            Optional<String> detail) {
        Pending event = new Pending(
                clock.instant().truncatedTo(ChronoUnit.MICROS),
                actor,
                action,
                requestId.orElse(null),
                clientRef.orElse(null),
                outcome,
                detail.orElse(null));
        if (TransactionSynchronizationManager.isSynchronizationActive()
                && TransactionSynchronizationManager.isActualTransactionActive()
                && !TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
            pendingOfThisTransaction().add(event);
        } else {
            ownTransaction.executeWithoutResult(tx -> append(List.of(event)));
        }
    }

    /**
     * The events waiting for the current transaction to commit. Kept in a synchronisation of this
     * transaction (not a thread resource), so a transaction of its own that suspends this one
     * chains its events at its own commit.
     */
    private List<Pending> pendingOfThisTransaction() {
        for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
            if (s instanceof Flush flush && flush.owner() == this) {
                return flush.pending();
            }
        }
        Flush flush = new Flush(this, new ArrayList<>());
        TransactionSynchronizationManager.registerSynchronization(flush);
        return flush.pending();
    }

    /** Chains the events of one transaction just before it commits. */
    private record Flush(AuditLog owner, List<Pending> pending) implements TransactionSynchronization {
        @Override
        public int getOrder() {
            // after every other synchronisation that might still record something
            return LOWEST_PRECEDENCE;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            owner.append(pending);
            pending.clear();
        }
    }

    /** Chains and inserts events; the caller's transaction holds the head's row lock until it commits. */
    private void append(List<Pending> events) {
        if (events.isEmpty()) {
            return;
        }
        Head head = lockHead();
        long seq = head.seq();
        String prev = head.hash();
        for (Pending e : events) {
            seq++;
            String hash = hash(seq, prev, e);
            jdbc.update(
                    "insert into audit_event (at, actor, action, request_id, client_ref, outcome, detail, seq, prev_hash, hash) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Timestamp.from(e.at()),
                    e.actor(),
                    e.action(),
                    e.requestId(),
                    e.clientRef(),
                    e.outcome(),
                    e.detail(),
                    seq,
                    prev,
                    hash);
            prev = hash;
        }
        jdbc.update("update audit_head set seq = ?, hash = ? where id = 1", seq, prev);
    }

    private Head lockHead() {
        return jdbc.queryForObject(
                "select seq, hash, purged_seq, purged_hash from audit_head where id = 1 for update", AuditLog::head);
    }

    /** The newest link: export it (signed) to a place of its own to anchor the chain outside the database. */
    public Head head() {
        return jdbc.queryForObject(
                "select seq, hash, purged_seq, purged_hash from audit_head where id = 1", AuditLog::head);
    }

    /**
     * Checks the whole chain: every record's hash, its link to the record before it, no gap in the
     * sequence, and that the newest record is the head. Returns the first place it does not hold.
     */
    public Verification verify() {
        Head head = head();
        long unchained = count("select count(*) from audit_event where seq is null");
        long[] checked = {0};
        long[] expectedSeq = {head.purgedSeq() + 1};
        String[] prev = {head.purgedHash()};
        Break[] first = {null};
        jdbc.query(
                con -> {
                    var statement = con.prepareStatement(
                            "select * from audit_event where seq is not null order by seq",
                            ResultSet.TYPE_FORWARD_ONLY,
                            ResultSet.CONCUR_READ_ONLY);
                    statement.setFetchSize(500);
                    return statement;
                },
                (RowCallbackHandler) rs -> {
                    if (first[0] != null) {
                        return;
                    }
                    long seq = rs.getLong("seq");
                    long id = rs.getLong("id");
                    checked[0]++;
                    if (seq != expectedSeq[0]) {
                        first[0] = new Break(
                                expectedSeq[0],
                                Optional.empty(),
                                seq < expectedSeq[0]
                                        ? "record " + seq + " lies before the start of the chain (" + expectedSeq[0]
                                                + ")"
                                        : "record " + expectedSeq[0]
                                                + (seq - expectedSeq[0] > 1 ? " to " + (seq - 1) : "") + " is missing");
                        return;
                    }
                    String stored = rs.getString("hash");
                    String storedPrev = rs.getString("prev_hash");
                    if (!prev[0].equals(storedPrev)) {
                        first[0] = new Break(
                                seq,
                                Optional.of(id),
                                "its link to record " + (seq - 1)
                                        + " does not match (a record before it was changed or replaced)");
                        return;
                    }
                    String computed = hash(
                            seq,
                            storedPrev,
                            new Pending(
                                    rs.getTimestamp("at").toInstant(),
                                    rs.getString("actor"),
                                    rs.getString("action"),
                                    rs.getString("request_id"),
                                    rs.getString("client_ref"),
                                    rs.getString("outcome"),
                                    rs.getString("detail")));
                    if (!computed.equals(stored)) {
                        first[0] = new Break(
                                seq, Optional.of(id), "its content does not match its hash (the record was changed)");
                        return;
                    }
                    prev[0] = stored;
                    expectedSeq[0] = seq + 1;
                });
        if (first[0] == null && (expectedSeq[0] - 1 != head.seq() || !prev[0].equals(head.hash()))) {
            first[0] = new Break(
                    expectedSeq[0],
                    Optional.empty(),
                    expectedSeq[0] - 1 < head.seq()
                            ? "the newest records (" + expectedSeq[0] + " to " + head.seq() + ") are missing"
                            : "the head of the chain does not match its newest record");
        }
        return new Verification(checked[0], unchained, head, Optional.ofNullable(first[0]));
    }

    /**
     * Removes the records older than {@code cutoff} from the start of the chain (retention); the
     * chain then starts at the first remaining record, linked to the hash of the last removed one.
     * Returns how many records were removed.
     */
    public int purgeOlderThan(Instant cutoff) {
        return ownTransaction.execute(tx -> {
            Head head = lockHead();
            Long last = jdbc.queryForObject(
                    "select max(seq) from audit_event where seq is not null and at < ?",
                    Long.class,
                    Timestamp.from(cutoff));
            int removed = jdbc.update("delete from audit_event where seq is null and at < ?", Timestamp.from(cutoff));
            if (last == null || last <= head.purgedSeq()) {
                return removed;
            }
            String hash = jdbc.queryForObject("select hash from audit_event where seq = ?", String.class, last);
            // the start of the chain moves first: the database lets only records behind it go
            jdbc.update("update audit_head set purged_seq = ?, purged_hash = ? where id = 1", last, hash);
            removed += jdbc.update("delete from audit_event where seq <= ?", last);
            return removed;
        });
    }

    /**
     * Replaces the BSN in records from before the chain by the pseudonym (the housekeeping does this
     * once after an upgrade). Returns how many records changed.
     */
    public int pseudonymiseUnchained(int batch) {
        List<Long> ids = jdbc.queryForList(
                "select id from audit_event where seq is null and client_bsn is not null order by id limit ?",
                Long.class,
                batch);
        for (Long id : ids) {
            String bsn = jdbc.queryForObject("select client_bsn from audit_event where id = ?", String.class, id);
            jdbc.update(
                    "update audit_event set client_ref = ?, client_bsn = null where id = ?", sealer.pseudonym(bsn), id);
        }
        return ids.size();
    }

    public List<Event> forRequest(String requestId) {
        return jdbc.query("select * from audit_event where request_id = ? order by id", AuditLog::event, requestId);
    }

    /** Every record about one client, oldest first: who did what with the client's data (NEN 7513 lets the client ask). */
    public List<Event> forClient(String bsn) {
        return jdbc.query(
                "select * from audit_event where client_ref = ? order by id", AuditLog::event, sealer.pseudonym(bsn));
    }

    /** Chained records after {@code afterSeq}, in chain order (for an export to a SIEM). */
    public List<Event> after(long afterSeq, int limit) {
        return jdbc.query(
                "select * from audit_event where seq > ? order by seq limit ?", AuditLog::event, afterSeq, limit);
    }

    public List<Event> recent(int limit) {
        return jdbc.query("select * from audit_event order by id desc limit ?", AuditLog::event, limit);
    }

    private long count(String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    private static Head head(ResultSet rs, int row) throws SQLException {
        return new Head(rs.getLong("seq"), rs.getString("hash"), rs.getLong("purged_seq"), rs.getString("purged_hash"));
    }

    private static Event event(ResultSet rs, int row) throws SQLException {
        Object seq = rs.getObject("seq");
        return new Event(
                rs.getLong("id"),
                Optional.ofNullable(seq).map(s -> ((Number) s).longValue()),
                rs.getTimestamp("at").toInstant(),
                rs.getString("actor"),
                rs.getString("action"),
                Optional.ofNullable(rs.getString("request_id")),
                Optional.ofNullable(rs.getString("client_ref")),
                rs.getString("outcome"),
                Optional.ofNullable(rs.getString("detail")));
    }

    /**
     * The hash of one record: SHA-256 over a version tag, its place, the previous hash and every
     * field, each field length-prefixed (so no two different records give the same input).
     */
    private static String hash(long seq, String prev, Pending record) {
        StringBuilder in = new StringBuilder("wmo-gateway audit v1\n")
                .append(seq)
                .append('\n')
                .append(prev)
                .append('\n')
                .append(record.at().truncatedTo(ChronoUnit.MICROS))
                .append('\n');
        for (String field : new String[] {
            record.actor(), record.action(), record.requestId(), record.clientRef(), record.outcome(), record.detail()
        }) {
            if (field == null) {
                in.append("-\n");
            } else {
                in.append(field.length()).append(':').append(field).append('\n');
            }
        }
        return MessageStore.sha256(in.toString().getBytes(StandardCharsets.UTF_8));
    }
}
