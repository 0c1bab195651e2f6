package nl.wmogateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProfileValidatorTest {

    private static final FhirContext CTX = FhirContext.forR4Cached();
    private static final Path PROFILES = Path.of("profiles");
    private static final Path EXAMPLE = PROFILES.resolve("examples/bundle-samen-indiceren.json");

    private static ProfileValidator validator;

    @BeforeAll
    static void loadTheProfilesAndWarmUp() {
        validator = new ProfileValidator(CTX, PROFILES);
        long start = System.nanoTime();
        validator.warmUp();
        System.out.printf(
                "ProfileValidator warm-up: %d ms (%d profiles)%n",
                (System.nanoTime() - start) / 1_000_000, validator.profileCount());
    }

    @Test
    void the_example_validates_with_no_errors() {
        List<Finding> findings = validator.validate(example());

        assertThat(findings).filteredOn(Finding::isError).isEmpty();
    }

    /**
     * The strict parser keeps a dateTime without seconds and a birthDate with a time, which HAPI's
     * model then cannot copy for its validator: the caller hears where the value is, on both paths.
     */
    @Test
    void a_dateTime_without_seconds_is_an_error_at_its_location() throws IOException {
        assertUncopyableValueIsLocated(
                "\"end\": \"2027-01-31\"",
                "\"end\": \"2027-01-31T10:30+01:00\"",
                "occurrenceTiming.repeat.boundsPeriod.end",
                "dateTime");
    }

    @Test
    void a_birthDate_with_a_time_is_an_error_at_its_location() throws IOException {
        assertUncopyableValueIsLocated(
                "\"birthDate\": \"1954-03-18\"", "\"birthDate\": \"1954-03-18T10:00:00+01:00\"", "birthDate", "date");
    }

    private static void assertUncopyableValueIsLocated(String from, String to, String path, String type)
            throws IOException {
        FhirContext strict = FhirContext.forR4();
        strict.setParserErrorHandler(new StrictErrorHandler());
        String json = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
        assertThat(json).contains(from);
        Bundle bundle = strict.newJsonParser().parseResource(Bundle.class, json.replace(from, to));

        for (List<Finding> findings : List.of(validator.validate(bundle), validator.validateWithHapi(bundle))) {
            assertThat(findings).singleElement().satisfies(f -> {
                assertThat(f.isError()).isTrue();
                assertThat(f.expression()).matches("Bundle\\.entry\\[\\d+]\\.resource\\." + path.replace(".", "\\."));
                assertThat(f.message()).contains("not a valid FHIR " + type);
            });
        }
    }

    @Test
    void a_BSN_that_fails_the_11_proef_is_an_error_located_at_the_patients_identifier() {
        Bundle bundle = example();
        Patient patient = first(bundle, Patient.class);
        patient.getIdentifierFirstRep().setValue("999911121");

        assertThat(errors(bundle)).singleElement().satisfies(f -> {
            assertThat(f.expression()).isEqualTo(resourcePath(bundle, patient) + ".identifier[0]");
            assertThat(f.message()).contains("wmo-bsn-1", "11-proef");
            assertThat(f.code()).isEqualTo("invalid");
        });
    }

    @Test
    void a_missing_CarePlan_description_is_an_error_at_that_path() {
        Bundle bundle = example();
        CarePlan carePlan = first(bundle, CarePlan.class);
        carePlan.setDescription(null);

        assertThat(errors(bundle)).singleElement().satisfies(f -> {
            assertThat(f.expression()).isEqualTo(resourcePath(bundle, carePlan) + ".description");
            assertThat(f.code()).isEqualTo("required");
        });
    }

    @Test
    void an_open_ended_ServiceRequest_without_evaluatiedatum_is_an_error() {
        Bundle bundle = example();
        ServiceRequest openEnded = serviceRequests(bundle).stream()
                .filter(sr ->
                        !sr.getOccurrenceTiming().getRepeat().getBoundsPeriod().hasEnd())
                .findFirst()
                .orElseThrow();
        openEnded.setExtension(new ArrayList<>());

        assertThat(errors(bundle)).singleElement().satisfies(f -> {
            assertThat(f.expression()).isEqualTo(resourcePath(bundle, openEnded));
            assertThat(f.message()).contains("wmo-sr-1", "evaluatiedatum");
        });
    }

    @Test
    void a_productcode_without_quantity_is_an_error() {
        Bundle bundle = example();
        ServiceRequest request = serviceRequests(bundle).get(0);
        assertThat(request.getCode().getCoding()).anyMatch(c -> c.getSystem().endsWith("/gemeente-productcode"));
        request.setQuantity(null);

        assertThat(errors(bundle)).singleElement().satisfies(f -> {
            assertThat(f.expression()).isEqualTo(resourcePath(bundle, request));
            assertThat(f.message()).contains("wmo-sr-2", "Omvang");
        });
    }

    @Test
    void a_gemeentecode_of_3_digits_is_an_error() {
        Bundle bundle = example();
        Organization gemeente = resources(bundle, Organization.class).stream()
                .filter(o -> o.getIdentifierFirstRep().getSystem().endsWith("/cbs-gemeentecode"))
                .findFirst()
                .orElseThrow();
        gemeente.getIdentifierFirstRep().setValue("153");

        assertThat(errors(bundle)).singleElement().satisfies(f -> {
            assertThat(f.expression()).isEqualTo(resourcePath(bundle, gemeente) + ".identifier[0]");
            assertThat(f.message()).contains("wmo-gem-1", "Gemeentecode", "4 digits");
        });
    }

    @Test
    void a_condition_the_plan_does_not_reference_is_accepted_without_a_leefgebied() {
        Bundle bundle = example();
        Condition diagnosis = new Condition();
        diagnosis.getCode().setText("CVA (herseninfarct), 2025");
        diagnosis.setSubject(new Reference(fullUrl(bundle, first(bundle, Patient.class))));
        bundle.addEntry()
                .setFullUrl("urn:uuid:3f0e1c9a-8a55-4c43-9d55-6f1a1c0d7e21")
                .setResource(diagnosis)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Condition");

        assertThat(errors(bundle)).isEmpty();
    }

    @Test
    void a_urn_reference_that_no_entry_resolves_is_an_error() {
        Bundle bundle = example();
        CarePlan carePlan = first(bundle, CarePlan.class);
        carePlan.getGoal().get(0).setReference("urn:uuid:00000000-0000-4000-8000-000000000000");

        assertThat(errors(bundle))
                .singleElement()
                .satisfies(f -> assertThat(f.expression()).isEqualTo(resourcePath(bundle, carePlan) + ".goal[0]"));
    }

    @Test
    void an_unparseable_profile_file_gives_a_clear_exception(@TempDir Path dir) throws IOException {
        try (Stream<Path> files = Files.list(PROFILES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        Files.writeString(
                dir.resolve("StructureDefinition-broken.json"),
                "{ \"resourceType\": \"StructureDefinition\", \"id\": \"broken\", \"url\": ",
                StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new ProfileValidator(CTX, dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("StructureDefinition-broken.json")
                .hasMessageContaining("Cannot load FHIR profile file");
    }

    @Test
    void the_callers_bundle_is_not_modified() {
        Bundle bundle = example();
        String before = CTX.newJsonParser().encodeResourceToString(bundle);

        validator.validate(bundle);

        assertThat(CTX.newJsonParser().encodeResourceToString(bundle)).isEqualTo(before);
        assertThat(bundle.getEntry())
                .allSatisfy(
                        e -> assertThat(e.getResource().getMeta().hasProfile()).isFalse());
    }

    @Test
    void the_example_validates_repeatedly_without_errors_after_warm_up() {
        Bundle bundle = example();
        for (int i = 0; i < 3; i++) {
            assertThat(validator.validate(bundle)).filteredOn(Finding::isError).isEmpty();
        }
    }

    @Test
    void a_birth_date_the_WMO315_would_refuse_is_an_error_at_Patient_birthDate() {
        for (String birthDate : List.of(
                java.time.LocalDate.now().plusYears(64).toString(),
                "1850-01-01",
                java.time.LocalDate.now().minusYears(121).toString(),
                "1950")) {
            Bundle bundle = example();
            Patient patient = first(bundle, Patient.class);
            patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(birthDate));

            assertThat(errors(bundle)).as(birthDate).singleElement().satisfies(f -> {
                assertThat(f.expression()).isEqualTo(resourcePath(bundle, patient) + ".birthDate");
                assertThat(f.message()).contains("wmo-pat-1", "120 years");
            });
        }
    }

    @Test
    void a_client_of_119_is_fine() {
        Bundle bundle = example();
        first(bundle, Patient.class)
                .setBirthDateElement(new org.hl7.fhir.r4.model.DateType(
                        java.time.LocalDate.now().minusYears(119).toString()));

        assertThat(errors(bundle)).isEmpty();
    }

    @Test
    void more_minutes_per_week_than_a_week_has_is_an_error_at_the_omvang() {
        Bundle bundle = example();
        ServiceRequest request = weekly(bundle);
        request.getQuantityQuantity().setValue(100_000);

        assertThat(errors(bundle)).singleElement().satisfies(f -> {
            assertThat(f.expression()).isEqualTo(resourcePath(bundle, request) + ".quantity.ofType(Quantity)");
            assertThat(f.message()).contains("wmo-sr-5", "10080 per week");
        });
    }

    @Test
    void a_whole_week_of_minutes_is_the_most_there_is() {
        Bundle bundle = example();
        weekly(bundle).getQuantityQuantity().setValue(10_080);

        assertThat(errors(bundle)).isEmpty();
    }

    @Test
    void more_hours_per_day_than_a_day_has_is_an_error() {
        Bundle bundle = example();
        ServiceRequest request = weekly(bundle);
        request.getQuantityQuantity().setValue(25).setCode("04");
        request.getOccurrenceTiming().getRepeat().setPeriodUnit(org.hl7.fhir.r4.model.Timing.UnitsOfTime.D);

        assertThat(errors(bundle))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("wmo-sr-6", "24 per day"));
    }

    @Test
    void a_fullUrl_on_another_server_is_an_error_at_that_fullUrl() {
        Bundle bundle = example();
        Organization gemeente = resources(bundle, Organization.class).get(0);
        String old = fullUrl(bundle, gemeente);
        String other = "https://fhir.elders.example/Organization/1";
        int index = bundle.getEntry()
                .indexOf(bundle.getEntry().stream()
                        .filter(e -> e.getResource() == gemeente)
                        .findFirst()
                        .orElseThrow());
        bundle.getEntry().get(index).setFullUrl(other);
        gemeente.setId("1");
        bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .forEach(r -> CTX.newTerser().getAllPopulatedChildElementsOfType(r, Reference.class).stream()
                        .filter(ref -> old.equals(ref.getReference()))
                        .forEach(ref -> ref.setReference(other)));

        assertThat(errors(bundle)).anySatisfy(f -> {
            assertThat(f.expression()).isEqualTo("Bundle.entry[" + index + "].fullUrl");
            assertThat(f.message()).contains("wmo-bundle-1", "urn:uuid");
        });
    }

    @Test
    void a_requested_start_date_without_a_day_is_an_error() {
        Bundle bundle = example();
        ServiceRequest request = weekly(bundle);
        request.getOccurrenceTiming()
                .getRepeat()
                .getBoundsPeriod()
                .setStartElement(new org.hl7.fhir.r4.model.DateTimeType("2026-04"));

        assertThat(errors(bundle))
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("wmo-sr-9", "full date"));
    }

    @Test
    void a_family_name_on_two_lines_is_an_error_at_the_name() {
        Bundle bundle = example();
        Patient patient = first(bundle, Patient.class);
        patient.getNameFirstRep().setFamily("de\nVries");

        assertThat(errors(bundle)).singleElement().satisfies(f -> {
            assertThat(f.expression()).isEqualTo(resourcePath(bundle, patient) + ".name[0]");
            assertThat(f.message()).contains("wmo-pat-2");
        });
    }

    /** The example's maatwerkvoorziening in minutes per week. */
    private static ServiceRequest weekly(Bundle bundle) {
        return serviceRequests(bundle).stream()
                .filter(sr -> "01".equals(sr.getQuantityQuantity().getCode())
                        && sr.getOccurrenceTiming().getRepeat().getPeriodUnit()
                                == org.hl7.fhir.r4.model.Timing.UnitsOfTime.WK)
                .findFirst()
                .orElseThrow();
    }

    private static Bundle example() {
        try {
            return CTX.newJsonParser().parseResource(Bundle.class, Files.readString(EXAMPLE, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Finding> errors(Bundle bundle) {
        return validator.validate(bundle).stream().filter(Finding::isError).toList();
    }

    private static <T extends Resource> List<T> resources(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    private static <T extends Resource> T first(Bundle bundle, Class<T> type) {
        return resources(bundle, type).get(0);
    }

    private static List<ServiceRequest> serviceRequests(Bundle bundle) {
        return resources(bundle, ServiceRequest.class);
    }

    private static String resourcePath(Bundle bundle, Resource resource) {
        List<Bundle.BundleEntryComponent> entries = bundle.getEntry();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).getResource() == resource) {
                return "Bundle.entry[" + i + "].resource";
            }
        }
        throw new IllegalArgumentException("not in the bundle: " + resource);
    }

    private static String fullUrl(Bundle bundle, Resource resource) {
        return bundle.getEntry().stream()
                .filter(e -> e.getResource() == resource)
                .findFirst()
                .orElseThrow()
                .getFullUrl();
    }
}
