package nl.wmogateway.consent;

import static nl.wmogateway.fixtures.TestBundles.find;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class RecipientGemeenteRuleTest {

    private static List<Finding> check(Bundle bundle, String gemeentecode) {
        return new RecipientGemeenteRule()
                .check(ConsentContext.of(
                        TestBundles.plan(bundle), find(bundle, Consent.class), gemeentecode, TestBundles.clock()));
    }

    private static Consent.provisionActorComponent recipient(Bundle bundle) {
        return find(bundle, Consent.class).getProvision().getActorFirstRep();
    }

    @Test
    void acceptsAConsentReferencingTheGemeenteOrganization() {
        assertThat(check(TestBundles.valid(), "0153")).isEmpty();
    }

    @Test
    void acceptsAConsentNamingTheGemeenteByGemeentecode() {
        Bundle bundle = TestBundles.valid();
        recipient(bundle)
                .setReference(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(TestBundles.GEMEENTECODE_SYSTEM)
                                .setValue("0153")));

        assertThat(check(bundle, "0153")).isEmpty();
    }

    @Test
    void refusesAConsentForAnotherGemeente() {
        Bundle bundle = TestBundles.valid();
        recipient(bundle)
                .setReference(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(TestBundles.GEMEENTECODE_SYSTEM)
                                .setValue("0363")));

        assertThat(check(bundle, "0153")).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("security");
            assertThat(f.message()).isEqualTo("Consent is for gemeente 0363, but the request is addressed to 0153");
            assertThat(f.expression()).isEqualTo("Bundle.entry[20].resource.provision.actor[0]");
        });
    }

    @Test
    void refusesWhenTheRequestIsAddressedToAnotherGemeenteThanConsentedTo() {
        assertThat(check(TestBundles.valid(), "0363"))
                .singleElement()
                .extracting(Finding::message)
                .isEqualTo("Consent is for gemeente 0153, but the request is addressed to 0363");
    }

    @Test
    void refusesAConsentWhoseActorIsNoRecipient() {
        Bundle bundle = TestBundles.valid();
        recipient(bundle).setRole(new CodeableConcept().setText("custodian"));

        assertThat(check(bundle, "0153")).singleElement().satisfies(f -> {
            assertThat(f.message()).startsWith("Consent names no recipient");
            assertThat(f.expression()).isEqualTo("Bundle.entry[20].resource.provision.actor");
        });
    }
}
