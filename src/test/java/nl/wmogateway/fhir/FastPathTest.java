package nl.wmogateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nl.wmogateway.support.Requests;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fast path answers the plans EHRs send as HAPI does; the corpus is in {@code FastPathDifferentialTest}. */
class FastPathTest {

    private static final FhirContext CTX = FhirContext.forR4Cached();
    private static final Path PROFILES = Path.of("profiles");
    private static ProfileValidator validator;

    @BeforeAll
    static void warm() {
        validator = new ProfileValidator(CTX, PROFILES);
        validator.warmUp();
    }

    private static Bundle example() throws IOException {
        return CTX.newJsonParser()
                .parseResource(
                        Bundle.class, Files.readString(PROFILES.resolve("examples/bundle-samen-indiceren.json")));
    }

    @Test
    void the_fast_path_answers_the_example_with_hapis_one_warning() throws IOException {
        Bundle bundle = example();
        List<Finding> hapi = validator.validateWithHapi(bundle);
        assertThat(validator.fastPathDeferReason(bundle)).isNull();
        assertThat(validator.fastVerdict(bundle)).contains(hapi);
        assertThat(hapi).hasSize(1);
    }

    @Test
    void the_fast_path_answers_fresh_plans_as_hapi_does() {
        for (int i = 0; i < 5; i++) {
            Bundle bundle = Requests.fresh();
            List<Finding> hapi = validator.validateWithHapi(bundle);
            assertThat(validator.fastPathDeferReason(bundle)).isNull();
            assertThat(validator.fastVerdict(bundle)).contains(hapi);
        }
    }
}
