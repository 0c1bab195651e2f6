package nl.wmogateway.consent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.PlanBundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;

/**
 * When a representative consented for the client (Consent.performer is a RelatedPerson), that person
 * is in the Bundle, represents this client, and states the relationship by which they may consent.
 */
final class RepresentativeRule implements ConsentRule {

    public static final String ID = "representative";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> check(ConsentContext ctx) {
        PlanBundle plan = ctx.plan();
        List<Finding> findings = new ArrayList<>();
        List<Reference> performers = ctx.consent().getPerformer();
        for (int i = 0; i < performers.size(); i++) {
            Reference performer = performers.get(i);
            Optional<Resource> target = plan.resolve(performer);
            if (target.isEmpty() && isRelatedPersonReference(performer)) {
                findings.add(Finding.error(
                        "business-rule",
                        "the representative who consented ("
                                + describe(performer) + ") is not in the Bundle: include the RelatedPerson with their "
                                + "relationship to the client",
                        ctx.at("performer[" + i + "]")));
            } else if (target.orElse(null) instanceof RelatedPerson representative) {
                String path = plan.pathOf(representative);
                if (plan.resolve(representative.getPatient()).orElse(null) != plan.patient()) {
                    findings.add(Finding.error(
                            "security",
                            "the representative who consented is not related to the "
                                    + "plan's client: RelatedPerson.patient must reference "
                                    + plan.pathOf(plan.patient()),
                            path + ".patient"));
                }
                if (representative.getRelationship().stream().allMatch(c -> !c.hasText() && !c.hasCoding())) {
                    findings.add(Finding.error(
                            "business-rule",
                            "the representative who consented has no relationship: "
                                    + "state how they represent the client (e.g. partner, curator, mentor)",
                            path + ".relationship"));
                }
            }
        }
        return findings;
    }

    private static String describe(Reference ref) {
        if (ref.hasReference()) {
            return ref.getReference();
        }
        return ref.hasIdentifier() ? "identifier " + ref.getIdentifier().getValue() : ref.getDisplay();
    }

    private static boolean isRelatedPersonReference(Reference ref) {
        return "RelatedPerson".equals(ref.getType())
                || (ref.hasReference() && ref.getReference().matches("(.*/)?RelatedPerson/[^/]+(/_history/.*)?"));
    }
}
