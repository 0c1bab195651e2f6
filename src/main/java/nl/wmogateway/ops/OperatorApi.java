package nl.wmogateway.ops;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import nl.wmogateway.delivery.DeliveryQueue;
import nl.wmogateway.iwmo.IwmoCodes;
import nl.wmogateway.iwmo.IwmoRetour;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.DeliveryJobs;
import nl.wmogateway.store.InboundMessage;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.OutboundMessage;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.store.RetourStore;
import nl.wmogateway.store.StoredRequest;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The operator API at {@code /admin}: watch what came in and went out, see why something failed,
 * and replay it. Only for certificates listed under {@code operators} in the partner
 * configuration; every replay is audited. Lists carry no client data (no BSN, no names).
 */
@RestController
@RequestMapping("/admin")
class OperatorApi {

    /** A request as the operator sees it. */
    public record RequestSummary(
            String id,
            String status,
            Optional<String> statusReason,
            String gemeentecode,
            String senderAgb,
            Instant receivedAt,
            Instant updatedAt,
            Optional<Instant> deliveredAt,
            int deliveryAttempts) {
        static RequestSummary of(StoredRequest r) {
            return new RequestSummary(
                    r.id(),
                    r.status().name().toLowerCase(Locale.ROOT),
                    r.statusReason(),
                    r.gemeentecode(),
                    r.senderAgb(),
                    r.receivedAt(),
                    r.updatedAt(),
                    r.deliveredAt(),
                    r.deliveryAttempts());
        }
    }

    /** One rendering sent to a partner and the last answer. */
    public record OutboundSummary(
            String id,
            String kind,
            String partner,
            String rendering,
            String contentType,
            int bytes,
            String state,
            Instant createdAt,
            Optional<Instant> deliveredAt,
            Optional<Integer> lastStatus,
            Optional<String> lastResponse,
            Optional<String> iwmoIdentificatie,
            Optional<java.time.LocalDate> retourDue,
            Optional<String> retourStatus,
            Optional<String> retourCodes) {
        static OutboundSummary of(OutboundMessage m) {
            return new OutboundSummary(
                    m.id(),
                    m.kind(),
                    m.partner(),
                    m.rendering(),
                    m.contentType(),
                    m.body().length,
                    m.state(),
                    m.createdAt(),
                    m.deliveredAt(),
                    m.lastStatus(),
                    m.lastResponse(),
                    m.iwmoIdentificatie(),
                    m.retourDue(),
                    m.retourStatus(),
                    m.retourCodes());
        }
    }

    /** An audit event without the client's BSN. */
    public record AuditSummary(Instant at, String actor, String action, String outcome, Optional<String> detail) {
        static AuditSummary of(AuditLog.Event e) {
            return new AuditSummary(e.at(), e.actor(), e.action(), e.outcome(), e.detail());
        }
    }

    /** Everything about one request, with every retour received on its messages. */
    public record RequestDetail(
            RequestSummary request,
            String inboundId,
            List<OutboundSummary> outbound,
            List<AuditSummary> audit,
            Optional<DeliverySummary> delivery,
            List<RetourSummary> retouren) {}

    /** A retourcode with its meaning (WJ001). */
    public record Retourcode(String code, String omschrijving) {
        static List<Retourcode> of(List<String> codes) {
            return codes.stream()
                    .map(c -> new Retourcode(c, IwmoCodes.RETOURCODES.getOrDefault(c, "geen iWmo 3.2 retourcode")))
                    .toList();
        }
    }

    /**
     * One berichtklasse of a retour with its codes: a product (ToegewezenProduct, AangevraagdProduct,
     * Antwoord) by its ToewijzingNummer and ReferentieAanbieder, any other class by name only.
     */
    public record RetourKlasse(
            String klasse,
            Optional<Long> toewijzingNummer,
            Optional<String> referentieAanbieder,
            boolean geaccepteerd,
            List<Retourcode> retourcodes) {
        static RetourKlasse of(RetourStore.Klasse k) {
            return new RetourKlasse(
                    k.klasse(),
                    k.toewijzingNummer(),
                    k.referentieAanbieder(),
                    k.retourcodes().stream().allMatch(IwmoRetour::isAcceptatiecode),
                    Retourcode.of(k.retourcodes()));
        }
    }

    /** A retour received on one of the request's messages (WMO302, WMO316, WMO320). */
    public record RetourSummary(
            String id,
            String bericht,
            String berichtsoort,
            String afzender,
            String identificatieRetour,
            java.time.LocalDate dagtekeningRetour,
            Optional<String> xsltVersie,
            boolean geaccepteerd,
            Instant ontvangen,
            List<Retourcode> headerRetourcodes,
            List<RetourKlasse> klassen) {
        static RetourSummary of(RetourStore.StoredRetour r) {
            return new RetourSummary(
                    r.id(),
                    r.messageId(),
                    r.berichtsoort(),
                    r.afzender(),
                    r.identificatieRetour(),
                    r.dagtekeningRetour(),
                    r.xsltVersie(),
                    r.geaccepteerd(),
                    r.receivedAt(),
                    Retourcode.of(r.headerRetourcodes()),
                    r.klassen().stream().map(RetourKlasse::of).toList());
        }
    }

    /** A delivery job (the outbox): its state, attempts and the last problem; for a plan its id is the request id. */
    public record DeliverySummary(
            String id,
            String kind,
            String partner,
            String state,
            int attempts,
            Instant nextAttemptAt,
            Optional<String> leaseOwner,
            Optional<Instant> leaseUntil,
            Optional<String> lastError,
            Instant createdAt,
            Instant updatedAt) {
        static DeliverySummary of(DeliveryJobs.Job j) {
            return new DeliverySummary(
                    j.id(),
                    j.kind().name().toLowerCase(Locale.ROOT),
                    j.partner(),
                    j.state().name().toLowerCase(Locale.ROOT),
                    j.attempts(),
                    j.nextAttemptAt(),
                    j.leaseOwner(),
                    j.leaseUntil(),
                    j.lastError(),
                    j.createdAt(),
                    j.updatedAt());
        }
    }

    /** One attempt to hand one message to a partner. */
    public record AttemptSummary(
            int attempt,
            String messageId,
            String instance,
            Instant startedAt,
            Optional<Instant> finishedAt,
            Optional<Integer> httpStatus,
            Optional<String> outcome,
            Optional<String> detail) {
        static AttemptSummary of(DeliveryJobs.Attempt a) {
            return new AttemptSummary(
                    a.attempt(),
                    a.messageId(),
                    a.owner(),
                    a.startedAt(),
                    a.finishedAt(),
                    a.httpStatus(),
                    a.outcome(),
                    a.detail());
        }
    }

    /** A delivery job with every attempt made. */
    public record DeliveryDetail(DeliverySummary delivery, List<AttemptSummary> attempts) {}

    /** Per partner: deliveries waiting (pending, including retries) and parked. */
    public record PartnerQueue(String partner, long pending, long parked) {}

    /** Something a partner sent, without its body. */
    public record InboundSummary(
            String id,
            Instant receivedAt,
            String channel,
            String sender,
            String contentType,
            int bytes,
            String outcome,
            Optional<String> outcomeDetail,
            Optional<String> requestId) {
        static InboundSummary of(InboundMessage m) {
            return new InboundSummary(
                    m.id(),
                    m.receivedAt(),
                    m.channel(),
                    m.sender(),
                    m.contentType(),
                    m.body().length,
                    m.outcome(),
                    m.outcomeDetail(),
                    m.requestId());
        }
    }

    /** The iWmo deadlines that were missed. */
    public record TermijnenOverzicht(
            List<Termijnen.AntwoordTeLaat> antwoordenTeLaat,
            List<Termijnen.RetourTeLaat> retourenTeLaat,
            List<Termijnen.OnderzoekTeLang> onderzoekTeLang) {}

    private final MessageStore store;
    private final AuditLog audit;
    private final DeliveryQueue queue;
    private final Termijnen termijnen;
    private final Statistiek statistiek;
    private final DeliveryJobs jobs;
    private final TransactionTemplate transactions;
    private final RetourStore retouren;
    private final Operators operators;

    public OperatorApi(
            MessageStore store,
            AuditLog audit,
            DeliveryQueue queue,
            Termijnen termijnen,
            Statistiek statistiek,
            DeliveryJobs jobs,
            PlatformTransactionManager transactionManager,
            RetourStore retouren,
            Operators operators) {
        this.operators = operators;
        this.retouren = retouren;
        this.statistiek = statistiek;
        this.jobs = jobs;
        this.transactions = new TransactionTemplate(transactionManager);
        this.store = store;
        this.audit = audit;
        this.queue = queue;
        this.termijnen = termijnen;
    }

    /** The pilot figures per gemeente: requests, lead time from plan to beschikking, plans that came back. */
    @GetMapping("/statistiek")
    public List<Statistiek.PerGemeente> statistiek(HttpServletRequest http) {
        operator(http);
        return statistiek.perGemeente();
    }

    /** Requests the gemeente has not answered within 5 werkdagen, and iWmo messages without a retour after 3. */
    @GetMapping("/termijnen")
    public TermijnenOverzicht termijnen(HttpServletRequest http) {
        operator(http);
        return new TermijnenOverzicht(
                termijnen.antwoordenTeLaat(), termijnen.retourenTeLaat(), termijnen.onderzoekTeLang());
    }

    @GetMapping("/requests")
    public List<RequestSummary> requests(
            HttpServletRequest http,
            @RequestParam Optional<String> status,
            @RequestParam(defaultValue = "100") int limit) {
        Partners.Operator operator = operator(http);
        Optional<RequestStatus> wanted = status.map(s -> {
            try {
                return RequestStatus.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new ResponseStatusException(
                        HttpStatus.BAD_REQUEST, "unknown status " + s + "; one of " + List.of(RequestStatus.values()));
            }
        });
        List<RequestSummary> shown = store.requests(wanted, Math.min(Math.max(limit, 1), 1000)).stream()
                .map(RequestSummary::of)
                .toList();
        operators.viewed(operator, "request list (" + shown.size() + " requests)", Optional.empty(), Optional.empty());
        return shown;
    }

    @GetMapping("/requests/{id}")
    public RequestDetail request(HttpServletRequest http, @PathVariable String id) {
        Partners.Operator operator = operator(http);
        StoredRequest r = store.request(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no request " + id));
        operators.viewed(operator, "request detail", Optional.of(id), Optional.of(r.clientBsn()));
        return new RequestDetail(
                RequestSummary.of(r),
                r.inboundId(),
                store.outbound(id).stream().map(OutboundSummary::of).toList(),
                audit.forRequest(id).stream().map(AuditSummary::of).toList(),
                jobs.job(id).map(DeliverySummary::of),
                retouren.forRequest(id).stream().map(RetourSummary::of).toList());
    }

    /** Deliveries in a state ({@code pending} or {@code parked}), optionally for one partner, newest change first. */
    @GetMapping("/deliveries")
    public List<DeliverySummary> deliveries(
            HttpServletRequest http,
            @RequestParam(defaultValue = "parked") String state,
            @RequestParam(required = false) String partner,
            @RequestParam(defaultValue = "100") int limit) {
        operator(http);
        DeliveryJobs.State wanted;
        try {
            wanted = DeliveryJobs.State.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "state must be pending, parked or done");
        }
        return jobs.inState(wanted, Optional.ofNullable(partner), Math.min(Math.max(limit, 1), 1000)).stream()
                .map(DeliverySummary::of)
                .toList();
    }

    /** Per partner, how many deliveries wait and how many are parked. */
    @GetMapping("/deliveries/partners")
    public List<PartnerQueue> partnerQueues(HttpServletRequest http) {
        operator(http);
        return jobs.countsByPartner().entrySet().stream()
                .map(e -> new PartnerQueue(
                        e.getKey(),
                        e.getValue().getOrDefault(DeliveryJobs.State.PENDING, 0L),
                        e.getValue().getOrDefault(DeliveryJobs.State.PARKED, 0L)))
                .toList();
    }

    /** One delivery job and every attempt it made (with the instance that made it). */
    @GetMapping("/deliveries/{id}")
    public DeliveryDetail delivery(HttpServletRequest http, @PathVariable String id) {
        operator(http);
        DeliveryJobs.Job job =
                jobs.job(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no delivery " + id));
        return new DeliveryDetail(
                DeliverySummary.of(job),
                jobs.attempts(id).stream().map(AttemptSummary::of).toList());
    }

    /**
     * Releases a parked delivery: it starts afresh (attempts counted from zero). The same as replaying
     * the failed request or message it belongs to; audited.
     */
    @PostMapping("/deliveries/{id}/release")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public DeliverySummary release(HttpServletRequest http, @PathVariable String id) {
        DeliveryJobs.Job job =
                jobs.job(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no delivery " + id));
        if (job.state() != DeliveryJobs.State.PARKED) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "delivery " + id + " is " + job.state().name().toLowerCase(Locale.ROOT)
                            + "; only parked deliveries are released");
        }
        if (job.kind() == DeliveryJobs.Kind.PLAN) {
            replay(http, id);
        } else {
            replayMessage(http, id);
        }
        return DeliverySummary.of(jobs.job(id).orElseThrow());
    }

    /**
     * Puts a request back on the delivery queue: for a request that failed or was refused by the
     * gemeente (after the cause was fixed). Others are not replayed: a waiting or retrying request is
     * still on the queue, and a delivered, answered or withdrawn one is done.
     */
    @PostMapping("/requests/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public RequestSummary replay(HttpServletRequest http, @PathVariable String id) {
        Partners.Operator operator = operator(http);
        StoredRequest r = store.request(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no request " + id));
        if (r.status() != RequestStatus.FAILED && r.status() != RequestStatus.REJECTED) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "request " + id + " is " + r.status().name().toLowerCase(Locale.ROOT)
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
                    Optional.of("was " + r.status().name().toLowerCase(Locale.ROOT)));
            queue.replay(r);
        });
        return RequestSummary.of(store.request(id).orElseThrow());
    }

    /**
     * Sends a failed message again (an iWmo message to a care organisation, a relayed retour, a Task
     * push to an EHR, a consent withdrawal report): for one whose partner refused it or that ran out
     * of attempts, once the cause is fixed. Audited.
     */
    @PostMapping("/messages/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public OutboundSummary replayMessage(HttpServletRequest http, @PathVariable String id) {
        Partners.Operator operator = operator(http);
        OutboundMessage m = store.message(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no message " + id));
        if ("plan".equals(m.kind())) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "plan renderings are replayed with their request: " + "POST /admin/requests/" + m.requestId()
                            + "/replay");
        }
        if (!"FAILED".equals(m.state()) || m.targetUrl().isEmpty()) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "message " + id + " is " + m.state().toLowerCase(Locale.ROOT)
                            + "; only failed messages with a target are replayed");
        }
        transactions.executeWithoutResult(tx -> {
            store.messageState(id, "PENDING", Optional.of("replayed by operator " + operator.naam()));
            audit.record(
                    "operator:" + operator.naam(),
                    "REPLAY_MESSAGE",
                    Optional.of(m.requestId()),
                    Optional.empty(),
                    "QUEUED",
                    Optional.of(m.kind() + " " + m.rendering() + " to " + m.partner()));
            queue.replay(m);
        });
        return OutboundSummary.of(store.message(id).orElseThrow());
    }

    @GetMapping("/inbound")
    public List<InboundSummary> inbound(HttpServletRequest http, @RequestParam(defaultValue = "100") int limit) {
        Partners.Operator operator = operator(http);
        List<InboundSummary> shown = store.recentInbound(Math.min(Math.max(limit, 1), 1000)).stream()
                .map(InboundSummary::of)
                .toList();
        operators.viewed(operator, "inbound list (" + shown.size() + " messages)", Optional.empty(), Optional.empty());
        return shown;
    }

    private Partners.Operator operator(HttpServletRequest http) {
        return operators.require(http);
    }

    @ExceptionHandler(ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException.class)
    @ResponseStatus(HttpStatus.FORBIDDEN)
    public String noCertificate() {
        return "a client certificate is required";
    }
}
