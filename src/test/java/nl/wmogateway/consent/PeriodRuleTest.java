package nl.wmogateway.consent;

import static nl.wmogateway.fixtures.TestBundles.find;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.junit.jupiter.api.Test;

class PeriodRuleTest {

    private static List<Finding> checkOn(Bundle bundle, LocalDate today) {
        return new PeriodRule()
                .check(ConsentContext.of(
                        TestBundles.plan(bundle),
                        find(bundle, Consent.class),
                        TestBundles.GEMEENTECODE,
                        TestBundles.clockAt(today)));
    }

    @Test
    void acceptsAConsentOnItsFirstDay() {
        assertThat(checkOn(TestBundles.valid(), LocalDate.of(2026, 1, 1))).isEmpty();
    }

    @Test
    void acceptsAConsentOnItsLastDay() {
        assertThat(checkOn(TestBundles.valid(), LocalDate.of(2027, 12, 31))).isEmpty();
    }

    @Test
    void refusesAnExpiredConsent() {
        assertThat(checkOn(TestBundles.valid(), LocalDate.of(2028, 1, 1)))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.message()).isEqualTo("Consent expired on 2027-12-31");
                    assertThat(f.expression()).isEqualTo("Bundle.entry[20].resource.provision.period.end");
                });
    }

    @Test
    void refusesAConsentThatIsNotYetValid() {
        assertThat(checkOn(TestBundles.valid(), LocalDate.of(2025, 12, 31)))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.message()).isEqualTo("Consent is not yet valid: it starts on 2026-01-01");
                    assertThat(f.expression()).isEqualTo("Bundle.entry[20].resource.provision.period.start");
                });
    }

    @Test
    void refusesAConsentWithoutStart() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class).getProvision().getPeriod().setStartElement(null);

        assertThat(checkOn(bundle, TestBundles.TODAY))
                .singleElement()
                .extracting(Finding::message)
                .asString()
                .contains("period.start is missing");
    }

    @Test
    void acceptsAnOpenEndedConsent() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class).getProvision().getPeriod().setEndElement(null);

        assertThat(checkOn(bundle, LocalDate.of(2035, 6, 1))).isEmpty();
    }

    @Test
    void readsAnEndYearAsTheEndOfThatYear() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class).getProvision().getPeriod().setEndElement(new DateTimeType("2026"));

        assertThat(checkOn(bundle, LocalDate.of(2026, 12, 31))).isEmpty();
    }

    @Test
    void readsTheDayAsWrittenWhateverTheOffset() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class)
                .getProvision()
                .getPeriod()
                .setEndElement(new DateTimeType("2026-03-01T23:30:00-05:00"));

        assertThat(checkOn(bundle, LocalDate.of(2026, 3, 2)))
                .singleElement()
                .extracting(Finding::message)
                .isEqualTo("Consent expired on 2026-03-01");
    }
}
