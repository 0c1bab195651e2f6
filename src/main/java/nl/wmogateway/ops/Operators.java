package nl.wmogateway.ops;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import nl.wmogateway.inbound.CallerResolver;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.store.AuditLog;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * Who may use {@code /admin}: a certificate of an operator in the partner configuration. A refusal
 * is audited, and so is what an operator looks at that concerns a client (NEN 7513: who looked at
 * whose data).
 */
@Component
class Operators {

    private final Partners partners;
    private final AuditLog audit;

    Operators(Partners partners, AuditLog audit) {
        this.partners = partners;
        this.audit = audit;
    }

    /** The operator whose certificate the request came with; 403 (audited) for any other certificate. */
    Partners.Operator require(HttpServletRequest http) {
        var certificate = CallerResolver.certificate(http);
        return partners.operatorFor(certificate).orElseThrow(() -> {
            audit.record(
                    "certificate:" + certificate.getSubjectX500Principal().getName(),
                    "ADMIN",
                    Optional.empty(),
                    Optional.empty(),
                    "FORBIDDEN",
                    Optional.of("not an operator: " + http.getMethod() + " " + http.getRequestURI()));
            return new ResponseStatusException(
                    HttpStatus.FORBIDDEN, "this certificate is not an operator of the gateway");
        });
    }

    /** Records that an operator viewed something, about a request and client when it is. */
    void viewed(Partners.Operator operator, String what, Optional<String> requestId, Optional<String> clientBsn) {
        audit.record("operator:" + operator.naam(), "VIEW", requestId, clientBsn, "SHOWN", Optional.of(what));
    }
}
