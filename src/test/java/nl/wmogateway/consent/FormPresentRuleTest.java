package nl.wmogateway.consent;

import static nl.wmogateway.fixtures.TestBundles.find;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;

class FormPresentRuleTest {

    private static List<Finding> check(Bundle bundle) {
        return new FormPresentRule()
                .check(ConsentContext.of(
                        TestBundles.plan(bundle),
                        find(bundle, Consent.class),
                        TestBundles.GEMEENTECODE,
                        TestBundles.clock()));
    }

    @Test
    void acceptsAConsentWithItsForm() {
        assertThat(check(TestBundles.valid())).isEmpty();
    }

    @Test
    void acceptsAFormKeptByTheEhrAndReferredToByUrl() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class)
                .setSource(new Attachment()
                        .setTitle("Toestemmingsformulier Wmo")
                        .setUrl("https://ehr.thuiszorg-voorbeeld.nl/documenten/42"));

        assertThat(check(bundle)).isEmpty();
    }

    @Test
    void refusesAConsentWithoutForm() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class).setSource(null);

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("business-rule");
            assertThat(f.message()).contains("gemeente 0153 requires the signed consent form");
            assertThat(f.expression()).isEqualTo("Bundle.entry[20].resource.source");
        });
    }

    @Test
    void refusesAFormWithOnlyATitle() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class).setSource(new Attachment().setTitle("Toestemmingsformulier Wmo"));

        assertThat(check(bundle)).hasSize(1);
    }
}
