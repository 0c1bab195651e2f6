package nl.wmogateway.support.engines;

import java.util.Map;

/**
 * PostgreSQL and an external Artemis broker for the in-process gateway of {@code GatewayTestBase},
 * when the suite runs with {@code -Dwmo.test.engines=external}: one database and one broker for the
 * whole test JVM, so the end-to-end tests run unchanged on the production engines.
 */
public final class SharedEngines {

    /** The system property that switches the end-to-end tests to the external engines. */
    public static final String PROPERTY = "wmo.test.engines";

    private static Map<String, String> settings;

    private SharedEngines() {}

    /** Whether this run asked for the external engines ({@code -Dwmo.test.engines=external}). */
    public static boolean requested() {
        return "external".equals(System.getProperty(PROPERTY));
    }

    /** The gateway settings for them, started on first use (the broker is stopped when the JVM exits). */
    public static synchronized Map<String, String> settings() {
        if (settings == null) {
            PostgresServer postgres = PostgresServer.shared();
            ArtemisBroker broker = ArtemisBroker.start("e2e-broker");
            settings = GatewayProcess.externalEngines(
                    postgres.newDatabase("e2e"), postgres.username(), postgres.password(), broker);
        }
        return settings;
    }
}
