package nl.wmogateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import nl.wmogateway.support.engines.ArtemisBroker;
import nl.wmogateway.support.engines.DistinctPlans;
import nl.wmogateway.support.engines.EhrClient;
import nl.wmogateway.support.engines.FakeGemeente;
import nl.wmogateway.support.engines.GatewayProcess;
import nl.wmogateway.support.engines.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway as operators run it in production: its own process on PostgreSQL (the schema by
 * its migrations) and an external Artemis broker
 * ({@code spring.artemis.mode=native}, with a user and password), one plan from EHR to gemeente.
 */
class ExternalEnginesRoundTripTest {

    private static PostgresServer postgres;
    private static String database;
    private static ArtemisBroker broker;
    private static FakeGemeente gemeente;
    private static GatewayProcess gateway;
    private final EhrClient ehr = new EhrClient();

    @BeforeAll
    static void start() {
        postgres = PostgresServer.shared();
        database = postgres.newDatabase("roundtrip");
        broker = ArtemisBroker.start("roundtrip-broker");
        gemeente = FakeGemeente.start();
        Map<String, String> settings = new LinkedHashMap<>(GatewayProcess.testSettings(gemeente.writePartners()));
        settings.putAll(GatewayProcess.externalEngines(database, postgres.username(), postgres.password(), broker));
        gateway = new GatewayProcess("roundtrip-gateway", settings);
        gateway.start().awaitReady(Duration.ofMinutes(3));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.stop();
        }
        if (broker != null) {
            broker.stop();
        }
        if (gemeente != null) {
            gemeente.stop();
        }
    }

    @Test
    void aPlanIsStoredInPostgresQueuedOnTheExternalBrokerAndDeliveredToTheGemeente() throws Exception {
        DistinctPlans.Plan plan = DistinctPlans.make(1, "roundtrip", 1).get(0);

        EhrClient.Answer answer = ehr.submit(gateway.baseUrl(), plan.json(), Duration.ofSeconds(60));

        assertThat(answer.taskStatus()).as(answer.body()).contains(201);
        String taskId = answer.taskId().orElseThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> gemeente.delivered(taskId));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ehr.businessStatus(gateway.baseUrl(), taskId), s -> s.equals(Optional.of("delivered")));
        assertThat(statusInPostgres(taskId)).isEqualTo("DELIVERED");
    }

    @Test
    void resubmittingTheSameBundleAnswersWithTheSameTask() throws Exception {
        DistinctPlans.Plan plan = DistinctPlans.make(1, "roundtrip-again", 2).get(0);

        EhrClient.Answer first = ehr.submit(gateway.baseUrl(), plan.json(), Duration.ofSeconds(60));
        EhrClient.Answer again = ehr.submit(gateway.baseUrl(), plan.json(), Duration.ofSeconds(60));

        assertThat(first.taskStatus()).as(first.body()).contains(201);
        assertThat(again.taskStatus()).as(again.body()).contains(200);
        assertThat(again.taskId()).isEqualTo(first.taskId());
    }

    private static String statusInPostgres(String requestId) throws Exception {
        try (Connection c = DriverManager.getConnection(database, postgres.username(), postgres.password());
                PreparedStatement s = c.prepareStatement("select status from wmo_request where id = ?")) {
            s.setString(1, requestId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : "(no row)";
            }
        }
    }
}
