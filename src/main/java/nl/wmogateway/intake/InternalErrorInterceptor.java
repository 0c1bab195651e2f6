package nl.wmogateway.intake;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import java.util.List;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.Outcomes;
import nl.wmogateway.inbound.InternalErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whatever fails inside the FHIR endpoint for a reason that is not the EHR's (a bug, the database,
 * the broker) is answered 500 with an OperationOutcome that says "internal error, reference ...", and
 * logged with the exception under that reference. HAPI would otherwise send the exception's text,
 * including the class names of the gateway's internals.
 */
@Interceptor
public class InternalErrorInterceptor {

    private static final Logger log = LoggerFactory.getLogger(InternalErrorInterceptor.class);

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException hideInternals(RequestDetails request, Throwable exception) {
        if (exception instanceof BaseServerResponseException answer && answer.getStatusCode() < 500) {
            return null; // a 4xx the gateway chose to give, with its OperationOutcome
        }
        String reference = InternalErrors.newReference();
        log.error(
                "internal error, reference {}: {} {}",
                reference,
                request == null ? "" : request.getRequestType(),
                request == null ? "" : request.getCompleteUrl(),
                exception);
        String message = InternalErrors.message(reference);
        return new InternalErrorException(message, Outcomes.of(List.of(Finding.error("exception", message, ""))));
    }
}
