package nl.wmogateway.intake;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.Outcomes;
import nl.wmogateway.inbound.Caller;
import nl.wmogateway.inbound.CallerResolver;
import nl.wmogateway.inbound.InboundCaptureFilter;
import nl.wmogateway.inbound.InboundSignatures;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.ResourceType;

/**
 * {@code POST /fhir} with a transaction Bundle: one Wmo request. Answers with a
 * transaction-response Bundle whose Task entry points at the Task the EHR can follow.
 */
public class TransactionProvider {

    private final IntakeService intake;
    private final CallerResolver callers;
    private final FhirContext fhir;
    private final InboundSignatures signatures;

    public TransactionProvider(
            IntakeService intake, CallerResolver callers, FhirContext fhir, InboundSignatures signatures) {
        this.signatures = signatures;
        this.intake = intake;
        this.callers = callers;
        this.fhir = fhir;
    }

    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle, HttpServletRequest request) {
        Caller caller = callers.resolve(request);
        String inboundId = (String) request.getAttribute(InboundCaptureFilter.INBOUND_ID);
        caller.partner()
                .ifPresent(p -> signatures
                        .problem(
                                "zorgorganisatie:" + p.agb(),
                                "SUBMIT",
                                p.signature(),
                                p.certificate(),
                                (byte[]) request.getAttribute(InboundCaptureFilter.INBOUND_BODY),
                                request)
                        .ifPresent(v -> {
                            String msg = "signature " + v.code() + ": " + v.detail();
                            throw new ForbiddenOperationException(
                                    msg, Outcomes.of(List.of(Finding.error("security", msg, "Bundle"))));
                        }));
        IntakeContext ctx;
        try {
            ctx = intake.submit(bundle, caller, inboundId);
        } catch (IntakeRejection r) {
            OperationOutcome oo = Outcomes.of(r.findings());
            throw switch (r.httpStatus()) {
                case 403 -> new ForbiddenOperationException(r.findings().get(0).message(), oo);
                case 400 -> new InvalidRequestException(r.findings().get(0).message(), oo);
                default -> new UnprocessableEntityException(fhir, oo);
            };
        }
        return response(bundle, ctx);
    }

    private Bundle response(Bundle request, IntakeContext ctx) {
        String taskId = ctx.stored().orElseThrow().id();
        Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        for (Bundle.BundleEntryComponent entry : request.getEntry()) {
            Bundle.BundleEntryResponseComponent r = response.addEntry().getResponse();
            if (entry.getResource() != null && entry.getResource().getResourceType() == ResourceType.Task) {
                r.setStatus(ctx.isDuplicate() ? "200 OK" : "201 Created");
                r.setLocation("Task/" + taskId + "/_history/1");
                if (!ctx.warnings().isEmpty()) {
                    r.setOutcome(Outcomes.of(ctx.warnings()));
                }
            } else {
                // accepted as part of the request; not kept as a separately readable resource
                r.setStatus("202 Accepted");
            }
        }
        if (!ctx.warnings().isEmpty()
                && response.getEntry().stream().noneMatch(e -> e.getResponse().hasOutcome())) {
            response.getEntryFirstRep().getResponse().setOutcome(Outcomes.of(List.copyOf(ctx.warnings())));
        }
        return response;
    }
}
