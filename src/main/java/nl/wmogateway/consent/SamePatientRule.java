package nl.wmogateway.consent;

import java.util.List;
import java.util.Optional;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.PlanBundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * The Consent is the client's: Consent.patient references the plan's Patient, or carries (or resolves
 * to a Patient with) the same BSN.
 */
final class SamePatientRule implements ConsentRule {

    public static final String ID = "same-patient";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> check(ConsentContext ctx) {
        PlanBundle plan = ctx.plan();
        Reference ref = ctx.consent().getPatient();
        Optional<Patient> target = plan.resolve(ref, Patient.class);
        if (target.isPresent() && target.get() == plan.patient()) {
            return List.of();
        }
        Optional<String> consentBsn = target.flatMap(
                        p -> PlanBundle.identifier(p.getIdentifier(), PlanBundle.BSN_SYSTEM))
                .or(() -> PlanBundle.identifier(ref, PlanBundle.BSN_SYSTEM));
        if (consentBsn.isPresent() && consentBsn.equals(plan.bsn())) {
            return List.of();
        }
        String why =
                ref.isEmpty() ? "Consent names no patient" : "Consent is about another person than the plan's client";
        return List.of(Finding.error(
                "security",
                why + ": Consent.patient must reference the plan's Patient (" + plan.pathOf(plan.patient())
                        + ") or carry its BSN",
                ctx.at("patient")));
    }
}
