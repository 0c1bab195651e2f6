package nl.wmogateway.consent;

import static nl.wmogateway.fixtures.TestBundles.find;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;

class StatusActiveRuleTest {

    private static List<Finding> check(Bundle bundle) {
        return new StatusActiveRule()
                .check(ConsentContext.of(
                        TestBundles.plan(bundle),
                        find(bundle, Consent.class),
                        TestBundles.GEMEENTECODE,
                        TestBundles.clock()));
    }

    @Test
    void acceptsAnActiveConsent() {
        assertThat(check(TestBundles.valid())).isEmpty();
    }

    @Test
    void refusesAWithdrawnConsent() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class).setStatus(Consent.ConsentState.INACTIVE);

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.isError()).isTrue();
            assertThat(f.code()).isEqualTo("security");
            assertThat(f.message()).contains("status 'inactive'");
            assertThat(f.expression()).isEqualTo("Bundle.entry[20].resource.status");
        });
    }

    @Test
    void refusesADraftConsent() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class).setStatus(Consent.ConsentState.DRAFT);

        assertThat(check(bundle))
                .singleElement()
                .extracting(Finding::message)
                .asString()
                .contains("status 'draft'");
    }
}
