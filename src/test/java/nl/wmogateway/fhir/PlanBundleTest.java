package nl.wmogateway.fhir;

import static nl.wmogateway.fixtures.TestBundles.find;
import static nl.wmogateway.fixtures.TestBundles.named;
import static nl.wmogateway.fixtures.TestBundles.pathOf;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

class PlanBundleTest {

    @Test
    void readsTheValidRequestAsAPlanWithoutFindings() {
        PlanBundle.Result result = PlanBundle.of(TestBundles.valid());

        assertThat(result.isPlan()).isTrue();
        assertThat(result.findings()).isEmpty();
    }

    @Test
    void resolvesTheTasksReferencesToTypedResources() {
        Bundle bundle = TestBundles.valid();
        PlanBundle plan = TestBundles.plan(bundle);

        assertThat(plan.task()).isSameAs(find(bundle, Task.class));
        assertThat(plan.carePlan()).isSameAs(find(bundle, CarePlan.class));
        assertThat(plan.patient()).isSameAs(find(bundle, Patient.class));
        assertThat(plan.gemeente()).containsSame(TestBundles.gemeente(bundle));
        assertThat(plan.zorgorganisatie()).containsSame(named(bundle, "zorgorganisatie", Organization.class));
        assertThat(plan.practitionerRole()).isPresent();
        assertThat(plan.practitioner().orElseThrow().getNameFirstRep().getFamily())
                .isEqualTo("Jansen");
    }

    @Test
    void givesTheResourcesTheCarePlanReferences() {
        PlanBundle plan = TestBundles.plan();

        assertThat(plan.conditions()).hasSize(2);
        assertThat(plan.goals()).hasSize(2);
        assertThat(plan.observations()).hasSize(6);
        assertThat(plan.observation("voorliggend-veld")).isPresent();
    }

    @Test
    void givesServiceRequestsInCarePlanActivityOrder() {
        Bundle bundle = TestBundles.valid();
        CarePlan carePlan = find(bundle, CarePlan.class);
        Reference first = carePlan.getActivity().get(0).getReference();
        carePlan.getActivity().get(0).setReference(carePlan.getActivity().get(1).getReference());
        carePlan.getActivity().get(1).setReference(first);

        List<ServiceRequest> requests = TestBundles.plan(bundle).serviceRequests();

        assertThat(requests)
                .containsExactly(
                        TestBundles.serviceRequest(bundle, "01A01"), TestBundles.serviceRequest(bundle, "02A01"));
    }

    @Test
    void resolvesUrnUuidReferencesAfterAJsonRoundTrip() {
        FhirContext fhir = FhirContext.forR4Cached();
        Bundle parsed = fhir.newJsonParser()
                .parseResource(Bundle.class, fhir.newJsonParser().encodeResourceToString(TestBundles.valid()));

        PlanBundle plan = TestBundles.plan(parsed);

        assertThat(plan.carePlan().getDescription()).isEqualTo(TestBundles.HULPVRAAG);
        assertThat(plan.serviceRequests()).hasSize(2);
        assertThat(plan.gemeentecode()).contains("0153");
    }

    @Test
    void resolvesRelativeReferencesAgainstEntryFullUrls() {
        Bundle bundle = TestBundles.valid();
        Patient patient = find(bundle, Patient.class);
        TestBundles.rereference(bundle, patient, "https://ehr.thuiszorg-voorbeeld.nl/fhir/Patient/p1", "Patient/p1");

        PlanBundle plan = TestBundles.plan(bundle);

        assertThat(plan.patient()).isSameAs(patient);
    }

    @Test
    void resolvesRelativeReferencesAgainstResourceIdsWhenEntriesHaveNoFullUrl() {
        Bundle bundle = TestBundles.valid();
        Patient patient = find(bundle, Patient.class);
        patient.setId("p1");
        TestBundles.rereference(bundle, patient, null, "Patient/p1");

        PlanBundle plan = TestBundles.plan(bundle);

        assertThat(plan.patient()).isSameAs(patient);
    }

    @Test
    void takesTheGemeentecodeFromTheGemeenteOrganization() {
        assertThat(TestBundles.plan().gemeentecode()).contains("0153");
    }

    @Test
    void takesTheGemeentecodeFromTaskOwnerIdentifierWhenOwnerIsALogicalReference() {
        Bundle bundle = TestBundles.valid();
        TestBundles.remove(bundle, TestBundles.gemeente(bundle));
        find(bundle, Task.class)
                .setOwner(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(PlanBundle.GEMEENTECODE_SYSTEM)
                                .setValue("0363")));

        PlanBundle plan = TestBundles.plan(bundle);

        assertThat(plan.gemeente()).isEmpty();
        assertThat(plan.gemeentecode()).contains("0363");
    }

    @Test
    void takesTheZorgorganisatieAgbFromTheOrganizationOfThePractitionerRole() {
        assertThat(TestBundles.plan().zorgorganisatieAgb()).contains(TestBundles.AGB);
    }

    @Test
    void reportsABundleThatIsNotATransaction() {
        Bundle bundle = TestBundles.valid();
        bundle.setType(Bundle.BundleType.COLLECTION);

        PlanBundle.Result result = PlanBundle.of(bundle);

        assertThat(result.plan()).isEmpty();
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.isError()).isTrue();
            assertThat(f.expression()).isEqualTo("Bundle.type");
            assertThat(f.message()).contains("'collection'", "transaction");
        });
    }

    @Test
    void reportsABundleWithoutTask() {
        Bundle bundle = TestBundles.valid();
        bundle.getEntry().remove(0);

        PlanBundle.Result result = PlanBundle.of(bundle);

        assertThat(result.plan()).isEmpty();
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.expression()).isEqualTo("Bundle.entry");
            assertThat(f.message()).contains("no Task");
        });
    }

    @Test
    void reportsEveryTaskWhenTheBundleHoldsSeveral() {
        Bundle bundle = TestBundles.valid();
        TestBundles.add(bundle, "second-task", find(bundle, Task.class).copy());

        PlanBundle.Result result = PlanBundle.of(bundle);

        assertThat(result.plan()).isEmpty();
        assertThat(result.findings())
                .extracting(Finding::expression)
                .containsExactly("Bundle.entry[0].resource", "Bundle.entry[22].resource");
    }

    @Test
    void reportsATaskFocusThatIsNotACarePlan() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Task.class).setFocus(TestBundles.ref("patient"));

        PlanBundle.Result result = PlanBundle.of(bundle);

        assertThat(result.plan()).isEmpty();
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.expression()).isEqualTo("Bundle.entry[0].resource.focus");
            assertThat(f.message()).contains("CarePlan", "Patient");
        });
    }

    @Test
    void reportsATaskFocusThatIsNotInTheBundle() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Task.class).setFocus(new Reference("CarePlan/elsewhere"));

        PlanBundle.Result result = PlanBundle.of(bundle);

        assertThat(result.plan()).isEmpty();
        assertThat(result.findings())
                .extracting(Finding::expression)
                .containsExactly("Bundle.entry[0].resource.focus.reference");
    }

    @Test
    void reportsADanglingReferenceWithItsExactPath() {
        Bundle bundle = TestBundles.valid();
        find(bundle, CarePlan.class)
                .getSupportingInfo()
                .get(3)
                .setReference("urn:uuid:00000000-0000-0000-0000-000000000000");

        PlanBundle.Result result = PlanBundle.of(bundle);

        assertThat(result.plan()).isEmpty();
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.ERROR);
            assertThat(f.code()).isEqualTo("not-found");
            assertThat(f.expression()).isEqualTo("Bundle.entry[6].resource.supportingInfo[3].reference");
            assertThat(f.message()).contains("urn:uuid:00000000-0000-0000-0000-000000000000");
        });
    }

    @Test
    void ignoresDanglingReferencesInResourcesOutsideThePlan() {
        Bundle bundle = TestBundles.valid();
        find(bundle, MedicationStatement.class).setInformationSource(new Reference("urn:uuid:not-sent"));

        assertThat(PlanBundle.of(bundle).isPlan()).isTrue();
    }

    @Test
    void reportsATaskOwnerThatIdentifiesNoGemeente() {
        Bundle bundle = TestBundles.valid();
        TestBundles.gemeente(bundle).getIdentifier().clear();

        PlanBundle.Result result = PlanBundle.of(bundle);

        assertThat(result.findings()).extracting(Finding::expression).containsExactly("Bundle.entry[0].resource.owner");
    }

    @Test
    void leavesTheUnreferencedMedicationStatementOutOfThePlan() {
        Bundle bundle = TestBundles.valid();

        PlanBundle plan = TestBundles.plan(bundle);

        assertThat(plan.referencedByPlan()).doesNotContain(find(bundle, MedicationStatement.class));
    }

    @Test
    void neverFollowsAReferenceToAResourceTypeOutsideThePlan() {
        Bundle bundle = TestBundles.valid();
        MedicationStatement medication = find(bundle, MedicationStatement.class);
        find(bundle, Condition.class).addEvidence().addDetail(new Reference(TestBundles.fullUrlOf(bundle, medication)));

        PlanBundle plan = TestBundles.plan(bundle);

        assertThat(plan.referencedByPlan()).doesNotContain(medication);
    }

    @Test
    void includesEveryResourceOfThePlanAndTheConsentAndMantelzorgerAboutTheClient() {
        Bundle bundle = TestBundles.valid();

        PlanBundle plan = TestBundles.plan(bundle);

        assertThat(plan.referencedByPlan())
                .hasSize(bundle.getEntry().size() - 1)
                .contains(find(bundle, Consent.class), find(bundle, RelatedPerson.class));
    }

    @Test
    void leavesAConsentAboutAnotherPatientOutOfThePlan() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Consent.class)
                .setPatient(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(PlanBundle.BSN_SYSTEM)
                                .setValue("111222333")));

        PlanBundle plan = TestBundles.plan(bundle);

        assertThat(plan.referencedByPlan()).doesNotContain(find(bundle, Consent.class));
        assertThat(plan.consents()).containsExactly(find(bundle, Consent.class));
    }

    @Test
    void givesTheFhirPathOfAResourceInTheBundle() {
        Bundle bundle = TestBundles.valid();

        PlanBundle plan = TestBundles.plan(bundle);

        assertThat(plan.pathOf(plan.carePlan()))
                .isEqualTo("Bundle.entry[6].resource")
                .isEqualTo(pathOf(bundle, find(bundle, CarePlan.class)));
    }

    @Test
    void reportsACarePlanThatIsPartOfItselfAtTheReference() {
        Bundle bundle = TestBundles.valid();
        CarePlan carePlan = find(bundle, CarePlan.class);
        carePlan.addPartOf(TestBundles.ref("careplan"));

        PlanBundle.Result result = PlanBundle.of(bundle);

        assertThat(result.isPlan()).isFalse();
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.expression()).isEqualTo(pathOf(bundle, carePlan) + ".partOf[0]");
            assertThat(f.message()).contains("refers to itself");
        });
    }

    @Test
    void reportsObservationsThatAreMembersOfEachOtherAsACycle() {
        Bundle bundle = TestBundles.valid();
        org.hl7.fhir.r4.model.Observation zrm = TestBundles.observation(bundle, "zrm-score");
        org.hl7.fhir.r4.model.Observation eigenKracht = TestBundles.observation(bundle, "eigen-kracht");
        zrm.addHasMember(new Reference(TestBundles.fullUrlOf(bundle, eigenKracht)));
        eigenKracht.addHasMember(new Reference(TestBundles.fullUrlOf(bundle, zrm)));

        PlanBundle.Result result = PlanBundle.of(bundle);

        assertThat(result.isPlan()).isFalse();
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.expression()).endsWith(".resource.hasMember[0]");
            assertThat(f.message())
                    .contains("closes a cycle")
                    .contains(pathOf(bundle, zrm).replace(".resource", ""))
                    .contains(pathOf(bundle, eigenKracht).replace(".resource", ""));
        });
    }

    @Test
    void aServiceRequestBasedOnTheCarePlanThatListsItIsNoCycle() {
        Bundle bundle = TestBundles.valid();
        find(bundle, ServiceRequest.class).addBasedOn(TestBundles.ref("careplan"));

        assertThat(PlanBundle.of(bundle).findings()).isEmpty();
    }

    @Test
    void aChainThatDoesNotCloseIsFine() {
        Bundle bundle = TestBundles.valid();
        org.hl7.fhir.r4.model.Observation zrm = TestBundles.observation(bundle, "zrm-score");
        org.hl7.fhir.r4.model.Observation eigenKracht = TestBundles.observation(bundle, "eigen-kracht");
        org.hl7.fhir.r4.model.Observation netwerk = TestBundles.observation(bundle, "sociaal-netwerk");
        zrm.addHasMember(new Reference(TestBundles.fullUrlOf(bundle, eigenKracht)))
                .addHasMember(new Reference(TestBundles.fullUrlOf(bundle, netwerk)));
        eigenKracht.addDerivedFrom(new Reference(TestBundles.fullUrlOf(bundle, netwerk)));

        assertThat(PlanBundle.of(bundle).findings()).isEmpty();
    }
}
