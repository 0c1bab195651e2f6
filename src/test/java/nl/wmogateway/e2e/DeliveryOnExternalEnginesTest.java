package nl.wmogateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import nl.wmogateway.support.engines.ArtemisBroker;
import nl.wmogateway.support.engines.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link DeliveryBehaviour} on the engines of a production set-up: a real PostgreSQL server and an
 * ActiveMQ Artemis broker in a process of its own, over TCP. And what only an external broker can
 * show: a plan accepted while the broker is down waits in the outbox and is delivered by itself
 * once the broker is back; meanwhile liveness goes DOWN once the consumers stayed disconnected
 * longer than their grace, and UP again when they are back.
 */
class DeliveryOnExternalEnginesTest extends DeliveryBehaviour {

    private static ArtemisBroker broker;

    @DynamicPropertySource
    static void externalEngines(DynamicPropertyRegistry registry) {
        PostgresServer pg = PostgresServer.shared();
        broker = ArtemisBroker.start("delivery-external");
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.put("spring.datasource.url", pg.newDatabase("delivery"));
        settings.put("spring.datasource.username", pg.username());
        settings.put("spring.datasource.password", pg.password());
        settings.put("spring.artemis.mode", "native");
        settings.put("spring.artemis.broker-url", broker.brokerUrl());
        settings.put("spring.artemis.user", broker.user());
        settings.put("spring.artemis.password", broker.password());
        settings.put("wmo.instance-id", "external-engines-test");
        settings.put("wmo.delivery.consumer-grace", "3s");
        gatewaySettings(registry, workDirectory("wmo-external"), settings);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private HttpResponse<String> liveness() throws java.io.IOException, InterruptedException {
        return jdkClient(TestPkiFiles.OPERATOR)
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health/liveness"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPlanAcceptedWhileTheBrokerIsDownIsDeliveredByItselfOnceTheBrokerIsBack() throws Exception {
        broker.kill();
        try {
            String taskId = submit(Requests.fresh());
            assertThat(store.request(taskId).orElseThrow().status()).isEqualTo(RequestStatus.RECEIVED);
            Thread.sleep(1500);
            assertThat(GEMEENTE.findAll(postRequestedFor(urlPathMatching("/wmo/.*"))
                            .withHeader("X-Wmo-Request-Id", equalTo(taskId))))
                    .isEmpty();
            // consumers that stay disconnected longer than the grace make liveness DOWN (the platform restarts a
            // zombie)
            await().atMost(Duration.ofSeconds(30)).alias("liveness DOWN").until(() -> {
                HttpResponse<String> l = liveness();
                return l.statusCode() == 503;
            });
            assertThat(liveness().body()).contains("DOWN");

            broker.restart();
            awaitBusinessStatus(taskId, "delivered");
            await().atMost(Duration.ofSeconds(60)).alias("liveness UP").until(() -> {
                return liveness().statusCode() == 200;
            });
            assertThat(GEMEENTE.findAll(postRequestedFor(urlPathMatching("/wmo/.*"))
                            .withHeader("X-Wmo-Request-Id", equalTo(taskId))))
                    .hasSize(2);
        } finally {
            if (!broker.isRunning()) {
                broker.restart();
            }
        }
    }
}
