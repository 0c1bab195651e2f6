package nl.wmogateway.consent;

import static nl.wmogateway.fixtures.TestBundles.find;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;

class FormIntegrityRuleTest {

    private static List<Finding> check(Bundle bundle) {
        return new FormIntegrityRule()
                .check(ConsentContext.of(
                        TestBundles.plan(bundle),
                        find(bundle, Consent.class),
                        TestBundles.GEMEENTECODE,
                        TestBundles.clock()));
    }

    @Test
    void acceptsAFormWhoseHashMatchesItsBytes() {
        assertThat(check(TestBundles.valid())).isEmpty();
    }

    @Test
    void acceptsAConsentWithoutForm() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class).setSource(null);

        assertThat(check(bundle)).isEmpty();
    }

    @Test
    void refusesAFormWhoseHashDoesNotMatchItsBytes() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class)
                .getSourceAttachment()
                .setHash(TestBundles.sha1("another form".getBytes(StandardCharsets.US_ASCII)));

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message()).contains("not the SHA-1 of its data");
            assertThat(f.expression()).isEqualTo("Bundle.entry[20].resource.source.hash");
        });
    }
}
