package nl.wmogateway.delivery;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
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
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Whether the broker can be reached and every partner's delivery consumer is alive. Part of the
 * liveness probe: a gateway whose consumers stay disconnected for longer than
 * {@code wmo.delivery.consumer-grace} (a broker connection that does not come back, a consumer
 * thread that died) reports DOWN, so the platform restarts it rather than keep a zombie. A short
 * broker outage is within the grace; intake goes on meanwhile, since accepted plans wait in the
 * outbox, not in the broker.
 */
@Component("deliveryHealthIndicator")
class DeliveryHealth implements HealthIndicator {

    private final CamelContext camel;
    private final PartnerRoutes routes;
    private final Clock clock;
    private final Duration grace;
    private final Map<String, Instant> disconnectedSince = new ConcurrentHashMap<>();
    private final ConnectionFactory broker;

    public DeliveryHealth(
            CamelContext camel,
            PartnerRoutes routes,
            Clock clock,
            WmoProperties props,
            ConnectionFactory connectionFactory) {
        this.broker = connectionFactory instanceof CachingConnectionFactory caching
                        && caching.getTargetConnectionFactory() != null
                ? caching.getTargetConnectionFactory()
                : connectionFactory;
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
        String brokerProblem = brokerProblem();
        if (brokerProblem == null) {
            disconnectedSince.remove(BROKER);
        } else {
            Instant since = disconnectedSince.computeIfAbsent(BROKER, id -> now);
            if (Duration.between(since, now).compareTo(grace) >= 0) {
                problems.put(BROKER, brokerProblem + " since " + since);
            }
        }
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

    private static final String BROKER = "broker";

    /** A new connection to the broker, opened and closed: the cached one may not have noticed a broken link yet. */
    private String brokerProblem() {
        try (Connection c = broker.createConnection()) {
            c.getMetaData();
            return null;
        } catch (JMSException | RuntimeException e) {
            return "broker not reachable (" + e.getClass().getSimpleName() + ")";
        }
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
        }
        return null;
    }
}
