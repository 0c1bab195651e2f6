package nl.wmogateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import nl.wmogateway.fixtures.TestBundles;
import nl.wmogateway.iwmo.IwmoSchemas;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/**
 * The real path: HAPI's FHIR client with the EHR's certificate → the gateway → a WireMock gemeente
 * that requires a client certificate.
 */
class OutboundRoundTripTest extends GatewayTestBase {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aPlanArrivesAtTheGemeenteWithEveryCrvbStepAndTheTaskEndsDelivered() throws Exception {
        Bundle bundle = Requests.fresh();
        String taskId = submit(bundle);

        Task task = awaitBusinessStatus(taskId, "delivered");
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.RECEIVED);

        JsonNode plan =
                json.readTree(delivered(taskId, "/wmo/ondersteuningsplannen").getBodyAsString());
        assertThat(plan.at("/client/bsn").asText()).isEqualTo(Requests.bsn(bundle));
        assertThat(plan.at("/gemeente/gemeentecode").asText()).isEqualTo("0153");
        assertThat(plan.at("/zorgorganisatie/agbCode").asText()).isEqualTo(TestBundles.AGB);
        JsonNode crvb = plan.get("crvb");
        assertThat(crvb.get("hulpvraag").asText()).isEqualTo(TestBundles.HULPVRAAG);
        assertThat(crvb.get("beperkingen")).isNotEmpty();
        assertThat(crvb.get("ondersteuningsbehoefte")).isNotEmpty();
        assertThat(crvb.at("/eigenMogelijkheden/eigenKracht").asText()).isEqualTo(TestBundles.EIGEN_KRACHT_TEKST);
        assertThat(crvb.at("/eigenMogelijkheden/sociaalNetwerk").asText()).isEqualTo(TestBundles.SOCIAAL_NETWERK_TEKST);
        assertThat(crvb.at("/eigenMogelijkheden/voorliggendVeld").asText())
                .isEqualTo(TestBundles.VOORLIGGEND_VELD_TEKST);
        JsonNode begeleiding = product(crvb.get("maatwerkvoorzieningen"), "02A01");
        assertThat(begeleiding.at("/omvang/volume").asInt()).isEqualTo(180);
        assertThat(begeleiding.at("/omvang/eenheid").asText()).isEqualTo("01");
        assertThat(begeleiding.at("/omvang/frequentie").asText()).isEqualTo("2");
        assertThat(begeleiding.has("einddatum")).isFalse();
        assertThat(begeleiding.get("evaluatiedatum").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(begeleiding.get("motivering").asText()).isNotBlank();
        assertThat(plan.at("/toestemming/ontvanger").asText()).isEqualTo("0153");
        assertThat(plan.at("/toestemming/formulier/sha256").asText()).hasSize(64);
        assertThat(plan.at("/toestemming/consentId").asText()).isEqualTo(TestBundles.CONSENT_IDENTIFIER);
    }

    @Test
    void nothingThePlanDoesNotNeedLeavesTheGateway() throws Exception {
        String taskId = submit(Requests.fresh());
        awaitBusinessStatus(taskId, "delivered");

        for (String path : List.of("/wmo/ondersteuningsplannen", "/wmo/iwmo/wmo315")) {
            String body = delivered(taskId, path).getBodyAsString();
            assertThat(body)
                    .doesNotContain(TestBundles.MEDICATIE)
                    .doesNotContain(TestBundles.MANTELZORGER_NAAM)
                    .doesNotContain(TestBundles.MANTELZORGER_TELEFOON)
                    .doesNotContain("%PDF");
        }
    }

    @Test
    void theDeliveredWmo315ValidatesAgainstTheOfficialIwmoSchema() throws Exception {
        IwmoSchemas.schema("WMO315"); // skips with a message where ../shared is absent
        Bundle bundle = Requests.fresh();
        String taskId = submit(bundle);
        awaitBusinessStatus(taskId, "delivered");

        LoggedRequest wmo315 = delivered(taskId, "/wmo/iwmo/wmo315");
        assertThat(wmo315.getHeader("Content-Type")).startsWith("application/xml");
        assertThat(IwmoSchemas.errors("WMO315", wmo315.getBody())).isEmpty();
        String xml = new String(wmo315.getBody(), StandardCharsets.UTF_8);
        assertThat(xml)
                .contains("<wmo315:Bsn>" + Requests.bsn(bundle) + "</wmo315:Bsn>")
                .contains("<wmo315:ReferentieAanbieder>" + taskId + "-1</wmo315:ReferentieAanbieder>")
                .contains("<iwmo:Volume>180</iwmo:Volume>");
    }

    @Test
    void submittingTheSameBundleTwiceGivesTheSameTaskAndOneDelivery() throws Exception {
        Bundle bundle = Requests.fresh();
        String first = submit(bundle);
        awaitBusinessStatus(first, "delivered");
        String second = submit(bundle);

        assertThat(second).isEqualTo(first);
        assertThat(GEMEENTE.findAll(postRequestedFor(urlEqualTo("/wmo/ondersteuningsplannen"))
                        .withHeader("X-Wmo-Request-Id", equalTo(first))))
                .hasSize(1);
    }

    @Test
    void anXmlSubmissionIsAcceptedLikeJson() throws Exception {
        String xml = FhirContext.forR4Cached().newXmlParser().encodeResourceToString(Requests.fresh());
        HttpResponse<String> response = postRaw(TestPkiFiles.EHR, "application/fhir+xml", xml);

        assertThat(response.statusCode()).isEqualTo(200);
        Bundle answer = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, response.body());
        String taskId = taskId(answer);
        awaitBusinessStatus(taskId, "delivered");
    }

    @Test
    void theCapabilityStatementSaysWhatIsSupported() {
        CapabilityStatement cs =
                ehr().capabilities().ofType(CapabilityStatement.class).execute();

        assertThat(cs.getInstantiates())
                .extracting(c -> c.getValue())
                .contains("https://wmo-gateway.nl/fhir/StructureDefinition/wmo-request-bundle");
        assertThat(cs.getRestFirstRep().getInteraction())
                .extracting(i -> i.getCode().toCode())
                .contains("transaction");
        assertThat(cs.getRestFirstRep().getResource())
                .extracting(r -> r.getType())
                .containsExactlyInAnyOrder("Task", "Consent");
        assertThat(cs.getRestFirstRep().getResource())
                .filteredOn(r -> "Task".equals(r.getType()))
                .singleElement()
                .satisfies(r -> assertThat(r.getInteraction())
                        .extracting(i -> i.getCode().toCode())
                        .containsExactly("read"));
        assertThat(cs.getRestFirstRep().getResource())
                .filteredOn(r -> "Consent".equals(r.getType()))
                .singleElement()
                .satisfies(r -> assertThat(r.getInteraction())
                        .extracting(i -> i.getCode().toCode())
                        .containsExactlyInAnyOrder("create", "update"));
    }

    @Test
    void anotherCareOrganisationCannotReadTheTask() {
        String taskId = submit(Requests.fresh());
        IGenericClient other = fhirClient(TestPkiFiles.OTHER_EHR);

        assertThatThrownBy(
                        () -> other.read().resource(Task.class).withId(taskId).execute())
                .isInstanceOf(ForbiddenOperationException.class);
    }

    @Override
    protected String submit(Bundle bundle) {
        Bundle response = ehr().transaction().withBundle(bundle).execute();
        assertThat(response.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        assertThat(response.getEntry()).hasSameSizeAs(bundle.getEntry());
        return taskId(response);
    }

    private static LoggedRequest delivered(String taskId, String path) {
        List<LoggedRequest> found =
                GEMEENTE.findAll(postRequestedFor(urlEqualTo(path)).withHeader("X-Wmo-Request-Id", equalTo(taskId)));
        assertThat(found).as("deliveries of %s to %s", taskId, path).hasSize(1);
        return found.get(0);
    }

    private static JsonNode product(JsonNode products, String code) {
        for (JsonNode p : products) {
            if (code.equals(p.path("productcode").asText())) {
                return p;
            }
        }
        throw new AssertionError("no product " + code + " in " + products);
    }
}
