package nl.wmogateway.beschikking;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.config.RouteIds;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.inbound.CallerResolver;
import nl.wmogateway.inbound.InboundCaptureFilter;
import nl.wmogateway.inbound.InboundSignatures;
import nl.wmogateway.partner.GemeentePartner;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.trust.DetachedSignature;
import nl.wmogateway.trust.Verification;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The gemeente-facing API (see {@code docs/openapi-gemeente.yaml}): {@code POST /gemeente/beschikkingen}
 * and {@code POST /gemeente/retouren} (a WMO316 on a WMO315).
 * The gemeente is identified by its client certificate; the body is in the format configured for it.
 */
@RestController
@RequestMapping("/gemeente")
class GemeenteApi {

    /** One problem, as the gemeente sees it: an iWmo-style retourcode, where, and what. */
    public record Melding(String code, String locatie, String melding) {}

    /** The answer to a beschikking: the iWmo messages made and the retourcodes of the gateway's checks. */
    public record Antwoord(
            Optional<String> beschikking,
            Optional<String> aanvraag,
            List<Bericht> berichten,
            List<String> retourcodes,
            List<Melding> meldingen) {}

    /** One iWmo message made from the beschikking. */
    public record Bericht(
            String soort, String identificatie, List<Long> toewijzingNummers, Optional<String> referentieAanbieder) {}

    /** For formats whose body does not carry the beschikkingnummer (iWmo messages do not). */
    public static final String BESCHIKKINGNUMMER_HEADER = BeschikkingIwmoFormat.HEADER_BESCHIKKINGNUMMER;

    private final Partners partners;
    private final ProducerTemplate camel;
    private final MessageStore store;
    private final AuditLog audit;
    private final InboundSignatures signatures;
    private final RetourService retouren;

    public GemeenteApi(
            Partners partners,
            ProducerTemplate camel,
            MessageStore store,
            AuditLog audit,
            InboundSignatures signatures,
            RetourService retouren) {
        this.retouren = retouren;
        this.signatures = signatures;
        this.partners = partners;
        this.camel = camel;
        this.store = store;
        this.audit = audit;
    }

    @PostMapping(value = "/beschikkingen", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Antwoord> beschikking(HttpServletRequest http) throws IOException {
        X509Certificate certificate = CallerResolver.certificate(http);
        String inboundId = (String) http.getAttribute(InboundCaptureFilter.INBOUND_ID);
        Optional<GemeentePartner> gemeente = partners.gemeenteFor(certificate);
        if (gemeente.isEmpty()) {
            audit.record(
                    "certificate:" + certificate.getSubjectX500Principal().getName(),
                    "BESCHIKKING",
                    Optional.empty(),
                    Optional.empty(),
                    "FORBIDDEN",
                    Optional.of("certificate belongs to no gemeente"));
            return refused(
                    inboundId,
                    new BeschikkingRejection(
                            403,
                            List.of(Finding.error(
                                    "security",
                                    "this certificate does not belong to a gemeente connected to the gateway",
                                    ""))));
        }
        byte[] body = http.getInputStream().readAllBytes();
        Optional<Verification> badSignature = signatures.problem(
                "gemeente:" + gemeente.get().gemeentecode(),
                "BESCHIKKING",
                gemeente.get().signature(),
                gemeente.get().certificate(),
                body,
                http);
        if (badSignature.isPresent()) {
            return refused(
                    inboundId,
                    new BeschikkingRejection(
                            403,
                            List.of(Finding.error(
                                    "security",
                                    "signature " + badSignature.get().code() + ": "
                                            + badSignature.get().detail(),
                                    "header:" + DetachedSignature.HEADER))));
        }
        BeschikkingContext ctx = new BeschikkingContext(
                gemeente.get(),
                inboundId,
                http.getContentType(),
                body,
                Optional.ofNullable(http.getHeader(BESCHIKKINGNUMMER_HEADER)));
        try {
            camel.requestBody(RouteIds.BESCHIKKING_ENDPOINT, ctx);
        } catch (CamelExecutionException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BeschikkingRejection rejection) {
                    return refused(inboundId, rejection);
                }
            }
            throw e;
        }
        store.inboundOutcome(
                inboundId,
                ctx.isHerhaling() ? "DUPLICATE" : "ACCEPTED",
                Optional.empty(),
                Optional.of(ctx.request().id()));
        Antwoord antwoord = new Antwoord(
                Optional.of(ctx.stored().id()),
                Optional.of(ctx.request().id()),
                ctx.berichten().stream()
                        .map(b -> new Bericht(
                                b.soort(), b.identificatie(), b.toewijzingNummers(), b.referentieAanbieder()))
                        .toList(),
                List.of("0200"),
                List.of());
        return ResponseEntity.status(ctx.isHerhaling() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .body(antwoord);
    }

    /**
     * The gemeente's WMO316 retour on a WMO315 the gateway sent it, when it does not answer it in the
     * HTTP exchange of the delivery. One with a rejecting code makes the request {@code rejected}.
     * A refusal (403, 404, 422) carries its reason in the body.
     */
    @PostMapping(value = "/retouren", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> retour(HttpServletRequest http) throws IOException {
        X509Certificate certificate = CallerResolver.certificate(http);
        String inboundId = (String) http.getAttribute(InboundCaptureFilter.INBOUND_ID);
        Optional<GemeentePartner> gemeente = partners.gemeenteFor(certificate);
        if (gemeente.isEmpty()) {
            audit.record(
                    "certificate:" + certificate.getSubjectX500Principal().getName(),
                    "RETOUR",
                    Optional.empty(),
                    Optional.empty(),
                    "FORBIDDEN",
                    Optional.of("certificate belongs to no gemeente"));
            return retourRefused(
                    inboundId,
                    HttpStatus.FORBIDDEN,
                    "FORBIDDEN",
                    "this certificate does not belong to a gemeente connected to the gateway");
        }
        byte[] body = http.getInputStream().readAllBytes();
        Optional<Verification> badSignature = signatures.problem(
                "gemeente:" + gemeente.get().gemeentecode(),
                "RETOUR",
                gemeente.get().signature(),
                gemeente.get().certificate(),
                body,
                http);
        if (badSignature.isPresent()) {
            return retourRefused(
                    inboundId,
                    HttpStatus.FORBIDDEN,
                    "FORBIDDEN",
                    "signature " + badSignature.get().code() + ": "
                            + badSignature.get().detail());
        }
        try {
            RetourService.Outcome outcome =
                    retouren.receiveFromGemeente(gemeente.get().gemeentecode(), body);
            if (inboundId != null) {
                store.inboundOutcome(inboundId, "ACCEPTED", Optional.empty(), Optional.empty());
            }
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(outcome);
        } catch (RetourService.Refused e) {
            return retourRefused(inboundId, HttpStatus.valueOf(e.httpStatus()), "REFUSED", e.getMessage());
        } catch (java.util.NoSuchElementException e) {
            return retourRefused(inboundId, HttpStatus.NOT_FOUND, "REJECTED", e.getMessage());
        } catch (IllegalArgumentException e) {
            return retourRefused(inboundId, HttpStatus.UNPROCESSABLE_ENTITY, "REJECTED", e.getMessage());
        }
    }

    private ResponseEntity<RetourService.Weigering> retourRefused(
            String inboundId, HttpStatus status, String outcome, String reason) {
        if (inboundId != null) {
            store.inboundOutcome(inboundId, outcome, Optional.of(reason), Optional.empty());
        }
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new RetourService.Weigering(status.value(), reason));
    }

    private ResponseEntity<Antwoord> refused(String inboundId, BeschikkingRejection r) {
        List<Melding> meldingen = r.findings().stream()
                .map(f -> new Melding(f.code(), f.expression(), f.message()))
                .toList();
        if (inboundId != null) {
            store.inboundOutcome(
                    inboundId,
                    r.httpStatus() == 403 ? "FORBIDDEN" : "REJECTED",
                    Optional.of(meldingen.toString()),
                    Optional.empty());
        }
        List<String> codes = r.findings().stream()
                .map(Finding::code)
                .filter(c -> c.matches("[0-9A-Z]{4}"))
                .distinct()
                .toList();
        return ResponseEntity.status(r.httpStatus())
                .contentType(MediaType.APPLICATION_JSON)
                .body(new Antwoord(
                        Optional.empty(),
                        Optional.empty(),
                        List.of(),
                        codes.isEmpty() ? List.of("0001") : codes,
                        meldingen));
    }
}
