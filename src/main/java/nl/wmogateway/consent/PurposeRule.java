package nl.wmogateway.consent;

import java.util.List;
import java.util.stream.Collectors;
import nl.wmogateway.fhir.Finding;
import org.hl7.fhir.r4.model.Coding;

/** The Consent covers the purpose of a Wmo request: provision.purpose has {@code verwerkingsdoel#wmo-aanvraag}. */
final class PurposeRule implements ConsentRule {

    public static final String ID = "purpose";
    public static final String VERWERKINGSDOEL_SYSTEM = "https://wmo-gateway.nl/fhir/CodeSystem/verwerkingsdoel";
    public static final String WMO_AANVRAAG = "wmo-aanvraag";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> check(ConsentContext ctx) {
        List<Coding> purposes = ctx.consent().getProvision().getPurpose();
        if (purposes.stream()
                .anyMatch(p -> VERWERKINGSDOEL_SYSTEM.equals(p.getSystem()) && WMO_AANVRAAG.equals(p.getCode()))) {
            return List.of();
        }
        String covered = purposes.isEmpty()
                ? "no purpose is given"
                : "it covers "
                        + purposes.stream()
                                .map(p -> p.getSystem() + "#" + p.getCode())
                                .collect(Collectors.joining(", "));
        return List.of(Finding.error(
                "security",
                "Consent does not cover purpose " + WMO_AANVRAAG + " (" + covered + "): provision.purpose must contain "
                        + VERWERKINGSDOEL_SYSTEM + "#" + WMO_AANVRAAG,
                ctx.at("provision.purpose")));
    }
}
