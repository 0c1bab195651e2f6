package nl.wmogateway.consent;

import static nl.wmogateway.fixtures.TestBundles.find;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.junit.jupiter.api.Test;

class GivenAtRuleTest {

    private static List<Finding> check(Bundle bundle) {
        return new GivenAtRule()
                .check(ConsentContext.of(
                        TestBundles.plan(bundle),
                        find(bundle, Consent.class),
                        TestBundles.GEMEENTECODE,
                        TestBundles.clock()));
    }

    @Test
    void acceptsAConsentGivenInThePast() {
        assertThat(check(TestBundles.valid())).isEmpty();
    }

    @Test
    void refusesAConsentWithoutTheMomentItWasGiven() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class).setDateTimeElement(null);

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("business-rule");
            assertThat(f.expression()).isEqualTo("Bundle.entry[20].resource.dateTime");
        });
    }

    @Test
    void refusesAConsentGivenInTheFuture() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class).setDateTimeElement(new DateTimeType("2026-03-03"));

        assertThat(check(bundle))
                .singleElement()
                .extracting(Finding::message)
                .isEqualTo("Consent.dateTime 2026-03-03 lies in the future");
    }
}
