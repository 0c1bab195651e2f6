package nl.wmogateway.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import nl.wmogateway.store.OutboundMessage;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/** The integrator watches traffic and replays what failed, over the same mutual TLS. */
class OperatorApiTest extends GatewayTestBase {

    @org.springframework.beans.factory.annotation.Autowired
    private nl.wmogateway.store.AuditLog audit;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aRequestTheGemeenteRefusedIsDeliveredOnceTheOperatorReplaysIt() throws Exception {
        GEMEENTE.resetAll();
        GEMEENTE.stubFor(post(urlEqualTo("/wmo/ondersteuningsplannen"))
                .willReturn(aResponse().withStatus(400).withBody("endpoint tijdelijk verkeerd geconfigureerd")));
        String taskId = submit(Requests.fresh());
        awaitBusinessStatus(taskId, "rejected");

        GEMEENTE.resetAll();
        GEMEENTE.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
        HttpResponse<String> replay =
                send(TestPkiFiles.OPERATOR, "POST", "/admin/requests/" + taskId + "/replay?reason=endpoint%20hersteld");

        assertThat(replay.statusCode()).isEqualTo(202);
        awaitBusinessStatus(taskId, "delivered");
        JsonNode detail = json.readTree(
                send(TestPkiFiles.OPERATOR, "GET", "/admin/requests/" + taskId).body());
        assertThat(detail.at("/request/status").asText()).isEqualTo("delivered");
        assertThat(detail.get("outbound").findValuesAsText("lastStatus")).contains("400", "202");
        assertThat(detail.get("audit").findValuesAsText("action")).contains("SUBMIT", "REPLAY", "DELIVER");
        assertThat(detail.get("audit").findValuesAsText("actor")).contains("operator:test-integrator");
    }

    @Test
    void aWmo301TheCareOrganisationRefusedIsSentAgainOnceTheOperatorReplaysIt() throws Exception {
        ZORG.resetAll();
        ZORG.stubFor(post(urlEqualTo("/iwmo/wmo301"))
                .willReturn(aResponse().withStatus(400).withBody("tijdelijk dicht")));
        String taskId = submit(Requests.fresh());
        awaitBusinessStatus(taskId, "delivered");
        grantFirstRejectSecond(taskId, 7001);
        String messageId = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> store.outbound(taskId).stream()
                                .filter(m -> "WMO301".equals(m.rendering()) && "FAILED".equals(m.state()))
                                .map(OutboundMessage::id)
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();

        ZORG.resetAll();
        ZORG.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
        HttpResponse<String> replay =
                send(TestPkiFiles.OPERATOR, "POST", "/admin/messages/" + messageId + "/replay?reason=weer%20open");

        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "DELIVERED"
                        .equals(store.message(messageId).orElseThrow().state()));
        assertThat(send(TestPkiFiles.OPERATOR, "POST", "/admin/messages/" + messageId + "/replay?reason=weer%20open")
                        .statusCode())
                .isEqualTo(409);
    }

    @Test
    void theOperatorStopsTheRetriesOfAGemeenteThatIsDownAndReleasesThemOnceItIsBack() throws Exception {
        GEMEENTE.resetAll();
        GEMEENTE.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        String taskId = submit(Requests.fresh());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> store.request(taskId).orElseThrow().deliveryAttempts() > 0);
        JsonNode overview = json.readTree(
                send(TestPkiFiles.OPERATOR, "GET", "/admin/overzicht").body());
        assertThat(overview.get("falend").findValuesAsText("id")).contains(taskId);

        HttpResponse<String> cancel = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> send(
                                TestPkiFiles.OPERATOR,
                                "POST",
                                "/admin/deliveries/" + taskId + "/cancel?reason=gemeente%20in%20onderhoud"),
                        r -> r.statusCode() != 409);

        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        assertThat(json.readTree(cancel.body()).get("state").asText()).isEqualTo("parked");
        assertThat(store.request(taskId).orElseThrow().status().name()).isEqualTo("FAILED");
        assertThat(audit.forRequest(taskId)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("CANCEL_RETRIES");
            assertThat(e.actor()).isEqualTo("operator:test-integrator");
            assertThat(e.detail().orElse("")).contains("gemeente in onderhoud");
        });
        int callsWhenParked = GEMEENTE.getAllServeEvents().size();
        Thread.sleep(1500);
        assertThat(GEMEENTE.getAllServeEvents()).hasSize(callsWhenParked);

        GEMEENTE.resetAll();
        GEMEENTE.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
        HttpResponse<String> release = send(
                TestPkiFiles.OPERATOR, "POST", "/admin/deliveries/" + taskId + "/release?reason=weer%20bereikbaar");
        assertThat(release.statusCode()).as(release.body()).isEqualTo(202);
        awaitBusinessStatus(taskId, "delivered");
        assertThat(send(TestPkiFiles.OPERATOR, "POST", "/admin/deliveries/" + taskId + "/cancel?reason=nogmaals")
                        .statusCode())
                .isEqualTo(409);
        HttpResponse<String> withoutReason =
                send(TestPkiFiles.OPERATOR, "POST", "/admin/deliveries/" + taskId + "/cancel");
        assertThat(withoutReason.statusCode()).isEqualTo(400);
    }

    @Test
    void aDeliveredRequestIsNotReplayed() throws Exception {
        String taskId = submit(Requests.fresh());
        awaitBusinessStatus(taskId, "delivered");

        assertThat(send(
                                TestPkiFiles.OPERATOR,
                                "POST",
                                "/admin/requests/" + taskId + "/replay?reason=endpoint%20hersteld")
                        .statusCode())
                .isEqualTo(409);
    }

    @Test
    void theTrafficListsCarryNoClientData() throws Exception {
        Bundle bundle = Requests.fresh();
        String taskId = submit(bundle);
        awaitBusinessStatus(taskId, "delivered");

        HttpResponse<String> requests = send(TestPkiFiles.OPERATOR, "GET", "/admin/requests?limit=20");
        HttpResponse<String> inbound = send(TestPkiFiles.OPERATOR, "GET", "/admin/inbound?limit=20");

        assertThat(requests.statusCode()).isEqualTo(200);
        assertThat(requests.body()).contains(taskId).doesNotContain(Requests.bsn(bundle));
        assertThat(inbound.statusCode()).isEqualTo(200);
        assertThat(inbound.body()).contains("ACCEPTED").doesNotContain(Requests.bsn(bundle));
    }

    @Test
    void thePilotFiguresCountRequestsLeadTimeAndPlansThatCameBack() throws Exception {
        GEMEENTE.resetAll();
        GEMEENTE.stubFor(post(urlEqualTo("/wmo/ondersteuningsplannen"))
                .willReturn(aResponse().withStatus(422).withBody("onvolledig")));
        awaitBusinessStatus(submit(Requests.fresh()), "rejected");

        JsonNode figures = json.readTree(
                send(TestPkiFiles.OPERATOR, "GET", "/admin/statistiek").body());

        JsonNode enschede = null;
        for (JsonNode g : figures) {
            if ("0153".equals(g.get("gemeentecode").asText())) {
                enschede = g;
            }
        }
        assertThat(enschede).isNotNull();
        assertThat(enschede.get("aanvragen").asLong()).isPositive();
        assertThat(enschede.get("teruggestuurd").asLong()).isPositive();
        assertThat(enschede.at("/perStatus/rejected").asLong()).isPositive();
        assertThat(send(TestPkiFiles.OPERATOR, "GET", "/actuator/metrics/wmo.aanvragen")
                        .body())
                .contains("wmo.aanvragen");
    }

    @Test
    void aPartnerMayProbeHealthButNotReadMetricsAndTheRefusalIsAudited() throws Exception {
        assertThat(send(TestPkiFiles.EHR, "GET", "/actuator/health").statusCode())
                .isEqualTo(200);
        assertThat(send(TestPkiFiles.GEMEENTE, "GET", "/actuator/health/readiness")
                        .statusCode())
                .isEqualTo(200);

        assertThat(send(TestPkiFiles.EHR, "GET", "/actuator/metrics").statusCode())
                .isEqualTo(403);
        assertThat(send(TestPkiFiles.GEMEENTE, "GET", "/actuator/metrics/wmo.aanvragen")
                        .statusCode())
                .isEqualTo(403);
        assertThat(send(TestPkiFiles.OPERATOR, "GET", "/actuator/metrics").statusCode())
                .isEqualTo(200);
        assertThat(audit.recent(200)).anySatisfy(e -> {
            assertThat(e.actor()).isEqualTo(TestPkiFiles.EHR_SUBJECT);
            assertThat(e.action()).isEqualTo("ACTUATOR");
            assertThat(e.outcome()).isEqualTo("REFUSED");
            assertThat(e.detail().orElse("")).contains("GET /actuator/metrics");
        });
    }

    @Test
    void aCareOrganisationCannotUseTheOperatorApi() throws Exception {
        assertThat(send(TestPkiFiles.EHR, "GET", "/admin/requests").statusCode())
                .isEqualTo(403);
        assertThat(send(TestPkiFiles.EHR, "POST", "/admin/requests/x/replay").statusCode())
                .isEqualTo(403);
    }

    private HttpResponse<String> send(Path keystore, String method, String path) throws Exception {
        return jdkClient(keystore)
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
