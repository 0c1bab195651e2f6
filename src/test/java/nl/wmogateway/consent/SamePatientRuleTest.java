package nl.wmogateway.consent;

import static nl.wmogateway.fixtures.TestBundles.find;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class SamePatientRuleTest {

    private static List<Finding> check(Bundle bundle) {
        return new SamePatientRule()
                .check(ConsentContext.of(
                        TestBundles.plan(bundle),
                        find(bundle, Consent.class),
                        TestBundles.GEMEENTECODE,
                        TestBundles.clock()));
    }

    private static Reference bsn(String bsn) {
        return new Reference()
                .setIdentifier(
                        new Identifier().setSystem(TestBundles.BSN_SYSTEM).setValue(bsn));
    }

    @Test
    void acceptsAConsentReferencingThePlansPatient() {
        assertThat(check(TestBundles.valid())).isEmpty();
    }

    @Test
    void acceptsAConsentCarryingTheClientsBsn() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class).setPatient(bsn(TestBundles.BSN));

        assertThat(check(bundle)).isEmpty();
    }

    @Test
    void refusesAConsentOfAnotherPatientInTheBundle() {
        Bundle bundle = TestBundles.valid();
        Patient other = TestBundles.add(bundle, "other-patient", new Patient());
        other.addIdentifier().setSystem(TestBundles.BSN_SYSTEM).setValue("111222333");
        find(bundle, Consent.class).setPatient(TestBundles.ref("other-patient"));

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("security");
            assertThat(f.message()).contains("another person", "Bundle.entry[1].resource");
            assertThat(f.expression()).isEqualTo("Bundle.entry[20].resource.patient");
        });
    }

    @Test
    void refusesAConsentCarryingAnotherBsn() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class).setPatient(bsn("111222333"));

        assertThat(check(bundle)).hasSize(1);
    }

    @Test
    void refusesAConsentWithoutPatient() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class).setPatient(null);

        assertThat(check(bundle))
                .singleElement()
                .extracting(Finding::message)
                .asString()
                .startsWith("Consent names no patient");
    }
}
