package nl.wmogateway.ops;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
import nl.wmogateway.store.TrafficLog;
import org.springframework.http.HttpStatus;
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
                    // a gemeente's refusal may quote the client: shown without BSN or postcode
                    r.statusReason().map(MessageStore::withoutClientData),
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
            List<RetourSummary> retouren,
            List<Operations.Stap> journey) {}

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

    private final Operations operations;
    private final Statistiek statistiek;
    private final Pilotcijfers pilotcijfers;
    private final Operators operators;
    private final java.time.Clock clock;

    public OperatorApi(
            Operations operations,
            Statistiek statistiek,
            Pilotcijfers pilotcijfers,
            Operators operators,
            java.time.Clock clock) {
        this.clock = clock;
        this.operations = operations;
        this.statistiek = statistiek;
        this.pilotcijfers = pilotcijfers;
        this.operators = operators;
    }

    /** What the console's overview shows: requests today and this week, queues, deadlines, certificates. */
    @GetMapping("/overzicht")
    public Operations.Overzicht overzicht(HttpServletRequest http) {
        operator(http);
        return operations.overzicht();
    }

    /** The pilot figures per gemeente: requests, lead time from plan to beschikking, plans that came back. */
    @GetMapping("/statistiek")
    public List<Statistiek.PerGemeente> statistiek(HttpServletRequest http) {
        operator(http);
        return statistiek.perGemeente();
    }

    /**
     * The pilot figures per week for one gemeente (or all) over a period (default: the last 12
     * weeks): requests, answered, sent back, and the lead time plan to beschikking.
     */
    @GetMapping("/statistiek/weken")
    public Pilotcijfers.Periode statistiekPerWeek(
            HttpServletRequest http,
            @RequestParam Optional<String> gemeente,
            @RequestParam Optional<LocalDate> van,
            @RequestParam Optional<LocalDate> tot) {
        operator(http);
        return pilotcijfers.periode(gemeente, van, tot);
    }

    /** Requests the gemeente has not answered within 5 werkdagen, and iWmo messages without a retour after 3. */
    @GetMapping("/termijnen")
    public TermijnenOverzicht termijnen(HttpServletRequest http) {
        operator(http);
        return operations.termijnen();
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
        return operations.requests(operator, wanted, limit);
    }

    /** Everything about one request, with its journey: every step, attempt, answer and retour. */
    @GetMapping("/requests/{id}")
    public RequestDetail request(HttpServletRequest http, @PathVariable String id) {
        return operations.request(operator(http), id);
    }

    /** The plan itself (client data): only on an explicit POST with a reason, and audited. */
    @PostMapping("/requests/{id}/content")
    public Operations.Inhoud content(
            HttpServletRequest http, @PathVariable String id, @RequestParam Optional<String> reason) {
        return operations.content(operator(http), id, reason.orElse(""));
    }

    /** A message's body (client data): only on an explicit POST with a reason, and audited. */
    @PostMapping("/messages/{id}/content")
    public Operations.Inhoud messageContent(
            HttpServletRequest http, @PathVariable String id, @RequestParam Optional<String> reason) {
        return operations.messageContent(operator(http), id, reason.orElse(""));
    }

    /**
     * Every message in and out, newest first, paged: filter by direction ({@code in}, {@code out}),
     * partner, status, message type, period ({@code from}, {@code until}: dates) and request.
     */
    @GetMapping("/traffic")
    public TrafficLog.Page traffic(
            HttpServletRequest http,
            @RequestParam Optional<String> direction,
            @RequestParam Optional<String> partner,
            @RequestParam Optional<String> status,
            @RequestParam Optional<String> type,
            @RequestParam Optional<LocalDate> from,
            @RequestParam Optional<LocalDate> until,
            @RequestParam Optional<String> request,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return operations.traffic(
                operator(http),
                filter(direction, partner, status, type, from, until, request, clock.getZone()),
                page,
                size);
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
        return operations.deliveries(wanted, Optional.ofNullable(partner), limit);
    }

    /** Per partner, how many deliveries wait and how many are parked. */
    @GetMapping("/deliveries/partners")
    public List<PartnerQueue> partnerQueues(HttpServletRequest http) {
        operator(http);
        return operations.partnerQueues();
    }

    /** One delivery job and every attempt it made (with the instance that made it). */
    @GetMapping("/deliveries/{id}")
    public DeliveryDetail delivery(HttpServletRequest http, @PathVariable String id) {
        operator(http);
        return operations.delivery(id);
    }

    /**
     * Releases a parked delivery: it starts afresh (attempts counted from zero). The same as replaying
     * the failed request or message it belongs to; audited, with the reason when given.
     */
    @PostMapping("/deliveries/{id}/release")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public DeliverySummary release(
            HttpServletRequest http, @PathVariable String id, @RequestParam Optional<String> reason) {
        return operations.release(operator(http), id, reason);
    }

    /** Stops the retries of a waiting delivery: it is parked until released; audited. */
    @PostMapping("/deliveries/{id}/cancel")
    public DeliverySummary cancelRetries(
            HttpServletRequest http, @PathVariable String id, @RequestParam Optional<String> reason) {
        return operations.cancelRetries(operator(http), id, reason);
    }

    /**
     * Puts a request back on the delivery queue: for a request that failed or was refused by the
     * gemeente (after the cause was fixed). Others are not replayed: a waiting or retrying request is
     * still on the queue, and a delivered, answered or withdrawn one is done.
     */
    @PostMapping("/requests/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public RequestSummary replay(
            HttpServletRequest http, @PathVariable String id, @RequestParam Optional<String> reason) {
        return operations.replay(operator(http), id, reason);
    }

    /**
     * Sends a failed message again (an iWmo message to a care organisation, a relayed retour, a Task
     * push to an EHR, a consent withdrawal report): for one whose partner refused it or that ran out
     * of attempts, once the cause is fixed. Audited.
     */
    @PostMapping("/messages/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public OutboundSummary replayMessage(
            HttpServletRequest http, @PathVariable String id, @RequestParam Optional<String> reason) {
        return operations.replayMessage(operator(http), id, reason);
    }

    @GetMapping("/inbound")
    public List<InboundSummary> inbound(HttpServletRequest http, @RequestParam(defaultValue = "100") int limit) {
        return operations.inbound(operator(http), limit);
    }

    /** A traffic filter from request parameters, the same for the API and the console. */
    static TrafficLog.Filter filter(
            Optional<String> direction,
            Optional<String> partner,
            Optional<String> status,
            Optional<String> type,
            Optional<LocalDate> from,
            Optional<LocalDate> until,
            Optional<String> request,
            java.time.ZoneId zone) {
        Optional<TrafficLog.Direction> wanted = present(direction).map(d -> switch (d.toLowerCase(Locale.ROOT)) {
            case "in" -> TrafficLog.Direction.IN;
            case "out", "uit" -> TrafficLog.Direction.OUT;
            default -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "direction must be in or out");
        });
        return new TrafficLog.Filter(
                wanted,
                present(partner),
                present(status),
                present(type),
                from.map(d -> d.atStartOfDay(zone).toInstant()),
                until.map(d -> d.plusDays(1).atStartOfDay(zone).toInstant()),
                present(request));
    }

    private static Optional<String> present(Optional<String> value) {
        return value.map(String::strip).filter(v -> !v.isEmpty());
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
