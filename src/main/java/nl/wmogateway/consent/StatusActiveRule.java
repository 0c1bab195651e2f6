package nl.wmogateway.consent;

import java.util.List;
import nl.wmogateway.fhir.Finding;
import org.hl7.fhir.r4.model.Consent;

/** Only a Consent with status {@code active} is in force; draft, rejected, inactive (withdrawn) are not. */
final class StatusActiveRule implements ConsentRule {

    public static final String ID = "status-active";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> check(ConsentContext ctx) {
        Consent.ConsentState status = ctx.consent().getStatus();
        if (status == Consent.ConsentState.ACTIVE) {
            return List.of();
        }
        String actual = status == null ? "no status" : "status '" + status.toCode() + "'";
        return List.of(Finding.error(
                "security",
                "Consent has " + actual
                        + ": only an active consent allows sharing the plan (a withdrawn consent is 'inactive')",
                ctx.at("status")));
    }
}
