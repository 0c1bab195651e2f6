package nl.wmogateway.intake;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.Outcomes;
import nl.wmogateway.inbound.CallerResolver;
import nl.wmogateway.inbound.InboundCaptureFilter;
import nl.wmogateway.inbound.InboundSignatures;
import nl.wmogateway.partner.ZorgorganisatiePartner;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * {@code PUT /fhir/Consent/{id}} (or {@code POST /fhir/Consent}): the EHR sends the current
 * version of a client's Consent. When it no longer allows sharing, requests resting on it are
 * stopped or reported to the gemeente ({@link ConsentWithdrawal}); the answer's OperationOutcome
 * says which.
 */
public class ConsentProvider implements IResourceProvider {

    private final ConsentWithdrawal withdrawal;
    private final CallerResolver callers;
    private final InboundSignatures signatures;

    public ConsentProvider(ConsentWithdrawal withdrawal, CallerResolver callers, InboundSignatures signatures) {
        this.withdrawal = withdrawal;
        this.callers = callers;
        this.signatures = signatures;
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
        return Consent.class;
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Consent consent, HttpServletRequest request) {
        consent.setId(id.getIdPart());
        return apply(consent, request);
    }

    @Create
    public MethodOutcome create(@ResourceParam Consent consent, HttpServletRequest request) {
        return apply(consent, request);
    }

    private MethodOutcome apply(Consent consent, HttpServletRequest request) {
        ZorgorganisatiePartner sender = callers.resolve(request)
                .partner()
                .orElseThrow(() -> new ForbiddenOperationException(
                        "the client certificate is not registered for any care organisation",
                        Outcomes.of(List.of(Finding.error(
                                "security",
                                "the client certificate is not registered for any care organisation",
                                "Consent")))));
        // a partner that must sign what it sends must sign a withdrawal too (routes/partners.yaml: signature)
        signatures
                .problem(
                        "zorgorganisatie:" + sender.agb(),
                        "CONSENT_UPDATE",
                        sender.signature(),
                        sender.certificate(),
                        (byte[]) request.getAttribute(InboundCaptureFilter.INBOUND_BODY),
                        request)
                .ifPresent(v -> {
                    String msg = "signature " + v.code() + ": " + v.detail();
                    throw new ForbiddenOperationException(
                            msg, Outcomes.of(List.of(Finding.error("security", msg, "Consent"))));
                });
        ConsentWithdrawal.Outcome outcome;
        try {
            outcome = withdrawal.apply(sender.agb(), consent, Optional.ofNullable((String)
                    request.getAttribute(InboundCaptureFilter.INBOUND_ID)));
        } catch (IllegalArgumentException e) {
            throw new UnprocessableEntityException(
                    e.getMessage(),
                    Outcomes.of(List.of(Finding.error("required", e.getMessage(), "Consent.identifier"))));
        }
        String text = !outcome.withdrawn()
                ? "the Consent still allows sharing; nothing changed"
                : "consent withdrawn: " + outcome.stopped().size() + " request(s) stopped before delivery "
                        + outcome.stopped().stream().map(t -> "Task/" + t).toList() + ", "
                        + outcome.reported().size()
                        + " already delivered and reported to the gemeente "
                        + outcome.reported().stream().map(t -> "Task/" + t).toList();
        OperationOutcome oo =
                Outcomes.of(List.of(new Finding(Finding.Severity.INFORMATION, "informational", text, "Consent")));
        // the answer's body is the OperationOutcome saying what happened; the gateway keeps no Consent to return
        return new MethodOutcome(consent.getIdElement(), oo);
    }
}
