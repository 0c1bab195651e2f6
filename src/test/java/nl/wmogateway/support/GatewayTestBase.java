package nl.wmogateway.support;

import java.util.Map;
import nl.wmogateway.support.engines.SharedEngines;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole gateway on a random port with real mutual TLS, an embedded broker and database in a
 * temporary directory, and a WireMock gemeente (HTTPS, client certificate required). Every test
 * class extending this shares one running gateway. With {@code -Dwmo.test.engines=external} the
 * gateway runs on PostgreSQL and an external Artemis broker instead ({@link SharedEngines}).
 */
public abstract class GatewayTestBase extends GatewayTestSupport {

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        gatewaySettings(registry, WORK, SharedEngines.requested() ? SharedEngines.settings() : Map.of());
    }
}
