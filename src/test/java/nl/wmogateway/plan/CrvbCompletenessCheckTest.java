package nl.wmogateway.plan;

import static nl.wmogateway.fixtures.TestBundles.find;
import static nl.wmogateway.fixtures.TestBundles.observation;
import static nl.wmogateway.fixtures.TestBundles.pathOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

class CrvbCompletenessCheckTest {

    private static final String CAREPLAN = "Bundle.entry[6].resource";

    private final CrvbCompletenessCheck check = new CrvbCompletenessCheck();

    private List<Finding> check(Bundle bundle) {
        return check.check(TestBundles.plan(bundle), Finding.Severity.ERROR);
    }

    @Test
    void findsNothingMissingInACompletePlan() {
        assertThat(check(TestBundles.valid())).isEmpty();
    }

    @Test
    void namesStep1WhenTheHulpvraagIsBlank() {
        Bundle bundle = TestBundles.valid();
        find(bundle, CarePlan.class).setDescription("  ");

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message()).startsWith("CRvB stap 1 (hulpvraag):");
            assertThat(f.expression()).isEqualTo(CAREPLAN + ".description");
            assertThat(f.code()).isEqualTo("required");
            assertThat(f.isError()).isTrue();
        });
    }

    @Test
    void namesStep2WhenThePlanDescribesNoLimitation() {
        Bundle bundle = TestBundles.valid();
        TestBundles.findAll(bundle, Condition.class).forEach(c -> TestBundles.remove(bundle, c));
        TestBundles.remove(bundle, observation(bundle, "zrm-score"));

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message()).startsWith("CRvB stap 2 (beperkingen):").contains("leefgebied");
            assertThat(f.expression()).isEqualTo(CAREPLAN + ".addresses");
        });
    }

    @Test
    void namesStep2WhenALimitationHasNoLeefgebied() {
        Bundle bundle = TestBundles.valid();
        Condition condition = find(bundle, Condition.class);
        condition.getCategory().clear();

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message()).startsWith("CRvB stap 2 (beperkingen):");
            assertThat(f.expression()).isEqualTo(pathOf(bundle, condition) + ".category");
        });
    }

    @Test
    void acceptsAZrmScoreAloneAsTheLimitation() {
        Bundle bundle = TestBundles.valid();
        TestBundles.findAll(bundle, Condition.class).forEach(c -> TestBundles.remove(bundle, c));

        assertThat(check(bundle)).isEmpty();
    }

    @Test
    void namesStep3WhenThePlanHasNoGoal() {
        Bundle bundle = TestBundles.valid();
        TestBundles.findAll(bundle, Goal.class).forEach(g -> TestBundles.remove(bundle, g));

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message()).startsWith("CRvB stap 3 (ondersteuningsbehoefte):");
            assertThat(f.expression()).isEqualTo(CAREPLAN + ".goal");
        });
    }

    @Test
    void namesStep3WhenAGoalHasNoDescription() {
        Bundle bundle = TestBundles.valid();
        Goal goal = find(bundle, Goal.class);
        goal.setDescription(new CodeableConcept());

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message()).startsWith("CRvB stap 3 (ondersteuningsbehoefte):");
            assertThat(f.expression()).isEqualTo(pathOf(bundle, goal) + ".description");
        });
    }

    @Test
    void namesStep4WhenTheVoorliggendVeldIsNotDescribed() {
        Bundle bundle = TestBundles.valid();
        TestBundles.remove(bundle, observation(bundle, "voorliggend-veld"));

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message())
                    .isEqualTo(
                            "CRvB stap 4 (eigen mogelijkheden): no Observation with code "
                                    + "plan-onderdeel#voorliggend-veld: describe which voorliggende voorzieningen were explored");
            assertThat(f.expression()).isEqualTo(CAREPLAN + ".supportingInfo");
        });
    }

    @Test
    void namesStep4WhenEigenKrachtIsBlank() {
        Bundle bundle = TestBundles.valid();
        Observation eigenKracht = observation(bundle, "eigen-kracht");
        eigenKracht.setValue(new StringType(""));

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message())
                    .startsWith("CRvB stap 4 (eigen mogelijkheden):")
                    .contains("eigen-kracht");
            assertThat(f.expression()).isEqualTo(pathOf(bundle, eigenKracht) + ".value");
        });
    }

    @Test
    void namesStep5WhenNoMaatwerkvoorzieningIsRequested() {
        Bundle bundle = TestBundles.valid();
        TestBundles.findAll(bundle, ServiceRequest.class).forEach(s -> TestBundles.remove(bundle, s));

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message()).startsWith("CRvB stap 5 (maatwerkvoorziening):");
            assertThat(f.expression()).isEqualTo(CAREPLAN + ".activity");
        });
    }

    @Test
    void namesStep5WhenAMaatwerkvoorzieningIsNotMotivated() {
        Bundle bundle = TestBundles.valid();
        ServiceRequest request = TestBundles.serviceRequest(bundle, "01A01");
        request.getReasonCode().clear();

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message())
                    .startsWith("CRvB stap 5 (maatwerkvoorziening):")
                    .contains("reasonCode.text");
            assertThat(f.expression()).isEqualTo(pathOf(bundle, request) + ".reasonCode");
        });
    }

    @Test
    void namesStep5WhenAMaatwerkvoorzieningHasNoProductcategorie() {
        Bundle bundle = TestBundles.valid();
        ServiceRequest request = TestBundles.serviceRequest(bundle, "02A01");
        request.getCode().getCoding().removeIf(c -> c.getSystem().endsWith("iwmo-productcategorie"));

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message())
                    .startsWith("CRvB stap 5 (maatwerkvoorziening):")
                    .contains("productcategorie");
            assertThat(f.expression()).isEqualTo(pathOf(bundle, request) + ".code");
        });
    }

    @Test
    void namesSamenIndicerenWhenTheRequesterIsNoPractitionerRole() {
        Bundle bundle = TestBundles.valid();
        Task task = find(bundle, Task.class);
        task.setRequester(TestBundles.ref("practitioner"));

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message()).startsWith("Samen indiceren:").contains("PractitionerRole");
            assertThat(f.expression()).isEqualTo("Bundle.entry[0].resource.requester");
        });
    }

    @Test
    void namesSamenIndicerenWhenTheReasonIsMissing() {
        Bundle bundle = TestBundles.valid();
        TestBundles.remove(bundle, observation(bundle, "reden-samen-indiceren"));

        assertThat(check(bundle)).singleElement().satisfies(f -> {
            assertThat(f.message()).startsWith("Samen indiceren:").contains("plan-onderdeel#reden-samen-indiceren");
            assertThat(f.expression()).isEqualTo(CAREPLAN + ".supportingInfo");
        });
    }

    @Test
    void reportsMissingPartsAsWarningsWhenTheGemeenteLetsThemPass() {
        Bundle bundle = TestBundles.valid();
        TestBundles.remove(bundle, observation(bundle, "voorliggend-veld"));
        find(bundle, CarePlan.class).setDescription(null);

        List<Finding> findings = check.check(TestBundles.plan(bundle), Finding.Severity.WARNING);

        assertThat(findings).hasSize(2).allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(f.isError()).isFalse();
        });
    }
}
