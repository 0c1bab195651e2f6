package nl.wmogateway.support;

import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole gateway on a random port with real mutual TLS, an embedded broker and database in a
 * temporary directory, and a WireMock gemeente (HTTPS, client certificate required). Every test
 * class extending this shares one running gateway.
 */
public abstract class GatewayTestBase extends GatewayTestSupport {

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        gatewaySettings(registry, WORK, Map.of());
    }
}
