package nl.wmogateway.consent;

import static nl.wmogateway.fixtures.TestBundles.find;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;

class PurposeRuleTest {

    private static List<Finding> check(Bundle bundle) {
        return new PurposeRule()
                .check(ConsentContext.of(
                        TestBundles.plan(bundle),
                        find(bundle, Consent.class),
                        TestBundles.GEMEENTECODE,
                        TestBundles.clock()));
    }

    @Test
    void acceptsAConsentForTheWmoAanvraag() {
        assertThat(check(TestBundles.valid())).isEmpty();
    }

    @Test
    void refusesAConsentForAnotherPurpose() {
        Bundle bundle = TestBundles.valid();
        List<Coding> purposes = find(bundle, Consent.class).getProvision().getPurpose();
        purposes.clear();
        purposes.add(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "COC", "coordination of care"));

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("security");
            assertThat(f.message()).contains("does not cover purpose wmo-aanvraag", "v3-ActReason#COC");
            assertThat(f.expression()).isEqualTo("Bundle.entry[20].resource.provision.purpose");
        });
    }
}
