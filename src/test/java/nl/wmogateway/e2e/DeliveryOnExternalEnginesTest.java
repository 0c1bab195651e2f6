package nl.wmogateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.support.Requests;
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
 * once the broker is back.
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
        settings.put("spring.sql.init.platform", "postgresql");
        settings.put("spring.artemis.mode", "native");
        settings.put("spring.artemis.broker-url", broker.brokerUrl());
        settings.put("spring.artemis.user", broker.user());
        settings.put("spring.artemis.password", broker.password());
        settings.put("wmo.instance-id", "external-engines-test");
        gatewaySettings(registry, workDirectory("wmo-external"), settings);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aPlanAcceptedWhileTheBrokerIsDownIsDeliveredByItselfOnceTheBrokerIsBack() throws Exception {
        broker.kill();
        try {
            String taskId = submit(Requests.fresh());
            assertThat(store.request(taskId).orElseThrow().status()).isEqualTo(RequestStatus.RECEIVED);
            Thread.sleep(1500);
            assertThat(GEMEENTE.findAll(postRequestedFor(urlPathMatching("/wmo/.*"))
                    .withHeader("X-Wmo-Request-Id", equalTo(taskId)))).isEmpty();

            broker.restart();
            awaitBusinessStatus(taskId, "delivered");
            assertThat(GEMEENTE.findAll(postRequestedFor(urlPathMatching("/wmo/.*"))
                    .withHeader("X-Wmo-Request-Id", equalTo(taskId)))).hasSize(2);
        } finally {
            if (!broker.isRunning()) {
                broker.restart();
            }
        }
    }
}
