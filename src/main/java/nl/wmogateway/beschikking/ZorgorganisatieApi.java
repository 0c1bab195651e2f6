package nl.wmogateway.beschikking;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import nl.wmogateway.inbound.CallerResolver;
import nl.wmogateway.inbound.InboundCaptureFilter;
import nl.wmogateway.inbound.InboundSignatures;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.partner.ZorgorganisatiePartner;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.OutboundMessage;
import nl.wmogateway.trust.Verification;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * For care organisations whose systems fetch rather than receive: their iWmo messages
 * ({@code GET /zorgorganisatie/berichten}, then each by id) and their retours
 * ({@code POST /zorgorganisatie/retouren}). Each organisation sees only its own messages.
 */
@RestController
@RequestMapping("/zorgorganisatie")
class ZorgorganisatieApi {

    /** A message waiting for or fetched by the organisation. */
    public record Bericht(
            String id,
            String soort,
            String identificatie,
            String aanvraag,
            Instant aangemaakt,
            Optional<Instant> opgehaald,
            Optional<LocalDate> retourUiterlijk,
            Optional<String> retour) {
        static Bericht of(OutboundMessage m) {
            return new Bericht(
                    m.id(),
                    m.rendering(),
                    m.iwmoIdentificatie().orElse(""),
                    m.requestId(),
                    m.createdAt(),
                    m.fetchedAt().or(m::deliveredAt),
                    m.retourDue(),
                    m.retourStatus().map(String::toLowerCase));
        }
    }

    private final Partners partners;
    private final MessageStore store;
    private final RetourService retouren;
    private final AuditLog audit;
    private final InboundSignatures signatures;

    public ZorgorganisatieApi(
            Partners partners,
            MessageStore store,
            RetourService retouren,
            AuditLog audit,
            InboundSignatures signatures) {
        this.signatures = signatures;
        this.partners = partners;
        this.store = store;
        this.retouren = retouren;
        this.audit = audit;
    }

    @GetMapping(value = "/berichten", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Bericht> berichten(
            HttpServletRequest http,
            @RequestParam(defaultValue = "true") boolean alleenNieuw,
            @RequestParam(defaultValue = "100") int limit) {
        ZorgorganisatiePartner me = caller(http);
        return store.messagesFor(me.agb(), "iwmo", alleenNieuw, Math.min(Math.max(limit, 1), 1000)).stream()
                .map(Bericht::of)
                .toList();
    }

    @GetMapping("/berichten/{id}")
    public ResponseEntity<byte[]> bericht(HttpServletRequest http, @PathVariable String id) {
        ZorgorganisatiePartner me = caller(http);
        OutboundMessage m = store.message(id)
                .filter(x -> "iwmo".equals(x.kind()) && x.partner().equals(me.agb()))
                .orElseThrow(() ->
                        new ResponseStatusException(HttpStatus.NOT_FOUND, "no message " + id + " for AGB " + me.agb()));
        store.markFetched(id);
        audit.record(
                "zorgorganisatie:" + me.agb(),
                "FETCH",
                Optional.of(m.requestId()),
                Optional.empty(),
                "FETCHED",
                Optional.of(m.rendering() + " " + m.iwmoIdentificatie().orElse("")));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(m.body());
    }

    /** A WMO302 or WMO320; a refusal (403, 404, 422) carries its reason in the body. */
    @PostMapping(value = "/retouren", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> retour(HttpServletRequest http) throws IOException {
        ZorgorganisatiePartner me = caller(http);
        String inboundId = (String) http.getAttribute(InboundCaptureFilter.INBOUND_ID);
        byte[] body = http.getInputStream().readAllBytes();
        Optional<Verification> badSignature = signatures.problem(
                "zorgorganisatie:" + me.agb(), "RETOUR", me.signature(), me.certificate(), body, http);
        if (badSignature.isPresent()) {
            Verification v = badSignature.get();
            return refused(inboundId, HttpStatus.FORBIDDEN, "FORBIDDEN", "signature " + v.code() + ": " + v.detail());
        }
        try {
            RetourService.Outcome outcome = retouren.receive(me.agb(), body);
            if (inboundId != null) {
                store.inboundOutcome(inboundId, "ACCEPTED", Optional.empty(), Optional.empty());
            }
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(outcome);
        } catch (RetourService.Refused e) {
            return refused(inboundId, HttpStatus.valueOf(e.httpStatus()), "REFUSED", e.getMessage());
        } catch (NoSuchElementException e) {
            return refused(inboundId, HttpStatus.NOT_FOUND, "REJECTED", e.getMessage());
        } catch (IllegalArgumentException e) {
            return refused(inboundId, HttpStatus.UNPROCESSABLE_ENTITY, "REJECTED", e.getMessage());
        }
    }

    private ResponseEntity<RetourService.Weigering> refused(
            String inboundId, HttpStatus status, String outcome, String reason) {
        if (inboundId != null) {
            store.inboundOutcome(inboundId, outcome, Optional.of(reason), Optional.empty());
        }
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new RetourService.Weigering(status.value(), reason));
    }

    private ZorgorganisatiePartner caller(HttpServletRequest http) {
        return partners.zorgorganisatieFor(CallerResolver.certificate(http))
                .orElseThrow(() -> new ResponseStatusException(
                        HttpStatus.FORBIDDEN, "this certificate does not belong to a care organisation"));
    }
}
