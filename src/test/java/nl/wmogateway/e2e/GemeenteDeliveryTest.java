package nl.wmogateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/** Delivery to a gemeente that is down, overloaded, or refuses the message. */
class GemeenteDeliveryTest extends GatewayTestBase {

    @Test
    void aRequestWaitsWhileTheGemeenteIsDownAndIsDeliveredWhenItIsBack() {
        gemeenteDown();
        String taskId = submit(Requests.fresh());

        Task waiting = awaitBusinessStatus(taskId, "retrying");
        assertThat(waiting.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(waiting.getStatusReason().getText()).contains("unreachable").contains("will retry");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> store.request(taskId).orElseThrow().deliveryAttempts() >= 3);

        gemeenteBack();

        awaitBusinessStatus(taskId, "delivered");
        assertThat(GEMEENTE.findAll(postRequestedFor(urlEqualTo("/wmo/iwmo/wmo315"))
                        .withHeader("X-Wmo-Request-Id", equalTo(taskId))))
                .hasSize(1);
    }

    @Test
    void aServerErrorIsRetriedWithTheSameMessage() {
        GEMEENTE.resetAll();
        GEMEENTE.stubFor(post(urlEqualTo("/wmo/ondersteuningsplannen"))
                .inScenario("overloaded")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("recovered"));
        GEMEENTE.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(202)));

        String taskId = submit(Requests.fresh());

        awaitBusinessStatus(taskId, "delivered");
        var attempts = GEMEENTE.findAll(postRequestedFor(urlEqualTo("/wmo/ondersteuningsplannen"))
                .withHeader("X-Wmo-Request-Id", equalTo(taskId)));
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).getHeader("Idempotency-Key"))
                .isEqualTo(attempts.get(1).getHeader("Idempotency-Key"));
        assertThat(attempts.get(0).getBody()).isEqualTo(attempts.get(1).getBody());
    }

    @Test
    void aGemeenteThatRefusesTheMessageEndsTheTaskRejectedWithItsReasonAndNoRetry() {
        GEMEENTE.resetAll();
        GEMEENTE.stubFor(post(urlEqualTo("/wmo/ondersteuningsplannen"))
                .willReturn(aResponse()
                        .withStatus(422)
                        .withBody("{\"reden\":\"productcode 02A01 is bij ons niet bekend\"}")));

        String taskId = submit(Requests.fresh());

        Task task = awaitBusinessStatus(taskId, "rejected");
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REJECTED);
        assertThat(task.getStatusReason().getText())
                .contains("HTTP 422")
                .contains("productcode 02A01 is bij ons niet bekend");
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() ->
                        GEMEENTE.findAll(postRequestedFor(anyUrl()).withHeader("X-Wmo-Request-Id", equalTo(taskId)))
                                        .size()
                                == 1);
    }
}
