package nl.wmogateway.consent;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import org.hl7.fhir.r4.model.BaseDateTimeType;

/**
 * Dates as the EHR wrote them. A consent "until 2027" or "until 2027-12" lasts to the end of that year
 * or month, and a time with an offset keeps the calendar day written, not the day in the JVM's zone.
 */
final class FhirDates {

    private FhirDates() {}

    /** The first day the value covers. */
    static LocalDate firstDay(BaseDateTimeType value) {
        TemporalPrecisionEnum precision = value.getPrecision();
        if (precision == TemporalPrecisionEnum.YEAR) {
            return LocalDate.of(value.getYear(), 1, 1);
        }
        if (precision == TemporalPrecisionEnum.MONTH) {
            return LocalDate.of(value.getYear(), value.getMonth() + 1, 1);
        }
        return LocalDate.of(value.getYear(), value.getMonth() + 1, value.getDay());
    }

    /** The last day the value covers. */
    static LocalDate lastDay(BaseDateTimeType value) {
        TemporalPrecisionEnum precision = value.getPrecision();
        if (precision == TemporalPrecisionEnum.YEAR) {
            return LocalDate.of(value.getYear(), 12, 31);
        }
        if (precision == TemporalPrecisionEnum.MONTH) {
            return YearMonth.of(value.getYear(), value.getMonth() + 1).atEndOfMonth();
        }
        return firstDay(value);
    }

    /** The instant of a dateTime; a date without time counts from the start of that day in {@code zone}. */
    static Instant instant(BaseDateTimeType value, ZoneId zone) {
        if (value.getPrecision().compareTo(TemporalPrecisionEnum.DAY) > 0) {
            return value.getValue().toInstant();
        }
        return firstDay(value).atStartOfDay(zone).toInstant();
    }
}
