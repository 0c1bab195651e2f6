package nl.wmogateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.wmogateway.store.DeliveryJobs;
import nl.wmogateway.support.GatewayTestSupport;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Delivery as partners see it, run on each combination of engines (embedded, or PostgreSQL and an
 * external Artemis): a refusal ends it, a 5xx is retried with the same message and key, a gemeente
 * whose endpoint hangs holds up only its own deliveries, and a delivery that fails every time is
 * parked after its attempts without blocking the ones behind it. A gateway of its own, with
 * {@link #SETTINGS}: three attempts, a 2 s timeout.
 */
abstract class DeliveryBehaviour extends GatewayTestSupport {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Map<String, String> SETTINGS = Map.of(
            "wmo.delivery.max-attempts", "3",
            "wmo.delivery.timeout", TIMEOUT.toMillis() + "ms",
            "wmo.delivery.consumers-per-partner", "2");

    static Path workDirectory(String name) {
        try {
            return Files.createTempDirectory(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aServerErrorIsRetriedWithTheSameMessageAndKey() {
        stubs.add(GEMEENTE.stubFor(post(urlEqualTo("/wmo/ondersteuningsplannen"))
                .atPriority(1)
                .inScenario("overloaded")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("recovered")));
        String taskId = submit(Requests.fresh());

        awaitBusinessStatus(taskId, "delivered");
        var attempts = GEMEENTE.findAll(postRequestedFor(urlEqualTo("/wmo/ondersteuningsplannen"))
                .withHeader("X-Wmo-Request-Id", equalTo(taskId)));
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).getHeader("Idempotency-Key"))
                .isEqualTo(attempts.get(1).getHeader("Idempotency-Key"));
        assertThat(attempts.get(0).getBody()).isEqualTo(attempts.get(1).getBody());
        // every attempt recorded: the refused one(s) first (a slow first handshake may add a timeout), then both
        // renderings
        List<java.util.Optional<String>> outcomes = jobs.attempts(taskId).stream()
                .map(DeliveryJobs.Attempt::outcome)
                .toList();
        assertThat(outcomes).contains(java.util.Optional.of("RETRY"));
        assertThat(outcomes.subList(outcomes.size() - 2, outcomes.size()))
                .containsExactly(java.util.Optional.of("DELIVERED"), java.util.Optional.of("DELIVERED"));
    }

    @Test
    void aRefusalEndsTheDeliveryWithoutRetry() {
        stubs.add(GEMEENTE.stubFor(post(urlEqualTo("/wmo/ondersteuningsplannen"))
                .atPriority(1)
                .willReturn(aResponse().withStatus(422).withBody("productcode onbekend"))));
        String taskId = submit(Requests.fresh());

        awaitBusinessStatus(taskId, "rejected");
        assertThat(jobs.job(taskId).orElseThrow().state()).isEqualTo(DeliveryJobs.State.DONE);
        assertThat(GEMEENTE.findAll(postRequestedFor(urlEqualTo("/wmo/ondersteuningsplannen"))
                        .withHeader("X-Wmo-Request-Id", equalTo(taskId))))
                .hasSize(1);
    }

    @Autowired
    DeliveryJobs jobs;

    final List<StubMapping> stubs = new ArrayList<>();

    @AfterEach
    void removeStubs() {
        stubs.forEach(GEMEENTE::removeStub);
        stubs.clear();
    }

    @Test
    void aGemeenteThatHangsDoesNotDelayDeliveriesToAnotherGemeente() {
        List<Long> before = timesToDelivery(3);

        // gemeente 0363 answers only after the gateway's timeout: every attempt holds a consumer for 2 s
        stubs.add(GEMEENTE.stubFor(post(urlPathMatching("/g0363/.*"))
                .atPriority(1)
                .willReturn(aResponse().withStatus(202).withFixedDelay((int) TIMEOUT.toMillis() + 1000))));
        List<String> hanging = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            hanging.add(submit(Requests.freshFor("0363")));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> GEMEENTE.findAll(postRequestedFor(urlPathMatching("/g0363/.*"))
                                                .withHeader("X-Wmo-Request-Id", equalTo(hanging.get(0))))
                                        .size()
                                + GEMEENTE.findAll(postRequestedFor(urlPathMatching("/g0363/.*"))
                                                .withHeader("X-Wmo-Request-Id", equalTo(hanging.get(1))))
                                        .size()
                        >= 2);

        List<Long> during = timesToDelivery(5);

        System.out.printf("delivery to 0153 in ms: before %s, while 0363 hangs %s%n", before, during);
        assertThat(Collections.max(during))
                .as(
                        "deliveries to 0153 while 0363 hangs (ms); a shared consumer would wait for a 0363 timeout of %d ms",
                        TIMEOUT.toMillis())
                .isLessThan(TIMEOUT.toMillis());
        assertThat(hanging)
                .allSatisfy(id -> assertThat(
                                store.request(id).orElseThrow().status().name())
                        .isIn("RECEIVED", "RETRYING", "FAILED"));
    }

    @Test
    void aDeliveryThatFailsEveryTimeIsParkedAndTheNextOneForTheSamePartnerIsDelivered() throws Exception {
        String marker = "poison-" + UUID.randomUUID();
        stubs.add(GEMEENTE.stubFor(post(urlEqualTo("/g0363/ondersteuningsplannen"))
                .atPriority(1)
                .withRequestBody(containing(marker))
                .willReturn(aResponse().withStatus(503))));
        Bundle poison = Requests.freshFor("0363");
        poison.getIdentifier().setValue(marker);
        String poisonId = submit(poison);
        String nextId = submit(Requests.freshFor("0363"));

        awaitBusinessStatus(nextId, "delivered");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> jobs.job(poisonId).orElseThrow().state() == DeliveryJobs.State.PARKED);
        awaitBusinessStatus(poisonId, "failed");
        DeliveryJobs.Job parked = jobs.job(poisonId).orElseThrow();
        assertThat(parked.attempts()).isEqualTo(3);
        assertThat(parked.lastError())
                .hasValueSatisfying(e -> assertThat(e).contains("HTTP 503").contains("parked after 3"));
        assertThat(jobs.attempts(poisonId))
                .extracting(DeliveryJobs.Attempt::httpStatus)
                .containsOnly(java.util.Optional.of(503));

        // visible per partner, and released by an operator once the gemeente is fixed
        HttpResponse<String> list = operatorGet("/admin/deliveries?state=parked&partner=0363");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(poisonId).doesNotContain(nextId);
        removeStubs();
        HttpResponse<String> released =
                operatorPost("/admin/deliveries/" + poisonId + "/release?reason=oorzaak%20verholpen");
        assertThat(released.statusCode()).as(released.body()).isEqualTo(202);
        awaitBusinessStatus(poisonId, "delivered");
        assertThat(jobs.job(poisonId).orElseThrow().state()).isEqualTo(DeliveryJobs.State.DONE);
    }

    /** Submits plans for 0153 one after another; for each, ms from the EHR's 201 to both renderings at the gemeente. */
    private List<Long> timesToDelivery(int plans) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < plans; i++) {
            String id = submit(Requests.fresh());
            long accepted = System.nanoTime();
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> GEMEENTE.findAll(postRequestedFor(urlPathMatching("/wmo/.*"))
                                            .withHeader("X-Wmo-Request-Id", equalTo(id)))
                                    .size()
                            >= 2);
            times.add((System.nanoTime() - accepted) / 1_000_000);
        }
        return times;
    }

    private HttpResponse<String> operatorGet(String path) throws IOException, InterruptedException {
        return jdkClient(TestPkiFiles.OPERATOR)
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> operatorPost(String path) throws IOException, InterruptedException {
        return jdkClient(TestPkiFiles.OPERATOR)
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
