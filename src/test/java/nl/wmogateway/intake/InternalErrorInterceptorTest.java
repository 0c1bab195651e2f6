package nl.wmogateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.nio.charset.StandardCharsets;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.Outcomes;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletConfig;

@ExtendWith(OutputCaptureExtension.class)
class InternalErrorInterceptorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    /** A transaction endpoint that fails as the intake does when something inside breaks. */
    public static class FailingProvider {
        private final RuntimeException failure;

        public FailingProvider(RuntimeException failure) {
            this.failure = failure;
        }

        @Transaction
        public Bundle transaction(@TransactionParam Bundle bundle) {
            throw failure;
        }
    }

    private static MockHttpServletResponse post(RuntimeException failure) throws Exception {
        RestfulServer server = new RestfulServer(FHIR);
        server.registerProvider(new FailingProvider(failure));
        server.registerInterceptor(new InternalErrorInterceptor());
        server.init(new MockServletConfig());
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/fhir");
        request.setServletPath("/fhir");
        request.setContentType("application/fhir+json");
        request.addHeader("Accept", "application/fhir+json");
        request.setContent("{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}".getBytes(StandardCharsets.UTF_8));
        MockHttpServletResponse response = new MockHttpServletResponse();
        server.service(request, response);
        return response;
    }

    @Test
    void anUnexpectedFailureIsA500WithAReferenceAndNoInternals(CapturedOutput log) throws Exception {
        MockHttpServletResponse response = post(new IllegalStateException(
                "org.apache.camel.CamelExecutionException: Exception occurred during execution on the exchange"));

        assertThat(response.getStatus()).isEqualTo(500);
        String body = response.getContentAsString(StandardCharsets.UTF_8);
        OperationOutcome oo = FHIR.newJsonParser().parseResource(OperationOutcome.class, body);
        String diagnostics = oo.getIssueFirstRep().getDiagnostics();
        assertThat(diagnostics).matches("internal error, reference [0-9a-z]{12}");
        assertThat(body).doesNotContain("Camel", "IllegalState", "HAPI-", "exchange");
        String reference = diagnostics.substring(diagnostics.lastIndexOf(' ') + 1);
        assertThat(log.getOut()).contains("reference " + reference).contains("CamelExecutionException");
    }

    @Test
    void aRefusalTheGatewayChoseKeepsItsOutcome() throws Exception {
        OperationOutcome refusal =
                Outcomes.of(java.util.List.of(Finding.error("invalid", "BSN fails the 11-proef", "Bundle")));

        MockHttpServletResponse response = post(new UnprocessableEntityException(FHIR, refusal));

        assertThat(response.getStatus()).isEqualTo(422);
        assertThat(response.getContentAsString(StandardCharsets.UTF_8)).contains("11-proef");
    }
}
