package nl.wmogateway.consent;

import static nl.wmogateway.fixtures.TestBundles.find;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;

class PermitRuleTest {

    private static List<Finding> check(Bundle bundle) {
        return new PermitRule()
                .check(ConsentContext.of(
                        TestBundles.plan(bundle),
                        find(bundle, Consent.class),
                        TestBundles.GEMEENTECODE,
                        TestBundles.clock()));
    }

    @Test
    void acceptsAPermittingConsent() {
        assertThat(check(TestBundles.valid())).isEmpty();
    }

    @Test
    void refusesADenyProvisionBecauseItRecordsAnObjection() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class).getProvision().setType(Consent.ConsentProvisionType.DENY);

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message()).contains("provision.type 'deny'");
            assertThat(f.expression()).isEqualTo("Bundle.entry[20].resource.provision.type");
        });
    }
}
