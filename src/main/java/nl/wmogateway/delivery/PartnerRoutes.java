package nl.wmogateway.delivery;

import java.util.Set;
import java.util.TreeSet;
import nl.wmogateway.config.RouteIds;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.partner.GemeentePartner;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.partner.ZorgorganisatiePartner;
import nl.wmogateway.store.DeliveryJobs;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One delivery route per partner, made at start-up from the route templates in
 * {@code routes/delivery.camel.yaml} (plans, per gemeente) and {@code routes/messages.camel.yaml}
 * (other messages, per gemeente and per care organisation). Each route consumes only its partner's
 * queue, with at most {@code wmo.delivery.consumers-per-partner} deliveries at once.
 */
@Component
class PartnerRoutes implements CamelContextConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PartnerRoutes.class);

    private final Partners partners;
    private final WmoProperties.Delivery policy;
    private final Set<String> queues = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public PartnerRoutes(Partners partners, WmoProperties props) {
        this.partners = partners;
        this.policy = props.delivery();
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // the templates are read with the other YAML routes; routes are made from them once they are there
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        Set<String> made = new TreeSet<>();
        for (GemeentePartner g : partners.gemeenten()) {
            add(camel, RouteIds.PLAN_TEMPLATE, DeliveryJobs.Kind.PLAN, g.gemeentecode());
            add(camel, RouteIds.MESSAGE_TEMPLATE, DeliveryJobs.Kind.MESSAGE, g.gemeentecode());
            made.add(g.gemeentecode());
        }
        for (ZorgorganisatiePartner z : partners.zorgorganisaties()) {
            add(camel, RouteIds.MESSAGE_TEMPLATE, DeliveryJobs.Kind.MESSAGE, z.agb());
            made.add(z.agb());
        }
        log.info(
                "delivery routes for {} partner(s), at most {} deliveries at once per partner and queue",
                made.size(),
                policy.consumersPerPartner());
    }

    private void add(CamelContext camel, String template, DeliveryJobs.Kind kind, String partner) {
        String queue = Queues.of(kind, partner);
        try {
            TemplatedRouteBuilder.builder(camel, template)
                    .routeId(RouteIds.routeId(template, partner))
                    .parameter("partner", partner)
                    .parameter("queue", queue)
                    .parameter("consumers", Integer.toString(policy.consumersPerPartner()))
                    .add();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "could not make route " + RouteIds.routeId(template, partner) + " from template " + template, e);
        }
        queues.add(queue);
    }

    /** Whether a consumer exists for this partner's queue of this kind. */
    public boolean consumes(DeliveryJobs.Kind kind, String partner) {
        return queues.contains(Queues.of(kind, partner));
    }

    /** Whether the routes were made (the application has started). */
    public boolean started() {
        return !queues.isEmpty()
                || (partners.gemeenten().isEmpty()
                        && partners.zorgorganisaties().isEmpty());
    }
}
