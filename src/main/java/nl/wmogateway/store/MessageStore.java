package nl.wmogateway.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Durable state: every inbound message as received, every request with its status, every
 * outbound rendering. Inbound messages are written before the sender gets an answer.
 */
@Repository
public class MessageStore {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final DeliveryJobs jobs;
    private final TransactionTemplate transactions;
    private final Sealer sealer;
    private final RowMapper<InboundMessage> inboundRow;
    private final RowMapper<StoredRequest> requestRow;
    private final RowMapper<OutboundMessage> outboundRow;

    public MessageStore(
            JdbcTemplate jdbc,
            Clock clock,
            DeliveryJobs jobs,
            PlatformTransactionManager transactionManager,
            Sealer sealer) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.jobs = jobs;
        this.transactions = new TransactionTemplate(transactionManager);
        this.sealer = sealer;
        this.inboundRow = inboundMapper(sealer);
        this.requestRow = requestMapper(sealer);
        this.outboundRow = outboundMapper(sealer);
    }

    /** Where a sealed value lives: its table and column, and the row's id (docs/privacy.md). */
    static String place(String tableAndColumn, String id) {
        return tableAndColumn + ":" + id;
    }

    /** The pseudonym under which a client's data is found (never the BSN itself). */
    public String clientRef(String bsn) {
        return sealer.pseudonym(bsn);
    }

    // --- inbound -------------------------------------------------------------------------------

    public String saveInbound(String channel, String sender, String contentType, byte[] body) {
        String id = UUID.randomUUID().toString();
        jdbc.update(
                "insert into inbound_message (id, received_at, channel, sender, content_type, body, body_sha256, outcome) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                ts(clock.instant()),
                channel,
                sender,
                contentType == null ? "" : contentType,
                sealer.seal(body, place("inbound_message.body", id)),
                sha256(body),
                "RECEIVED");
        return id;
    }

    public void inboundOutcome(String inboundId, String outcome, Optional<String> detail, Optional<String> requestId) {
        jdbc.update(
                "update inbound_message set outcome = ?, outcome_detail = ?, request_id = ? where id = ?",
                outcome,
                detail.map(d -> sealer.sealText(
                                withoutClientData(d), place("inbound_message.outcome_detail", inboundId)))
                        .orElse(null),
                requestId.orElse(null),
                inboundId);
    }

    /** A hash (32 or more hex digits, kept as it is) or nine digits standing alone (a BSN). */
    private static final java.util.regex.Pattern NINE_DIGITS =
            java.util.regex.Pattern.compile("[0-9a-fA-F]{32,}|(?<!\\d)\\d{9}(?!\\d)");

    private static final java.util.regex.Pattern POSTCODE =
            java.util.regex.Pattern.compile("(?<![\\dA-Za-z])\\d{4} ?[A-Z]{2}(?![A-Za-z])");

    /**
     * A finding as kept: a validator message may quote the value it found wrong, so a BSN (nine
     * digits) or a postcode in it is replaced by a placeholder. A hash quoted in it (a body's
     * SHA-256) stays whole, even where nine of its hex digits happen to be decimal. The sender got
     * the whole finding.
     */
    public static String withoutClientData(String detail) {
        String withoutBsn =
                NINE_DIGITS.matcher(detail).replaceAll(m -> m.group().length() == 9 ? "[bsn]" : m.group());
        return POSTCODE.matcher(withoutBsn).replaceAll("[postcode]");
    }

    /** Records whom an inbound message is about (by pseudonym), so that erasing a client finds it. */
    public void inboundClient(String inboundId, String bsn) {
        jdbc.update("update inbound_message set client_ref = ? where id = ?", sealer.pseudonym(bsn), inboundId);
    }

    /** The pseudonym of the client an inbound message is about, once the gateway knew it. */
    public Optional<String> inboundClientRef(String inboundId) {
        return jdbc
                .queryForList("select client_ref from inbound_message where id = ?", String.class, inboundId)
                .stream()
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    public Optional<InboundMessage> inbound(String id) {
        return jdbc.query("select * from inbound_message where id = ?", inboundRow, id).stream()
                .findFirst();
    }

    public List<InboundMessage> recentInbound(int limit) {
        return jdbc.query("select * from inbound_message order by received_at desc limit ?", inboundRow, limit);
    }

    // --- requests ------------------------------------------------------------------------------

    /**
     * Stores a new request. Returns false when the same sender already submitted a Bundle with
     * this identifier (a concurrent duplicate); the caller then answers with the existing one.
     */
    public boolean insertRequest(StoredRequest r) {
        try {
            jdbc.update(
                    "insert into wmo_request (id, inbound_id, sender_agb, bundle_system, bundle_value, bundle_hash, "
                            + "gemeentecode, client_bsn, client_ref, status, status_reason, delivery_attempts, received_at, "
                            + "updated_at, plan_json) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    r.id(),
                    r.inboundId(),
                    r.senderAgb(),
                    r.bundleSystem(),
                    r.bundleValue(),
                    r.bundleHash(),
                    r.gemeentecode(),
                    sealer.sealText(r.clientBsn(), place("wmo_request.client_bsn", r.id())),
                    sealer.pseudonym(r.clientBsn()),
                    r.status().name(),
                    r.statusReason()
                            .map(x -> sealer.sealText(x, place("wmo_request.status_reason", r.id())))
                            .orElse(null),
                    r.deliveryAttempts(),
                    ts(r.receivedAt()),
                    ts(r.updatedAt()),
                    sealer.sealText(r.planJson(), place("wmo_request.plan_json", r.id())));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** Records which Consent a request rests on, so that a later withdrawal can find it. */
    public void consentOf(String requestId, String consentId) {
        jdbc.update("update wmo_request set consent_id = ? where id = ?", consentId, requestId);
    }

    public List<StoredRequest> requestsByConsent(String senderAgb, java.util.Collection<String> consentIds) {
        List<StoredRequest> found = new java.util.ArrayList<>();
        for (String consentId : consentIds) {
            found.addAll(jdbc.query(
                    "select * from wmo_request where sender_agb = ? and consent_id = ? order by received_at",
                    requestRow,
                    senderAgb,
                    consentId));
        }
        return found;
    }

    /**
     * Remembers that a Consent was withdrawn; returns false when it was already known to be. A
     * repeat is left out by the statement itself rather than by catching the duplicate key: this
     * runs inside the withdrawal's transaction, and on PostgreSQL a failed statement aborts the
     * whole transaction (the concurrent case still ends in the duplicate key, and a retry).
     */
    public boolean consentWithdrawn(String senderAgb, String consentId, Optional<String> inboundId) {
        return jdbc.update(
                        "insert into consent_withdrawal (sender_agb, consent_id, withdrawn_at, inbound_id) "
                                + "select cast(? as varchar(8)), cast(? as varchar(200)), cast(? as timestamp with time zone), "
                                + "cast(? as varchar(40)) where not exists "
                                + "(select 1 from consent_withdrawal where sender_agb = ? and consent_id = ?)",
                        senderAgb,
                        consentId,
                        ts(clock.instant()),
                        inboundId.orElse(null),
                        senderAgb,
                        consentId)
                == 1;
    }

    public Optional<Instant> consentWithdrawnAt(String senderAgb, String consentId) {
        return jdbc
                .query(
                        "select withdrawn_at from consent_withdrawal where sender_agb = ? and consent_id = ?",
                        (rs, n) -> rs.getTimestamp(1).toInstant(),
                        senderAgb,
                        consentId)
                .stream()
                .findFirst();
    }

    public Optional<StoredRequest> request(String id) {
        return jdbc.query("select * from wmo_request where id = ?", requestRow, id).stream()
                .findFirst();
    }

    public Optional<StoredRequest> requestByBundle(String senderAgb, String system, String value) {
        return jdbc
                .query(
                        "select * from wmo_request where sender_agb = ? and bundle_system = ? and bundle_value = ?",
                        requestRow,
                        senderAgb,
                        system,
                        value)
                .stream()
                .findFirst();
    }

    public List<StoredRequest> requests(Optional<RequestStatus> status, int limit) {
        return status.map(s -> jdbc.query(
                        "select * from wmo_request where status = ? order by received_at desc limit ?",
                        requestRow,
                        s.name(),
                        limit))
                .orElseGet(() ->
                        jdbc.query("select * from wmo_request order by received_at desc limit ?", requestRow, limit));
    }

    public List<StoredRequest> requestsForClient(String bsn, String senderAgb) {
        return jdbc.query(
                "select * from wmo_request where client_ref = ? and sender_agb = ? order by received_at",
                requestRow,
                sealer.pseudonym(bsn),
                senderAgb);
    }

    /**
     * Moves a request to a new status, unless it already reached a final one (a late retry must
     * not overwrite an answer or a withdrawal); an answered request can be answered again (a changed
     * beschikking). Returns whether the status changed.
     */
    public boolean transition(String id, RequestStatus status, Optional<String> reason) {
        Instant now = clock.instant();
        int n = jdbc.update(
                "update wmo_request set status = ?, status_reason = ?, updated_at = ?, "
                        + "delivered_at = case when ? then ? else delivered_at end "
                        + "where id = ? and (status not in ('ANSWERED', 'REJECTED', 'WITHDRAWN') "
                        + "or (status = 'ANSWERED' and ? = 'ANSWERED'))",
                status.name(),
                reason.map(x -> sealer.sealText(x, place("wmo_request.status_reason", id)))
                        .orElse(null),
                ts(now),
                status == RequestStatus.DELIVERED,
                ts(now),
                id,
                status.name());
        return n == 1;
    }

    /**
     * Resets a request for another round of delivery on an operator's request: status back to
     * received, attempts to zero, renderings not yet accepted are made again (so a fixed partner
     * configuration takes effect).
     */
    public void replay(String id, String reason) {
        jdbc.update(
                "update wmo_request set status = 'RECEIVED', status_reason = ?, delivery_attempts = 0, updated_at = ? where id = ?",
                sealer.sealText(reason, place("wmo_request.status_reason", id)),
                ts(clock.instant()),
                id);
        jdbc.update(
                "update outbound_message set superseded = true where request_id = ? and kind = 'plan' and delivered_at is null",
                id);
    }

    public void countAttempt(String id) {
        jdbc.update(
                "update wmo_request set delivery_attempts = delivery_attempts + 1, updated_at = ? where id = ?",
                ts(clock.instant()),
                id);
    }

    // --- outbound ------------------------------------------------------------------------------

    public String saveOutbound(String requestId, String partner, String rendering, String contentType, byte[] body) {
        String id = UUID.randomUUID().toString();
        jdbc.update(
                "insert into outbound_message (id, request_id, partner, rendering, content_type, body, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?)",
                id,
                requestId,
                partner,
                rendering,
                contentType,
                sealer.seal(body, place("outbound_message.body", id)),
                ts(clock.instant()));
        return id;
    }

    /**
     * Records a partner's answer to a message: its status and a summary (length and hash of the
     * body), not the body, which may echo client data.
     */
    public void outboundResult(String id, int httpStatus, String response, boolean delivered) {
        jdbc.update(
                "update outbound_message set last_status = ?, last_response = ?, attempts = attempts + 1, "
                        + "state = case when ? then 'DELIVERED' else state end, "
                        + "delivered_at = case when ? then ? else delivered_at end where id = ?",
                httpStatus,
                answerSummary(httpStatus, response),
                delivered,
                delivered,
                ts(clock.instant()),
                id);
    }

    /**
     * Stores a message for a partner other than the plan renderings: an iWmo message for a care
     * organisation, a retour relayed to a gemeente, a Task pushed to an EHR. A message with a target
     * gets its delivery job in the same transaction (the outbox): once this committed, it is delivered.
     */
    public String saveMessage(
            String requestId,
            String partner,
            String kind,
            String rendering,
            String contentType,
            byte[] body,
            Optional<String> targetUrl,
            String httpMethod,
            Optional<String> iwmoIdentificatie,
            Optional<java.time.LocalDate> retourDue) {
        String id = UUID.randomUUID().toString();
        transactions.executeWithoutResult(tx -> {
            insertMessage(
                    id,
                    requestId,
                    partner,
                    kind,
                    rendering,
                    contentType,
                    body,
                    targetUrl,
                    httpMethod,
                    iwmoIdentificatie,
                    retourDue);
            if (targetUrl.isPresent()) {
                jobs.create(id, DeliveryJobs.Kind.MESSAGE, partner);
            }
        });
        return id;
    }

    private void insertMessage(
            String id,
            String requestId,
            String partner,
            String kind,
            String rendering,
            String contentType,
            byte[] body,
            Optional<String> targetUrl,
            String httpMethod,
            Optional<String> iwmoIdentificatie,
            Optional<java.time.LocalDate> retourDue) {
        jdbc.update(
                "insert into outbound_message (id, request_id, partner, rendering, content_type, body, created_at, kind, "
                        + "target_url, http_method, iwmo_identificatie, retour_due, retour_status) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                requestId,
                partner,
                rendering,
                contentType,
                sealer.seal(body, place("outbound_message.body", id)),
                ts(clock.instant()),
                kind,
                targetUrl.orElse(null),
                httpMethod,
                iwmoIdentificatie.orElse(null),
                retourDue.map(java.sql.Date::valueOf).orElse(null),
                retourDue.isPresent() ? "AWAITED" : null);
    }

    public Optional<OutboundMessage> message(String id) {
        return jdbc.query("select * from outbound_message where id = ?", outboundRow, id).stream()
                .findFirst();
    }

    public void messageState(String id, String state, Optional<String> reason) {
        jdbc.update(
                "update outbound_message set state = ?, last_response = coalesce(?, last_response) where id = ?",
                state,
                reason.map(MessageStore::clip).orElse(null),
                id);
    }

    /** Messages of one kind for one partner, newest first; {@code onlyNew} leaves out those already fetched or delivered. */
    public List<OutboundMessage> messagesFor(String partner, String kind, boolean onlyNew, int limit) {
        return jdbc.query(
                "select * from outbound_message where partner = ? and kind = ? "
                        + (onlyNew ? "and fetched_at is null and delivered_at is null " : "")
                        + "order by created_at desc limit ?",
                outboundRow,
                partner,
                kind,
                limit);
    }

    public void markFetched(String id) {
        jdbc.update(
                "update outbound_message set fetched_at = coalesce(fetched_at, ?), "
                        + "state = case when state = 'DELIVERED' then state else 'FETCHED' end where id = ?",
                ts(clock.instant()),
                id);
    }

    /** The iWmo message a retour answers: same receiver (partner) and the original BerichtIdentificatie. */
    public Optional<OutboundMessage> messageByIwmoIdentificatie(String partner, String identificatie) {
        return jdbc
                .query(
                        "select * from outbound_message where partner = ? and iwmo_identificatie = ? and kind = 'iwmo'",
                        outboundRow,
                        partner,
                        identificatie)
                .stream()
                .findFirst();
    }

    /**
     * Every iWmo message with this BerichtIdentificatie sent to {@code partner}: the identificatie is
     * unique per sender and berichtsoort (TR056), so two gemeenten may use the same one.
     */
    public List<OutboundMessage> messagesByIwmoIdentificatie(String partner, String identificatie) {
        return jdbc.query(
                "select * from outbound_message where partner = ? and iwmo_identificatie = ? and kind = 'iwmo' "
                        + "order by created_at",
                outboundRow,
                partner,
                identificatie);
    }

    /**
     * The plan renderings of one type sent to a gemeente whose request id begins with {@code prefix}
     * (a WMO315's Identificatie is its request id cut to 12 characters), superseded ones included.
     */
    public List<OutboundMessage> renderingsByRequestPrefix(String gemeentecode, String rendering, String prefix) {
        return jdbc.query(
                "select * from outbound_message where partner = ? and kind = 'plan' and rendering = ? "
                        + "and substring(request_id, 1, 12) = ? order by created_at",
                outboundRow,
                gemeentecode,
                rendering,
                prefix);
    }

    public void retour(String id, boolean accepted, String codes) {
        jdbc.update(
                "update outbound_message set retour_status = ?, retour_codes = ?, retour_at = ? where id = ?",
                accepted ? "ACCEPTED" : "REJECTED",
                clip(codes),
                ts(clock.instant()),
                id);
    }

    /** iWmo messages whose retour is due before the given day and has not come. */
    public List<OutboundMessage> retoursOverdue(java.time.LocalDate today) {
        return jdbc.query(
                "select * from outbound_message where retour_status = 'AWAITED' and retour_due < ? order by retour_due",
                outboundRow,
                java.sql.Date.valueOf(today));
    }

    /** Requests waiting for the gemeente's answer (delivered, not answered). */
    /** Requests the gemeente is investigating (WMO319 VerzoekAntwoord 2), oldest first. */
    public List<StoredRequest> inOnderzoek() {
        return jdbc.query("select * from wmo_request where status = 'IN_ONDERZOEK' order by received_at", requestRow);
    }

    public List<StoredRequest> awaitingAnswer() {
        return jdbc.query("select * from wmo_request where status = 'DELIVERED' order by delivered_at", requestRow);
    }

    /** Every rendering made for a request, including those a replay superseded. */
    public List<OutboundMessage> outbound(String requestId) {
        return jdbc.query(
                "select * from outbound_message where request_id = ? order by created_at", outboundRow, requestId);
    }

    /** The renderings the next delivery attempt sends (or already delivered). */
    public List<OutboundMessage> currentOutbound(String requestId) {
        return jdbc.query(
                "select * from outbound_message where request_id = ? and kind = 'plan' and superseded = false "
                        + "order by created_at",
                outboundRow,
                requestId);
    }

    // --- mapping -------------------------------------------------------------------------------

    private static String clip(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** The summary kept of a partner's answer: status, length and a hash to compare with the partner's log. */
    public static String answerSummary(int httpStatus, String body) {
        if (body == null || body.isEmpty()) {
            return "HTTP " + httpStatus + ", empty body";
        }
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return "HTTP " + httpStatus + ", " + bytes.length + " bytes, sha256 " + sha256(bytes);
    }

    /** The SHA-256 of the bytes in lower-case hex: a body's hash, an audit record's link. */
    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RowMapper<InboundMessage> inboundMapper(Sealer sealer) {
        return (rs, n) -> {
            String id = rs.getString("id");
            return new InboundMessage(
                    id,
                    instant(rs, "received_at"),
                    rs.getString("channel"),
                    rs.getString("sender"),
                    rs.getString("content_type"),
                    sealer.open(rs.getBytes("body"), place("inbound_message.body", id)),
                    rs.getString("outcome"),
                    Optional.ofNullable(sealer.openText(
                            rs.getString("outcome_detail"), place("inbound_message.outcome_detail", id))),
                    Optional.ofNullable(rs.getString("request_id")));
        };
    }

    private static RowMapper<StoredRequest> requestMapper(Sealer sealer) {
        return (rs, n) -> {
            String id = rs.getString("id");
            return new StoredRequest(
                    id,
                    rs.getString("inbound_id"),
                    rs.getString("sender_agb"),
                    rs.getString("bundle_system"),
                    rs.getString("bundle_value"),
                    rs.getString("bundle_hash"),
                    rs.getString("gemeentecode"),
                    sealer.openText(rs.getString("client_bsn"), place("wmo_request.client_bsn", id)),
                    RequestStatus.valueOf(rs.getString("status")),
                    Optional.ofNullable(
                            sealer.openText(rs.getString("status_reason"), place("wmo_request.status_reason", id))),
                    rs.getInt("delivery_attempts"),
                    instant(rs, "received_at"),
                    instant(rs, "updated_at"),
                    Optional.ofNullable(instant(rs, "delivered_at")),
                    sealer.openText(rs.getString("plan_json"), place("wmo_request.plan_json", id)));
        };
    }

    private static RowMapper<OutboundMessage> outboundMapper(Sealer sealer) {
        return (rs, n) -> outbound(rs, sealer);
    }

    private static OutboundMessage outbound(ResultSet rs, Sealer sealer) throws SQLException {
        String id = rs.getString("id");
        return new OutboundMessage(
                id,
                rs.getString("request_id"),
                rs.getString("partner"),
                rs.getString("rendering"),
                rs.getString("content_type"),
                sealer.open(rs.getBytes("body"), place("outbound_message.body", id)),
                instant(rs, "created_at"),
                Optional.ofNullable(instant(rs, "delivered_at")),
                Optional.ofNullable((Integer) rs.getObject("last_status")),
                Optional.ofNullable(rs.getString("last_response")),
                rs.getString("kind"),
                Optional.ofNullable(rs.getString("target_url")),
                rs.getString("http_method"),
                Optional.ofNullable(rs.getString("iwmo_identificatie")),
                rs.getInt("attempts"),
                rs.getString("state"),
                Optional.ofNullable(instant(rs, "fetched_at")),
                Optional.ofNullable(rs.getDate("retour_due")).map(java.sql.Date::toLocalDate),
                Optional.ofNullable(rs.getString("retour_status")),
                Optional.ofNullable(rs.getString("retour_codes")),
                Optional.ofNullable(instant(rs, "retour_at")));
    }
}
