package nl.wmogateway.transport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import nl.wmogateway.config.WmoProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.jms.JmsConsumer;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Whether every partner's delivery consumer is alive and connected to the broker. Part of the
 * liveness probe: a gateway whose consumers stay disconnected for longer than
 * {@code wmo.delivery.consumer-grace} (a broker connection that does not come back, a consumer
 * thread that died) reports DOWN, so the platform restarts it rather than keep a zombie. A short
 * broker outage is within the grace; intake goes on meanwhile, since accepted plans wait in the
 * outbox, not in the broker.
 */
@Component("deliveryHealthIndicator")
public class DeliveryHealth implements HealthIndicator {

    private final CamelContext camel;
    private final PartnerRoutes routes;
    private final Clock clock;
    private final Duration grace;
    private final Map<String, Instant> disconnectedSince = new ConcurrentHashMap<>();

    public DeliveryHealth(CamelContext camel, PartnerRoutes routes, Clock clock, WmoProperties props) {
        this.camel = camel;
        this.routes = routes;
        this.clock = clock;
        this.grace = props.delivery().consumerGrace();
    }

    @Override
    public Health health() {
        if (!routes.started()) {
            return Health.unknown().withDetail("routes", "not started yet").build();
        }
        Instant now = clock.instant();
        Map<String, String> problems = new TreeMap<>();
        int connected = 0;
        for (Route route : camel.getRoutes()) {
            if (!(route.getConsumer() instanceof JmsConsumer consumer)) {
                continue;
            }
            String problem = problem(route, consumer);
            if (problem == null) {
                disconnectedSince.remove(route.getRouteId());
                connected++;
                continue;
            }
            Instant since = disconnectedSince.computeIfAbsent(route.getRouteId(), id -> now);
            if (Duration.between(since, now).compareTo(grace) >= 0) {
                problems.put(route.getRouteId(), problem + " since " + since);
            }
        }
        Health.Builder health = problems.isEmpty() ? Health.up() : Health.down().withDetail("problems", problems);
        return health.withDetail("connectedConsumers", connected).build();
    }

    private String problem(Route route, JmsConsumer consumer) {
        ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
        if (status != ServiceStatus.Started) {
            return "route " + status;
        }
        Object listener;
        try {
            listener = consumer.getListenerContainer();
        } catch (Exception e) {
            return "consumer not available (" + e.getClass().getSimpleName() + ")";
        }
        if (listener instanceof DefaultMessageListenerContainer container) {
            if (!container.isRunning()) {
                return "consumer not running";
            }
            if (!container.isRegisteredWithDestination()) {
                return "consumer not connected to the broker";
            }
        }
        return null;
    }
}
