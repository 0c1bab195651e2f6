package nl.wmogateway.consent;

import java.util.List;
import java.util.Optional;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.plan.Toestemming;

/**
 * The consent gate's answer: the proof of consent when the plan may be shared, otherwise the findings
 * that say why not.
 *
 * @param toestemming the proof that travels with the plan; present exactly when sharing is allowed
 * @param findings    ERROR findings explaining the refusal; empty when granted
 */
public record ConsentDecision(Optional<Toestemming> toestemming, List<Finding> findings) {

    public ConsentDecision {
        findings = List.copyOf(findings);
    }

    /** True when a Consent allows sharing the plan. */
    public boolean granted() {
        return toestemming.isPresent();
    }
}
