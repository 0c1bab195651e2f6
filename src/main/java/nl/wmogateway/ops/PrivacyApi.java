package nl.wmogateway.ops;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.wmogateway.config.GatewayInstance;
import nl.wmogateway.iwmo.Bsn;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.DataRetention;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.trust.PayloadSigner;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The operator's privacy and audit operations (docs/privacy.md): verify the audit chain, export
 * its signed head and the records as FHIR AuditEvents for a SIEM, produce one client's access log,
 * and erase one client's data. A BSN travels in the request body, never in a URL (which proxies
 * and access logs keep). Each of these is itself audited.
 */
@RestController
@RequestMapping("/admin")
public class PrivacyApi {

    /** A request naming one client. */
    public record ClientRequest(String bsn, String reason) {}

    /** One line of a client's access log: who did what with the client's data, and when. */
    public record Access(
            Instant at,
            String actor,
            String action,
            String outcome,
            Optional<String> requestId,
            Optional<String> detail) {}

    /** What the chain verification found: intact, or the first record where it breaks. */
    public record VerifyReport(
            boolean intact, long checked, long unchained, AuditLog.Head head, Optional<AuditLog.Break> firstBreak) {}

    /** The chain's newest link as exported: sign it, keep it elsewhere, compare later. */
    public record ExportedHead(long seq, String hash, long purgedSeq, String purgedHash, Instant at, String instance) {}

    private final AuditLog audit;
    private final DataRetention retention;
    private final Operators operators;
    private final PayloadSigner signer;
    private final AuditEvents auditEvents;
    private final FhirContext fhir;
    private final GatewayInstance instance;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public PrivacyApi(
            AuditLog audit,
            DataRetention retention,
            Operators operators,
            PayloadSigner signer,
            FhirContext fhir,
            GatewayInstance instance,
            Clock clock) {
        this.audit = audit;
        this.retention = retention;
        this.operators = operators;
        this.signer = signer;
        this.fhir = fhir;
        this.instance = instance;
        this.clock = clock;
        this.auditEvents = new AuditEvents(instance.id());
    }

    /** Checks the whole audit chain; names the first record where it does not hold. */
    @GetMapping("/audit/verify")
    public VerifyReport verify(HttpServletRequest http) {
        Partners.Operator operator = operators.require(http);
        AuditLog.Verification v = audit.verify();
        audit.record(
                "operator:" + operator.naam(),
                "AUDIT_VERIFY",
                Optional.empty(),
                Optional.empty(),
                v.intact() ? "INTACT" : "BROKEN",
                Optional.of(v.checked() + " records checked"
                        + v.firstBreak()
                                .map(b -> "; first break at record " + b.seq())
                                .orElse("")));
        return new VerifyReport(v.intact(), v.checked(), v.unchained(), v.head(), v.firstBreak());
    }

    /** The newest link of the chain, signed by the gateway (CMS, detached, in the X-Wmo-Signature header). */
    @GetMapping(value = "/audit/head", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> head(HttpServletRequest http) throws Exception {
        operators.require(http);
        AuditLog.Head head = audit.head();
        byte[] body = json.writeValueAsBytes(new ExportedHead(
                head.seq(), head.hash(), head.purgedSeq(), head.purgedHash(), clock.instant(), instance.id()));
        HttpHeaders headers = new HttpHeaders();
        signer.sign(body).headers().forEach(headers::add);
        return ResponseEntity.ok()
                .headers(headers)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }

    /**
     * The audit records after chain position {@code after}, as a FHIR Bundle of AuditEvents
     * (IHE Basic Audit Log Patterns); a SIEM asks again with the last position it got.
     */
    @GetMapping(value = "/audit/fhir", produces = "application/fhir+json")
    public ResponseEntity<String> fhirExport(
            HttpServletRequest http,
            @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "500") int count) {
        Partners.Operator operator = operators.require(http);
        List<AuditLog.Event> events = audit.after(Math.max(0, after), Math.min(Math.max(count, 1), 5000));
        String body = fhir.newJsonParser().encodeResourceToString(auditEvents.bundle(events, clock.instant()));
        audit.record(
                "operator:" + operator.naam(),
                "AUDIT_EXPORT",
                Optional.empty(),
                Optional.empty(),
                "EXPORTED",
                Optional.of(events.size() + " records after " + after));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/fhir+json"))
                .body(body);
    }

    /** Who did what with one client's data (NEN 7513: the client may ask); the request is audited too. */
    @PostMapping("/clients/access-log")
    public List<Access> accessLog(HttpServletRequest http, @RequestBody ClientRequest request) {
        Partners.Operator operator = operators.require(http);
        String bsn = validBsn(request);
        List<Access> log = audit.forClient(bsn).stream()
                .map(e -> new Access(e.at(), e.actor(), e.action(), e.outcome(), e.requestId(), e.detail()))
                .toList();
        audit.record(
                "operator:" + operator.naam(),
                "ACCESS_LOG",
                Optional.empty(),
                Optional.of(bsn),
                "SHOWN",
                Optional.of(log.size() + " records" + reason(request)));
        return log;
    }

    /**
     * Erases one client's data (AVG art. 17): requests, plans, renderings, messages, beschikkingen
     * and bodies as received. The audit trail stays, pseudonymous, and records the erasure.
     */
    @PostMapping("/clients/erase")
    public Map<String, Object> erase(HttpServletRequest http, @RequestBody ClientRequest request) {
        Partners.Operator operator = operators.require(http);
        String bsn = validBsn(request);
        if (request.reason() == null || request.reason().isBlank()) {
            throw new ResponseStatusException(
                    HttpStatus.BAD_REQUEST, "say why the client's data is erased (reason), for the audit trail");
        }
        DataRetention.Erased erased = retention.eraseClient(bsn);
        audit.record(
                "operator:" + operator.naam(),
                "ERASE",
                Optional.empty(),
                Optional.of(bsn),
                "ERASED",
                Optional.of(erased.requests() + " requests and " + erased.inboundMessages()
                        + " received messages erased" + reason(request)));
        return Map.of("requests", erased.requests(), "inboundMessages", erased.inboundMessages());
    }

    private static String validBsn(ClientRequest request) {
        if (request == null
                || request.bsn() == null
                || !Bsn.isValid(request.bsn().strip())) {
            throw new ResponseStatusException(
                    HttpStatus.BAD_REQUEST, "bsn must be a valid BSN (nine digits, 11-proof)");
        }
        return request.bsn().strip();
    }

    private static String reason(ClientRequest request) {
        if (request.reason() == null || request.reason().isBlank()) {
            return "";
        }
        String r = request.reason().strip();
        // the reason stays as long as the audit trail: no BSN or postcode in it
        return "; reason: " + MessageStore.withoutClientData(r.length() > 500 ? r.substring(0, 500) : r);
    }
}
