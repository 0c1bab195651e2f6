package nl.wmogateway.consent;

import static nl.wmogateway.fixtures.TestBundles.find;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.PlanBundle;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.Test;

class RepresentativeRuleTest {

    private static List<Finding> check(Bundle bundle) {
        PlanBundle plan = PlanBundle.of(bundle).plan().orElseThrow();
        return new RepresentativeRule()
                .check(ConsentContext.of(
                        plan, find(bundle, Consent.class), TestBundles.GEMEENTECODE, TestBundles.clock()));
    }

    private static Bundle consentedByPartner() {
        Bundle bundle = TestBundles.valid();
        Consent consent = find(bundle, Consent.class);
        consent.getPerformer().clear();
        consent.addPerformer(TestBundles.ref("partner"));
        return bundle;
    }

    @Test
    void acceptsConsentGivenByTheClient() {
        assertThat(check(TestBundles.valid())).isEmpty();
    }

    @Test
    void acceptsConsentGivenByARepresentativeWithARelationship() {
        assertThat(check(consentedByPartner())).isEmpty();
    }

    @Test
    void refusesARepresentativeWithoutRelationship() {
        Bundle bundle = consentedByPartner();
        RelatedPerson partner = find(bundle, RelatedPerson.class);
        partner.getRelationship().clear();

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message()).contains("has no relationship");
            assertThat(f.expression()).isEqualTo(TestBundles.pathOf(bundle, partner) + ".relationship");
        });
    }

    @Test
    void refusesARepresentativeOfAnotherClient() {
        Bundle bundle = consentedByPartner();
        find(bundle, RelatedPerson.class).setPatient(new Reference().setDisplay("someone else"));

        assertThat(check(bundle)).singleElement().extracting(Finding::code).isEqualTo("security");
    }

    @Test
    void refusesARepresentativeWhoIsNotInTheBundle() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class)
                .addPerformer(new Reference()
                        .setType("RelatedPerson")
                        .setIdentifier(new Identifier()
                                .setSystem("https://ehr.thuiszorg-voorbeeld.nl/relatie")
                                .setValue("R-7")));

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message()).contains("identifier R-7", "not in the Bundle");
            assertThat(f.expression()).isEqualTo("Bundle.entry[20].resource.performer[1]");
        });
    }
}
