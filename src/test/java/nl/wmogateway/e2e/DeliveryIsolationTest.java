package nl.wmogateway.e2e;

import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link DeliveryBehaviour} on the embedded defaults: H2 and an embedded Artemis. */
class DeliveryIsolationTest extends DeliveryBehaviour {

    private static final Path OWN_WORK = workDirectory("wmo-isolation");

    @DynamicPropertySource
    static void ownGateway(DynamicPropertyRegistry registry) {
        gatewaySettings(registry, OWN_WORK, SETTINGS);
    }
}
