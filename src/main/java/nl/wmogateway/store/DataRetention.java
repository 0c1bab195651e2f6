package nl.wmogateway.store;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What is stored about clients is kept no longer than needed (AVG art. 5(1)(e)) and can be erased
 * for one client (art. 17): raw bodies are emptied after their retention (their hash and outcome
 * stay), closed requests are removed with everything that belongs to them, and erasure removes a
 * client's requests and messages wherever they are. Audit records stay: they name the client only
 * by pseudonym, and NEN 7513 asks that they are kept. ToewijzingNummers stay too (no client data;
 * a number must never be given twice). Every step is safe to run twice and on two instances at
 * once: each deletes or empties only what is still there.
 */
@Repository
public class DataRetention {

    /** The states in which a request needs nothing more from the gateway. */
    private static final String CLOSED = "('ANSWERED', 'REJECTED', 'WITHDRAWN')";

    /**
     * What an erasure removed.
     *
     * @param requests         requests with their plans, renderings, messages, beschikkingen and retours
     * @param inboundMessages  messages as received (bodies and findings)
     */
    public record Erased(int requests, int inboundMessages) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Sealer sealer;
    private final TransactionTemplate transactions;

    public DataRetention(JdbcTemplate jdbc, Clock clock, Sealer sealer, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.sealer = sealer;
        this.transactions = new TransactionTemplate(transactions);
    }

    /** Empties raw bodies received before {@code cutoff}; the row, its outcome and the body's hash stay. */
    public int purgeInboundBodies(Instant cutoff, int batch) {
        List<String> ids = jdbc.queryForList(
                "select id from inbound_message where body_purged_at is null and received_at < ? order by received_at limit ?",
                String.class,
                Timestamp.from(cutoff),
                batch);
        int n = 0;
        for (String id : ids) {
            n += jdbc.update(
                    "update inbound_message set body = ?, body_purged_at = ? where id = ? and body_purged_at is null",
                    new byte[0],
                    Timestamp.from(clock.instant()),
                    id);
        }
        return n;
    }

    /** Removes requests in a final state last changed before {@code cutoff}, each with all that belongs to it. */
    public int purgeClosedRequests(Instant cutoff, int batch) {
        List<String> ids = jdbc.queryForList(
                "select id from wmo_request where status in " + CLOSED
                        + " and updated_at < ? order by updated_at limit ?",
                String.class,
                Timestamp.from(cutoff),
                batch);
        int n = 0;
        for (String id : ids) {
            Integer removed = transactions.execute(tx -> deleteRequest(id));
            n += removed == null ? 0 : removed;
        }
        return n;
    }

    /**
     * Erases every trace of one client except the pseudonymous audit: requests (plan, renderings,
     * messages to partners, beschikkingen, retours, deliveries), and every message as received that
     * is about the client, also one that was refused before it became a request (found by its
     * pseudonym, or by the BSN in a body not yet purged). One transaction: all or nothing.
     */
    public Erased eraseClient(String bsn) {
        String ref = sealer.pseudonym(bsn);
        byte[] digits = bsn.getBytes(StandardCharsets.US_ASCII);
        return transactions.execute(tx -> {
            int requests = 0;
            int inbound = 0;
            for (String id : jdbc.queryForList("select id from wmo_request where client_ref = ?", String.class, ref)) {
                inbound += inboundIdsOf(id).size();
                requests += deleteRequest(id);
            }
            inbound += jdbc.update("delete from inbound_message where client_ref = ?", ref);
            List<String> mentioning = new ArrayList<>();
            jdbc.query(
                    "select id, body from inbound_message where body_purged_at is null and client_ref is null", rs -> {
                        String id = rs.getString("id");
                        byte[] body = sealer.open(rs.getBytes("body"), MessageStore.place("inbound_message.body", id));
                        if (contains(body, digits)) {
                            mentioning.add(id);
                        }
                    });
            for (String id : mentioning) {
                inbound += jdbc.update("delete from inbound_message where id = ?", id);
            }
            return new Erased(requests, inbound);
        });
    }

    /** Deletes a request and all that hangs on it; returns 1 when it was there. */
    private int deleteRequest(String id) {
        List<String> messages =
                jdbc.queryForList("select id from outbound_message where request_id = ?", String.class, id);
        Set<String> jobs = new LinkedHashSet<>(messages);
        jobs.add(id);
        for (String job : jobs) {
            jdbc.update("delete from delivery_attempt where job_id = ?", job);
            jdbc.update("delete from delivery_job where id = ?", job);
        }
        Set<String> inbound = inboundIdsOf(id);
        jdbc.update(
                "delete from iwmo_retour_klasse where retour_id in (select id from iwmo_retour where request_id = ?)",
                id);
        jdbc.update("delete from iwmo_retour where request_id = ?", id);
        jdbc.update("delete from beschikking where request_id = ?", id);
        jdbc.update("delete from outbound_message where request_id = ?", id);
        for (String in : inbound) {
            jdbc.update("delete from inbound_message where id = ?", in);
        }
        return jdbc.update("delete from wmo_request where id = ?", id);
    }

    /** The messages as received that belong to a request: its submission, its beschikkingen, answers on it. */
    private Set<String> inboundIdsOf(String requestId) {
        Set<String> ids = new LinkedHashSet<>();
        ids.addAll(jdbc.queryForList("select inbound_id from wmo_request where id = ?", String.class, requestId));
        ids.addAll(
                jdbc.queryForList("select inbound_id from beschikking where request_id = ?", String.class, requestId));
        ids.addAll(jdbc.queryForList("select id from inbound_message where request_id = ?", String.class, requestId));
        return ids;
    }

    /**
     * Seals again, with the current key, the values of one sealed column that are clear (from before
     * encryption at rest) or sealed with an older key; {@code afterId} pages through the table.
     * Returns the last id looked at (empty when the table is done) and how many values changed.
     */
    public Page reseal(SealedColumn column, String afterId, int batch) {
        List<String[]> rows = new ArrayList<>();
        List<byte[]> binary = new ArrayList<>();
        jdbc.query(
                "select id, " + column.column() + " from " + column.table() + " where id > ? order by id limit ?",
                rs -> {
                    rows.add(new String[] {rs.getString(1), column.binary() ? null : rs.getString(2)});
                    binary.add(column.binary() ? rs.getBytes(2) : null);
                },
                afterId,
                batch);
        int changed = 0;
        for (int i = 0; i < rows.size(); i++) {
            String id = rows.get(i)[0];
            String place = MessageStore.place(column.table() + "." + column.column(), id);
            String sql = "update " + column.table() + " set " + column.column() + " = ? where id = ? and "
                    + column.column() + " = ?";
            if (column.binary()) {
                byte[] stored = binary.get(i);
                if (stored != null && stored.length > 0 && sealer.needsReseal(stored)) {
                    changed += jdbc.update(sql, sealer.seal(sealer.open(stored, place), place), id, stored);
                }
            } else {
                String stored = rows.get(i)[1];
                if (sealer.needsResealText(stored)) {
                    changed += jdbc.update(sql, sealer.sealText(sealer.openText(stored, place), place), id, stored);
                }
            }
        }
        return new Page(rows.isEmpty() ? "" : rows.get(rows.size() - 1)[0], changed);
    }

    /** One page of {@link #reseal}: where it ended (empty: at the end of the table) and what it changed. */
    public record Page(String lastId, int changed) {
        public boolean done() {
            return lastId.isEmpty();
        }
    }

    /** Every column that holds a sealed value. */
    public enum SealedColumn {
        INBOUND_BODY("inbound_message", "body", true),
        INBOUND_DETAIL("inbound_message", "outcome_detail", false),
        REQUEST_BSN("wmo_request", "client_bsn", false),
        REQUEST_PLAN("wmo_request", "plan_json", false),
        REQUEST_REASON("wmo_request", "status_reason", false),
        OUTBOUND_BODY("outbound_message", "body", true),
        BESCHIKKING_BODY("beschikking", "body", false);

        private final String table;
        private final String column;
        private final boolean binary;

        SealedColumn(String table, String column, boolean binary) {
            this.table = table;
            this.column = column;
            this.binary = binary;
        }

        public String table() {
            return table;
        }

        public String column() {
            return column;
        }

        public boolean binary() {
            return binary;
        }
    }

    /** Gives requests from before version 3 of the schema their pseudonym. Returns how many changed. */
    public int pseudonymiseRequests(int batch) {
        List<String> ids = jdbc.queryForList(
                "select id from wmo_request where client_ref is null order by id limit ?", String.class, batch);
        int n = 0;
        for (String id : ids) {
            String stored = jdbc.queryForObject("select client_bsn from wmo_request where id = ?", String.class, id);
            String bsn = sealer.openText(stored, MessageStore.place("wmo_request.client_bsn", id));
            n += jdbc.update(
                    "update wmo_request set client_ref = ? where id = ? and client_ref is null",
                    sealer.pseudonym(bsn),
                    id);
        }
        return n;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
