package nl.wmogateway.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * Every message in and out, as one list for the operator: what came in from a partner
 * ({@code inbound_message}) and what the gateway sent ({@code outbound_message}), newest first,
 * filtered and paged in the database. Only the columns without client data are read: no body, no
 * finding text.
 */
@Repository
public class TrafficLog {

    /** The most one page holds. */
    public static final int MAX_PAGE_SIZE = 200;

    /** Which way a message went. */
    public enum Direction {
        IN,
        OUT
    }

    /**
     * What to show. Every part is optional; text parts match exactly, except {@code partner}, which
     * matches an outbound message's partner id or any part of an inbound sender's certificate subject.
     *
     * @param direction   in or out
     * @param partner     a partner id, or part of a certificate subject
     * @param status      an inbound outcome ({@code ACCEPTED}, {@code REJECTED}, ...) or an outbound
     *                    state ({@code DELIVERED}, {@code FAILED}, ...)
     * @param type        an inbound channel or an outbound rendering ({@code WMO301}, ...)
     * @param from        received or created at or after
     * @param until       received or created before
     * @param requestId   the request the message belongs to
     */
    public record Filter(
            Optional<Direction> direction,
            Optional<String> partner,
            Optional<String> status,
            Optional<String> type,
            Optional<Instant> from,
            Optional<Instant> until,
            Optional<String> requestId) {

        public static Filter none() {
            return new Filter(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty());
        }
    }

    /**
     * One message.
     *
     * @param direction   in or out
     * @param id          the inbound or outbound message id
     * @param at          received or created
     * @param type        the inbound channel or the outbound rendering
     * @param kind        for an outbound message its kind ({@code plan}, {@code iwmo}, ...); for
     *                    inbound the channel again
     * @param partner     the sender's certificate subject, or the partner id it went to
     * @param status      the inbound outcome or the outbound state
     * @param requestId   the request it belongs to, when known
     * @param bytes       the size of the body as stored (0 once retention emptied it)
     * @param httpStatus  for an outbound message the partner's last HTTP status
     * @param retour      for an iWmo message the state of its retour
     */
    public record Entry(
            Direction direction,
            String id,
            Instant at,
            String type,
            String kind,
            String partner,
            String status,
            Optional<String> requestId,
            long bytes,
            Optional<Integer> httpStatus,
            Optional<String> retour) {}

    /** One page of the list; {@code more} says whether an older page exists. */
    public record Page(List<Entry> entries, int page, int size, boolean more) {}

    /** One row of either table, by the column names both queries give. */
    private static final RowMapper<Entry> ENTRY = (rs, n) -> new Entry(
            Direction.valueOf(rs.getString("direction")),
            rs.getString("id"),
            rs.getTimestamp("at").toInstant(),
            rs.getString("type"),
            rs.getString("kind"),
            rs.getString("partner"),
            rs.getString("status"),
            Optional.ofNullable(rs.getString("request_id")),
            rs.getLong("bytes"),
            Optional.ofNullable(rs.getObject("http_status", Integer.class)),
            Optional.ofNullable(rs.getString("retour")));

    private final JdbcTemplate jdbc;

    public TrafficLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One page (counted from 0), newest first. */
    public Page page(Filter filter, int page, int size) {
        int pageSize = Math.min(Math.max(size, 1), MAX_PAGE_SIZE);
        int pageNumber = Math.max(page, 0);
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select * from (");
        boolean in = filter.direction().map(d -> d == Direction.IN).orElse(true);
        boolean out = filter.direction().map(d -> d == Direction.OUT).orElse(true);
        if (in) {
            sql.append("select 'IN' direction, id, received_at at, channel type, channel kind, sender partner, "
                    + "outcome status, request_id, octet_length(body) bytes, cast(null as int) http_status, "
                    + "cast(null as varchar(20)) retour from inbound_message where 1 = 1");
            filter.partner().ifPresent(p -> {
                sql.append(" and lower(sender) like ?");
                args.add("%" + likeEscaped(p.toLowerCase(Locale.ROOT)) + "%");
            });
            conditions(sql, args, filter, "outcome", "channel", "received_at");
        }
        if (in && out) {
            sql.append(" union all ");
        }
        if (out) {
            sql.append("select 'OUT' direction, id, created_at at, rendering type, kind, partner, state status, "
                    + "request_id, octet_length(body) bytes, last_status http_status, retour_status retour "
                    + "from outbound_message where 1 = 1");
            filter.partner().ifPresent(p -> {
                sql.append(" and partner = ?");
                args.add(p);
            });
            conditions(sql, args, filter, "state", "rendering", "created_at");
        }
        sql.append(") t order by at desc, id desc limit ? offset ?");
        args.add(pageSize + 1);
        args.add((long) pageNumber * pageSize);
        List<Entry> rows = jdbc.query(sql.toString(), ENTRY, args.toArray());
        boolean more = rows.size() > pageSize;
        return new Page(more ? List.copyOf(rows.subList(0, pageSize)) : rows, pageNumber, pageSize, more);
    }

    /** Failed messages other than plan renderings, newest first. */
    public List<Entry> failedMessages(int limit) {
        return jdbc.query(
                "select 'OUT' direction, id, created_at at, rendering type, kind, partner, state status, request_id, "
                        + "octet_length(body) bytes, last_status http_status, retour_status retour from outbound_message "
                        + "where state = 'FAILED' and kind <> 'plan' order by created_at desc, id desc limit ?",
                ENTRY,
                Math.min(Math.max(limit, 1), MAX_PAGE_SIZE));
    }

    /** The distinct message types seen, for a filter's choices. */
    public List<String> types() {
        return jdbc.queryForList(
                "select distinct type from (select channel type from inbound_message union "
                        + "select rendering type from outbound_message) t order by type",
                String.class);
    }

    private static void conditions(
            StringBuilder sql, List<Object> args, Filter filter, String status, String type, String at) {
        filter.status().ifPresent(s -> {
            sql.append(" and upper(").append(status).append(") = ?");
            args.add(s.toUpperCase(Locale.ROOT));
        });
        filter.type().ifPresent(t -> {
            sql.append(" and upper(").append(type).append(") = ?");
            args.add(t.toUpperCase(Locale.ROOT));
        });
        filter.from().ifPresent(f -> {
            sql.append(" and ").append(at).append(" >= ?");
            args.add(Timestamp.from(f));
        });
        filter.until().ifPresent(u -> {
            sql.append(" and ").append(at).append(" < ?");
            args.add(Timestamp.from(u));
        });
        filter.requestId().ifPresent(r -> {
            sql.append(" and request_id = ?");
            args.add(r);
        });
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
