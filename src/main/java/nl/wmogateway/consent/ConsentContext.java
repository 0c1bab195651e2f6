package nl.wmogateway.consent;

import java.time.Clock;
import java.time.LocalDate;
import nl.wmogateway.fhir.PlanBundle;
import org.hl7.fhir.r4.model.Consent;

/**
 * What a {@link ConsentRule} looks at: one candidate Consent of a plan, and the gemeente the plan is
 * addressed to.
 *
 * @param plan         the plan the consent should cover
 * @param consent      the candidate Consent, an entry of the plan's Bundle
 * @param path         FHIRPath of the Consent in the Bundle, e.g. {@code Bundle.entry[9].resource}
 * @param gemeentecode the CBS gemeentecode the request is addressed to
 * @param clock        the current time; its zone decides what "today" is (use Europe/Amsterdam)
 */
record ConsentContext(PlanBundle plan, Consent consent, String path, String gemeentecode, Clock clock) {

    /** Builds the context for a Consent of the plan's Bundle. */
    public static ConsentContext of(PlanBundle plan, Consent consent, String gemeentecode, Clock clock) {
        return new ConsentContext(plan, consent, plan.pathOf(consent), gemeentecode, clock);
    }

    /** Today's date in the clock's zone. */
    public LocalDate today() {
        return LocalDate.now(clock);
    }

    /** The FHIRPath of an element of the candidate Consent, e.g. {@code at("provision.period")}. */
    public String at(String element) {
        return path + "." + element;
    }
}
