package nl.wmogateway.consent;

import java.time.LocalDate;
import java.util.List;
import nl.wmogateway.fhir.Finding;
import org.hl7.fhir.r4.model.Period;

/**
 * Today lies within provision.period. The start is required, the end optional; both dates count as
 * valid days, and a period written as a year or month lasts to its end.
 */
final class PeriodRule implements ConsentRule {

    public static final String ID = "period";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> check(ConsentContext ctx) {
        Period period = ctx.consent().getProvision().getPeriod();
        if (!period.hasStart()) {
            return List.of(Finding.error(
                    "security",
                    "Consent.provision.period.start is missing: state from when " + "the consent applies",
                    ctx.at("provision.period.start")));
        }
        LocalDate today = ctx.today();
        LocalDate start = FhirDates.firstDay(period.getStartElement());
        if (today.isBefore(start)) {
            return List.of(Finding.error(
                    "security", "Consent is not yet valid: it starts on " + start, ctx.at("provision.period.start")));
        }
        if (period.hasEnd()) {
            LocalDate end = FhirDates.lastDay(period.getEndElement());
            if (today.isAfter(end)) {
                return List.of(Finding.error("security", "Consent expired on " + end, ctx.at("provision.period.end")));
            }
        }
        return List.of();
    }
}
