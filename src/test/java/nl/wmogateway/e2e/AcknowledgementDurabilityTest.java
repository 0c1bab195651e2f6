package nl.wmogateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.wmogateway.support.engines.DistinctPlans;
import nl.wmogateway.support.engines.EhrClient;
import nl.wmogateway.support.engines.FakeGemeente;
import nl.wmogateway.support.engines.GatewayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An acknowledgement is a promise: the gateway on its embedded defaults (H2 and Artemis in its own
 * directory) is killed with SIGKILL the moment the EHR has its 201, restarted on the same data, and
 * the acknowledged request is there and is delivered.
 */
class AcknowledgementDurabilityTest {

    private static FakeGemeente gemeente;
    private static GatewayProcess gateway;
    private final EhrClient ehr = new EhrClient();

    @BeforeAll
    static void start() {
        gemeente = FakeGemeente.start();
        gateway =
                new GatewayProcess("ack-durability", Map.copyOf(GatewayProcess.testSettings(gemeente.writePartners())));
        gateway.start().awaitReady(Duration.ofMinutes(3));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.stop();
        }
        if (gemeente != null) {
            gemeente.stop();
        }
    }

    @Test
    void aRequestAcknowledgedJustBeforeAKillIsThereAfterTheRestartAndIsDelivered() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        for (DistinctPlans.Plan plan : DistinctPlans.make(2, "ack-kill", 7)) {
            EhrClient.Answer answer = ehr.submit(gateway.baseUrl(), plan.json(), Duration.ofSeconds(60));
            gateway.kill9(); // right after the 201: nothing after the acknowledgement may be needed
            assertThat(answer.taskStatus()).as(answer.body()).contains(201);
            acknowledged.add(answer.taskId().orElseThrow());
            gateway.start().awaitReady(Duration.ofMinutes(3));
        }

        for (String taskId : acknowledged) {
            assertThat(ehr.businessStatus(gateway.baseUrl(), taskId))
                    .as("Task/" + taskId + " after the restart")
                    .isPresent();
            await().atMost(Duration.ofSeconds(60)).until(() -> gemeente.delivered(taskId));
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> ehr.businessStatus(gateway.baseUrl(), taskId),
                            s -> s.filter("delivered"::equals).isPresent());
        }
    }
}
