package nl.wmogateway.consent;

import java.util.List;
import nl.wmogateway.fhir.Finding;
import org.hl7.fhir.r4.model.Consent;

/**
 * The Consent permits sharing: {@code provision.type = permit}. A {@code deny} provision records an
 * objection, which must never be read as consent.
 */
final class PermitRule implements ConsentRule {

    public static final String ID = "permit";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> check(ConsentContext ctx) {
        Consent.ConsentProvisionType type = ctx.consent().getProvision().getType();
        if (type == Consent.ConsentProvisionType.PERMIT) {
            return List.of();
        }
        String actual = type == null ? "no provision.type" : "provision.type '" + type.toCode() + "'";
        return List.of(Finding.error(
                "security",
                "Consent has " + actual + ": consent to share the plan needs provision.type 'permit'",
                ctx.at("provision.type")));
    }
}
