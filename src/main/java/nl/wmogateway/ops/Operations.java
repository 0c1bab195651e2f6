package nl.wmogateway.ops;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import nl.wmogateway.delivery.DeliveryQueue;
import nl.wmogateway.ops.OperatorApi.AttemptSummary;
import nl.wmogateway.ops.OperatorApi.AuditSummary;
import nl.wmogateway.ops.OperatorApi.DeliveryDetail;
import nl.wmogateway.ops.OperatorApi.DeliverySummary;
import nl.wmogateway.ops.OperatorApi.InboundSummary;
import nl.wmogateway.ops.OperatorApi.OutboundSummary;
import nl.wmogateway.ops.OperatorApi.PartnerQueue;
import nl.wmogateway.ops.OperatorApi.RequestDetail;
import nl.wmogateway.ops.OperatorApi.RequestSummary;
import nl.wmogateway.ops.OperatorApi.RetourSummary;
import nl.wmogateway.ops.OperatorApi.TermijnenOverzicht;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.DeliveryJobs;
import nl.wmogateway.store.InboundMessage;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.OutboundMessage;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.store.RetourStore;
import nl.wmogateway.store.StoredRequest;
import nl.wmogateway.store.TrafficLog;
import nl.wmogateway.trust.CertificateExpiry;
import nl.wmogateway.trust.CrlStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.server.ResponseStatusException;

/**
 * What an operator can see and do, for the {@code /admin} API and the console alike: both call
 * these methods, so the page and the API cannot disagree. Every action is audited with the
 * operator's name and reason; every view of something about a client is logged (NEN 7513).
 */
@Component
class Operations {

    /** How far ahead a deadline counts as at risk: it falls today or on the next werkdag. */
    static final int RISICO_WERKDAGEN = 1;

    /** Requests of one partner (a gemeente or a care organisation) by status, today and this week. */
    public record AanvragenPerPartner(String partner, Map<String, Long> vandaag, Map<String, Long> dezeWeek) {
        public long totaalVandaag() {
            return vandaag.values().stream().mapToLong(Long::longValue).sum();
        }

        public long totaalDezeWeek() {
            return dezeWeek.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A certificate the gateway relies on, with the days it has left. */
    public record Certificaat(String naam, String rol, String subject, Instant geldigTot, long dagenOver) {}

    /** A CRL source with the days until the CRL it holds must be replaced. */
    public record Crl(
            String bron,
            Optional<String> uitgever,
            Optional<Instant> volgendeUpdate,
            Optional<Long> dagenOver,
            Optional<String> probleem) {}

    /**
     * The overview at a glance.
     *
     * @param perGemeente        requests per gemeente, today and this week (since Monday)
     * @param perZorgorganisatie requests per care organisation (AGB), today and this week
     * @param wachtrijen         deliveries waiting and parked per partner
     * @param falend             deliveries being retried after a failed attempt
     * @param geparkeerd         deliveries parked until an operator acts
     * @param overschreden       deadlines missed
     * @param inGevaar           deadlines that fall today or on the next werkdag
     * @param certificaten       the gateway's certificates and partners' certificates, fewest days first
     * @param crls               the CRL sources
     */
    public record Overzicht(
            Instant peilmoment,
            List<AanvragenPerPartner> perGemeente,
            List<AanvragenPerPartner> perZorgorganisatie,
            List<PartnerQueue> wachtrijen,
            List<DeliverySummary> falend,
            List<DeliverySummary> geparkeerd,
            TermijnenOverzicht overschreden,
            TermijnenOverzicht inGevaar,
            List<Certificaat> certificaten,
            List<Crl> crls) {}

    /**
     * One step of a request's journey.
     *
     * @param at        when
     * @param stap      which step (ontvangen, gecontroleerd, afgeleverd, beschikking, WMO301, retour, ...)
     * @param wat       what happened, without client data
     * @param uitkomst  the outcome (a status, an HTTP status, retourcodes)
     * @param fout      whether this step went wrong
     */
    public record Stap(Instant at, String stap, String wat, String uitkomst, boolean fout) {}

    /** A request's content, shown to an operator after an explicit, audited request. */
    public record Inhoud(String requestId, String soort, String contentType, String tekst) {}

    private final MessageStore store;
    private final AuditLog audit;
    private final DeliveryQueue queue;
    private final Termijnen termijnen;
    private final DeliveryJobs jobs;
    private final TransactionTemplate transactions;
    private final RetourStore retouren;
    private final Operators operators;
    private final TrafficLog traffic;
    private final JdbcTemplate jdbc;
    private final ObjectProvider<CertificateExpiry> expiry;
    private final ObjectProvider<CrlStore> crls;
    private final Clock clock;

    @SuppressWarnings("TooManyParameters")
    Operations(
            MessageStore store,
            AuditLog audit,
            DeliveryQueue queue,
            Termijnen termijnen,
            DeliveryJobs jobs,
            PlatformTransactionManager transactionManager,
            RetourStore retouren,
            Operators operators,
            TrafficLog traffic,
            JdbcTemplate jdbc,
            ObjectProvider<CertificateExpiry> expiry,
            ObjectProvider<CrlStore> crls,
            Clock clock) {
        this.store = store;
        this.audit = audit;
        this.queue = queue;
        this.termijnen = termijnen;
        this.jobs = jobs;
        this.transactions = new TransactionTemplate(transactionManager);
        this.retouren = retouren;
        this.operators = operators;
        this.traffic = traffic;
        this.jdbc = jdbc;
        this.expiry = expiry;
        this.crls = crls;
        this.clock = clock;
    }

    // --- what there is to see ---------------------------------------------------------------

    List<RequestSummary> requests(Partners.Operator operator, Optional<RequestStatus> status, int limit) {
        List<RequestSummary> shown = store.requests(status, clamp(limit)).stream()
                .map(RequestSummary::of)
                .toList();
        operators.viewed(operator, "request list (" + shown.size() + " requests)", Optional.empty(), Optional.empty());
        return shown;
    }

    RequestDetail request(Partners.Operator operator, String id) {
        StoredRequest r = found(id);
        operators.viewed(operator, "request detail", Optional.of(id), Optional.of(r.clientBsn()));
        List<OutboundSummary> outbound =
                store.outbound(id).stream().map(OutboundSummary::of).toList();
        List<AuditSummary> events =
                audit.forRequest(id).stream().map(AuditSummary::of).toList();
        List<AttemptSummary> attempts =
                jobs.attempts(id).stream().map(AttemptSummary::of).toList();
        List<RetourSummary> retours =
                retouren.forRequest(id).stream().map(RetourSummary::of).toList();
        return new RequestDetail(
                RequestSummary.of(r),
                r.inboundId(),
                outbound,
                events,
                jobs.job(id).map(DeliverySummary::of),
                retours,
                journey(r, outbound, events, attempts, retours));
    }

    /** The plan as the gateway keeps it; audited as a view of the client's data. */
    Inhoud content(Partners.Operator operator, String id, String reason) {
        requireReason(Optional.of(reason));
        StoredRequest r = found(id);
        audit.record(
                "operator:" + operator.naam(),
                "VIEW",
                Optional.of(id),
                Optional.of(r.clientBsn()),
                "CONTENT_SHOWN",
                Optional.of("ondersteuningsplan; reden: " + reason(Optional.of(reason))));
        return new Inhoud(id, "ondersteuningsplan", "application/json", pretty(r.planJson()));
    }

    /** One message's body as sent or received; audited as a view of the client's data. */
    Inhoud messageContent(Partners.Operator operator, String messageId, String reason) {
        requireReason(Optional.of(reason));
        Optional<OutboundMessage> out = store.message(messageId);
        if (out.isPresent()) {
            OutboundMessage m = out.get();
            Optional<String> bsn = store.request(m.requestId()).map(StoredRequest::clientBsn);
            audit.record(
                    "operator:" + operator.naam(),
                    "VIEW",
                    Optional.of(m.requestId()),
                    bsn,
                    "CONTENT_SHOWN",
                    Optional.of(m.rendering() + " " + messageId + "; reden: " + reason(Optional.of(reason))));
            return new Inhoud(m.requestId(), m.rendering(), m.contentType(), text(m.body()));
        }
        InboundMessage in = store.inbound(messageId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no message " + messageId));
        // a message refused before it became a request still names its client by pseudonym
        audit.recordForPseudonym(
                "operator:" + operator.naam(),
                "VIEW",
                in.requestId(),
                store.inboundClientRef(messageId),
                "CONTENT_SHOWN",
                Optional.of("inbound " + in.channel() + " " + messageId + "; reden: " + reason(Optional.of(reason))));
        return new Inhoud(in.requestId().orElse(""), in.channel(), in.contentType(), text(in.body()));
    }

    List<DeliverySummary> deliveries(DeliveryJobs.State state, Optional<String> partner, int limit) {
        return jobs.inState(state, partner, clamp(limit)).stream()
                .map(DeliverySummary::of)
                .toList();
    }

    List<PartnerQueue> partnerQueues() {
        return jobs.countsByPartner().entrySet().stream()
                .map(e -> new PartnerQueue(
                        e.getKey(),
                        e.getValue().getOrDefault(DeliveryJobs.State.PENDING, 0L),
                        e.getValue().getOrDefault(DeliveryJobs.State.PARKED, 0L)))
                .toList();
    }

    DeliveryDetail delivery(String id) {
        DeliveryJobs.Job job = job(id);
        return new DeliveryDetail(
                DeliverySummary.of(job),
                jobs.attempts(id).stream().map(AttemptSummary::of).toList());
    }

    List<InboundSummary> inbound(Partners.Operator operator, int limit) {
        List<InboundSummary> shown = store.recentInbound(clamp(limit)).stream()
                .map(InboundSummary::of)
                .toList();
        operators.viewed(operator, "inbound list (" + shown.size() + " messages)", Optional.empty(), Optional.empty());
        return shown;
    }

    TrafficLog.Page traffic(Partners.Operator operator, TrafficLog.Filter filter, int page, int size) {
        TrafficLog.Page shown = traffic.page(filter, page, size);
        operators.viewed(
                operator,
                "traffic list (" + shown.entries().size() + " messages, page " + page + ")",
                filter.requestId(),
                Optional.empty());
        return shown;
    }

    List<String> messageTypes() {
        return traffic.types();
    }

    TermijnenOverzicht termijnen() {
        return new TermijnenOverzicht(
                termijnen.antwoordenTeLaat(), termijnen.retourenTeLaat(), termijnen.onderzoekTeLang());
    }

    Overzicht overzicht() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.now(clock);
        Instant startOfDay = today.atStartOfDay(clock.getZone()).toInstant();
        Instant startOfWeek = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                .atStartOfDay(clock.getZone())
                .toInstant();
        return new Overzicht(
                now,
                perPartner("gemeentecode", startOfDay, startOfWeek),
                perPartner("sender_agb", startOfDay, startOfWeek),
                partnerQueues(),
                retrying(1000),
                deliveries(DeliveryJobs.State.PARKED, Optional.empty(), 1000),
                termijnen(),
                new TermijnenOverzicht(
                        termijnen.antwoordenInGevaar(RISICO_WERKDAGEN),
                        termijnen.retourenInGevaar(RISICO_WERKDAGEN),
                        termijnen.onderzoekInGevaar(RISICO_WERKDAGEN)),
                certificaten(now),
                crls(now));
    }

    // --- what an operator does ----------------------------------------------------------------

    /**
     * Puts a request back on the delivery queue: for a request that failed or was refused by the
     * gemeente (after the cause was fixed). Others are not replayed: a waiting or retrying request
     * is still on the queue, and a delivered, answered or withdrawn one is done.
     */
    RequestSummary replay(Partners.Operator operator, String id, Optional<String> reason) {
        requireReason(reason);
        StoredRequest r = found(id);
        if (r.status() != RequestStatus.FAILED && r.status() != RequestStatus.REJECTED) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "request " + id + " is " + lower(r.status().name())
                            + "; only failed or rejected requests are replayed");
        }
        transactions.executeWithoutResult(tx -> {
            store.replay(id, "replayed by operator " + operator.naam());
            audit.record(
                    "operator:" + operator.naam(),
                    "REPLAY",
                    Optional.of(id),
                    Optional.of(r.clientBsn()),
                    "QUEUED",
                    Optional.of("was " + lower(r.status().name()) + reasonSuffix(reason)));
            queue.replay(r);
        });
        return RequestSummary.of(found(id));
    }

    /** Sends a failed message again (not a plan rendering: those go with their request). */
    OutboundSummary replayMessage(Partners.Operator operator, String id, Optional<String> reason) {
        requireReason(reason);
        OutboundMessage m = store.message(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no message " + id));
        if ("plan".equals(m.kind())) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "plan renderings are replayed with their request: POST /admin/requests/" + m.requestId()
                            + "/replay");
        }
        if (!"FAILED".equals(m.state()) || m.targetUrl().isEmpty()) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "message " + id + " is " + lower(m.state()) + "; only failed messages with a target are replayed");
        }
        transactions.executeWithoutResult(tx -> {
            store.messageState(id, "PENDING", Optional.of("replayed by operator " + operator.naam()));
            audit.record(
                    "operator:" + operator.naam(),
                    "REPLAY_MESSAGE",
                    Optional.of(m.requestId()),
                    Optional.empty(),
                    "QUEUED",
                    Optional.of(m.kind() + " " + m.rendering() + " to " + m.partner() + reasonSuffix(reason)));
            queue.replay(m);
        });
        return OutboundSummary.of(store.message(id).orElseThrow());
    }

    /** Releases a parked delivery: it starts afresh. The same as replaying what it belongs to. */
    DeliverySummary release(Partners.Operator operator, String id, Optional<String> reason) {
        requireReason(reason);
        DeliveryJobs.Job job = job(id);
        if (job.state() != DeliveryJobs.State.PARKED) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "delivery " + id + " is " + lower(job.state().name()) + "; only parked deliveries are released");
        }
        if (job.kind() == DeliveryJobs.Kind.PLAN) {
            replay(operator, id, reason);
        } else {
            replayMessage(operator, id, reason);
        }
        return DeliverySummary.of(job(id));
    }

    /**
     * Stops the retries of a delivery that keeps failing: it is parked (and its request or message
     * marked failed) until an operator releases or replays it. Not while an attempt is under way.
     */
    DeliverySummary cancelRetries(Partners.Operator operator, String id, Optional<String> reason) {
        requireReason(reason);
        DeliveryJobs.Job job = job(id);
        if (job.state() != DeliveryJobs.State.PENDING) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "delivery " + id + " is " + lower(job.state().name()) + "; only waiting deliveries are stopped");
        }
        String why = "retries stopped by operator " + operator.naam() + reasonSuffix(reason);
        boolean parked = Boolean.TRUE.equals(transactions.execute(tx -> {
            if (!jobs.park(id, Optional.empty(), why)) {
                return false;
            }
            Optional<String> bsn = Optional.empty();
            if (job.kind() == DeliveryJobs.Kind.PLAN) {
                store.transition(id, RequestStatus.FAILED, Optional.of(why));
                bsn = store.request(id).map(StoredRequest::clientBsn);
            } else {
                store.messageState(id, "FAILED", Optional.of(why));
            }
            audit.record(
                    "operator:" + operator.naam(),
                    "CANCEL_RETRIES",
                    job.kind() == DeliveryJobs.Kind.PLAN
                            ? Optional.of(id)
                            : store.message(id).map(OutboundMessage::requestId),
                    bsn,
                    "PARKED",
                    Optional.of(lower(job.kind().name()) + " to " + job.partner() + " after " + job.attempts()
                            + " attempts" + reasonSuffix(reason)));
            return true;
        }));
        if (!parked) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT, "an attempt for delivery " + id + " is under way; try again in a moment");
        }
        return DeliverySummary.of(job(id));
    }

    // --- helpers -----------------------------------------------------------------------------

    private List<AanvragenPerPartner> perPartner(String column, Instant startOfDay, Instant startOfWeek) {
        Map<String, Map<String, Long>> today = counts(column, startOfDay);
        Map<String, Map<String, Long>> week = counts(column, startOfWeek);
        return week.keySet().stream()
                .sorted()
                .map(p -> new AanvragenPerPartner(p, today.getOrDefault(p, Map.of()), week.getOrDefault(p, Map.of())))
                .toList();
    }

    private Map<String, Map<String, Long>> counts(String column, Instant since) {
        Map<String, Map<String, Long>> result = new TreeMap<>();
        // the column name is one of two constants above, never input
        jdbc.query(
                "select " + column + " p, status, count(*) n from wmo_request where received_at >= ? " + "group by "
                        + column + ", status",
                rs -> {
                    result.computeIfAbsent(rs.getString("p"), k -> new TreeMap<>())
                            .put(lower(rs.getString("status")), rs.getLong("n"));
                },
                java.sql.Timestamp.from(since));
        return result;
    }

    private List<Certificaat> certificaten(Instant now) {
        CertificateExpiry watcher = expiry.getIfAvailable();
        if (watcher == null) {
            return List.of();
        }
        return watcher.watched().stream()
                .map(w -> new Certificaat(
                        w.name(),
                        w.role().tag(),
                        w.subject(),
                        w.notAfter(),
                        Duration.between(now, w.notAfter()).toDays()))
                .sorted(Comparator.comparingLong(Certificaat::dagenOver))
                .toList();
    }

    private List<Crl> crls(Instant now) {
        CrlStore store = crls.getIfAvailable();
        if (store == null) {
            return List.of();
        }
        List<Crl> result = new ArrayList<>();
        for (CrlStore.SourceState s : store.sources()) {
            if (s.crls().isEmpty()) {
                result.add(new Crl(s.source(), Optional.empty(), Optional.empty(), Optional.empty(), s.problem()));
            }
            s.crls().forEach(c -> {
                Optional<Instant> next = Optional.ofNullable(c.getNextUpdate()).map(java.util.Date::toInstant);
                result.add(new Crl(
                        s.source(),
                        Optional.of(c.getIssuerX500Principal().getName()),
                        next,
                        next.map(n -> Duration.between(now, n).toDays()),
                        s.problem()));
            });
        }
        return result;
    }

    private static List<Stap> journey(
            StoredRequest r,
            List<OutboundSummary> outbound,
            List<AuditSummary> events,
            List<AttemptSummary> attempts,
            List<RetourSummary> retours) {
        List<Stap> steps = new ArrayList<>();
        steps.add(new Stap(r.receivedAt(), "ontvangen", "ondersteuningsplan van AGB " + r.senderAgb(), "", false));
        for (AuditSummary e : events) {
            if ("RETOUR".equals(e.action()) && !retours.isEmpty()) {
                continue; // each retour is on the journey with its codes per class, below
            }
            steps.add(new Stap(
                    e.at(),
                    isProblem(e.outcome()) && e.action().startsWith("DELIVER")
                            ? "aflevering mislukt"
                            : stepOf(e.action()),
                    e.actor() + ": " + e.action(),
                    e.outcome() + e.detail().map(d -> " — " + d).orElse(""),
                    isProblem(e.outcome())));
        }
        Map<String, String> renderings = new java.util.HashMap<>();
        outbound.forEach(m -> renderings.put(m.id(), m.rendering()));
        // one attempt hands each rendering over once; a replay starts counting at 1 again, with new renderings
        List<List<AttemptSummary>> grouped = new ArrayList<>();
        for (AttemptSummary a : attempts) {
            List<AttemptSummary> last = grouped.isEmpty() ? null : grouped.get(grouped.size() - 1);
            boolean sameAttempt = last != null
                    && last.get(0).attempt() == a.attempt()
                    && last.stream()
                            .noneMatch(b -> renderings
                                    .getOrDefault(b.messageId(), b.messageId())
                                    .equals(renderings.getOrDefault(a.messageId(), a.messageId())));
            if (sameAttempt) {
                last.add(a);
            } else {
                grouped.add(new ArrayList<>(List.of(a)));
            }
        }
        for (List<AttemptSummary> messages : grouped) {
            int number = messages.get(0).attempt();
            String outcome = messages.stream()
                    .map(a -> renderings.getOrDefault(a.messageId(), "bericht") + ": "
                            + a.httpStatus().map(st -> "HTTP " + st).orElse("geen antwoord")
                            + a.outcome().map(o -> " (" + o + ")").orElse(""))
                    .collect(Collectors.joining("; "));
            boolean failed = messages.stream()
                    .anyMatch(a -> a.httpStatus()
                            .map(st -> st >= 300)
                            .orElse(a.finishedAt().isPresent()));
            steps.add(new Stap(
                    messages.get(0).startedAt(),
                    "afleverpoging",
                    "poging " + number + " naar de gemeente door "
                            + messages.get(0).instance(),
                    outcome,
                    failed));
        }
        for (OutboundSummary m : outbound) {
            if ("plan".equals(m.kind())) {
                continue;
            }
            steps.add(new Stap(
                    m.createdAt(),
                    m.rendering(),
                    m.kind() + " naar " + m.partner(),
                    lower(m.state()) + m.lastStatus().map(s -> ", HTTP " + s).orElse(""),
                    "FAILED".equals(m.state())));
        }
        for (RetourSummary t : retours) {
            String codes = t.headerRetourcodes().stream()
                    .map(OperatorApi.Retourcode::code)
                    .collect(Collectors.joining(" "));
            String klasseCodes = t.klassen().stream()
                    .flatMap(k -> k.retourcodes().stream())
                    .map(OperatorApi.Retourcode::code)
                    .distinct()
                    .collect(Collectors.joining(" "));
            steps.add(new Stap(
                    t.ontvangen(),
                    "retour",
                    t.berichtsoort() + " van " + t.afzender() + " op " + t.bericht(),
                    (t.geaccepteerd() ? "geaccepteerd" : "afgekeurd") + " — retourcodes " + codes
                            + (klasseCodes.isEmpty() ? "" : " / " + klasseCodes),
                    !t.geaccepteerd()));
        }
        steps.sort(Comparator.comparing(Stap::at));
        return steps;
    }

    private static String stepOf(String action) {
        return switch (action) {
            case "SUBMIT" -> "gecontroleerd";
            case "DELIVER" -> "afgeleverd";
            case "DELIVER_IWMO" -> "iWmo-bericht afgeleverd";
            case "DELIVER_RETOUR" -> "retour doorgestuurd";
            case "BESCHIKKING", "BESCHIKKING_GEWIJZIGD" -> "beschikking";
            case "RETOUR" -> "retour";
            case "READ_TASK", "FETCH" -> "Task gelezen";
            case "REPLAY", "REPLAY_MESSAGE" -> "opnieuw aangeboden";
            case "CANCEL_RETRIES" -> "pogingen gestopt";
            case "CONSENT_WITHDRAWN" -> "toestemming ingetrokken";
            case "VIEW" -> "ingezien";
            default -> lower(action);
        };
    }

    private static boolean isProblem(String outcome) {
        String o = outcome.toUpperCase(Locale.ROOT);
        return o.contains("FAIL") || o.contains("REJECT") || o.contains("REFUS") || o.contains("PARK");
    }

    private StoredRequest found(String id) {
        return store.request(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no request " + id));
    }

    private DeliveryJobs.Job job(String id) {
        return jobs.job(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no delivery " + id));
    }

    /** Every action and every view of content needs a reason of at least three characters; it goes into the audit. */
    static void requireReason(Optional<String> reason) {
        if (reason.map(String::strip).orElse("").length() < 3) {
            throw new ResponseStatusException(
                    HttpStatus.BAD_REQUEST,
                    "a reason is required (reason=, at least three characters); it goes into the audit"
                            + " / geef een reden op (ten minste drie tekens)");
        }
    }

    /** Failed messages other than plan renderings (those are replayed with their request), newest first. */
    List<TrafficLog.Entry> failedMessages(Partners.Operator operator, int limit) {
        List<TrafficLog.Entry> shown = traffic.failedMessages(limit);
        operators.viewed(operator, "failed messages (" + shown.size() + ")", Optional.empty(), Optional.empty());
        return shown;
    }

    /** Deliveries waiting for their next attempt after a failed one. */
    List<DeliverySummary> retrying(int limit) {
        return deliveries(DeliveryJobs.State.PENDING, Optional.empty(), limit).stream()
                .filter(d -> d.attempts() > 0)
                .toList();
    }

    private static String reason(Optional<String> reason) {
        return reason.map(String::strip)
                .filter(r -> !r.isEmpty())
                .map(r -> r.length() > 500 ? r.substring(0, 500) : r)
                .map(MessageStore::withoutClientData)
                .orElse("(geen reden opgegeven)");
    }

    private static String reasonSuffix(Optional<String> reason) {
        return reason.map(String::strip).filter(r -> !r.isEmpty()).isPresent() ? "; reden: " + reason(reason) : "";
    }

    private static String text(byte[] body) {
        if (body.length == 0) {
            return "(de inhoud is volgens de bewaartermijn verwijderd)";
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String pretty(String json) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return json;
        }
    }

    private static int clamp(int limit) {
        return Math.min(Math.max(limit, 1), 1000);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
