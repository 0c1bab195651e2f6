package nl.wmogateway.consent;

import java.time.LocalDate;
import java.util.List;
import nl.wmogateway.fhir.Finding;

/**
 * The Consent says when it was given (Consent.dateTime), and that is not in the future: the proof
 * that travels with the plan carries this moment.
 */
final class GivenAtRule implements ConsentRule {

    public static final String ID = "given-at";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> check(ConsentContext ctx) {
        if (!ctx.consent().hasDateTime()) {
            return List.of(Finding.error(
                    "business-rule",
                    "Consent.dateTime is missing: record when the client " + "gave consent",
                    ctx.at("dateTime")));
        }
        LocalDate given = FhirDates.firstDay(ctx.consent().getDateTimeElement());
        if (given.isAfter(ctx.today())) {
            return List.of(Finding.error(
                    "business-rule", "Consent.dateTime " + given + " lies in the future", ctx.at("dateTime")));
        }
        return List.of();
    }
}
