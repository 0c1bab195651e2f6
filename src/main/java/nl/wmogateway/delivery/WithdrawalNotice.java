package nl.wmogateway.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;
import nl.wmogateway.partner.Endpoints;
import nl.wmogateway.partner.GemeentePartner;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.plan.AangevraagdProduct;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.PlanCodec;
import nl.wmogateway.store.StoredRequest;
import org.springframework.stereotype.Component;

/**
 * Tells a gemeente that the client withdrew consent for a plan it already has
 * ({@code POST <endpoint><withdrawalPath>}): after a withdrawal of a delivered plan, and when a
 * withdrawal came while the plan was on its way. The notice names the request and the products,
 * no client data; it is delivered through the outbox like every message.
 */
@Component
public class WithdrawalNotice {

    private final MessageStore store;
    private final PlanCodec planCodec;
    private final Partners partners;
    private final DeliveryQueue queue;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public WithdrawalNotice(
            MessageStore store, PlanCodec planCodec, Partners partners, DeliveryQueue queue, Clock clock) {
        this.store = store;
        this.planCodec = planCodec;
        this.partners = partners;
        this.queue = queue;
        this.clock = clock;
    }

    /** Stores and queues the notice; false when the gemeente is no longer configured. */
    public boolean send(StoredRequest r) {
        Optional<GemeentePartner> gemeente = partners.gemeente(r.gemeentecode());
        if (gemeente.isEmpty()) {
            return false;
        }
        ObjectNode body = json.createObjectNode();
        body.put("schema", "https://wmo-gateway.nl/schema/toestemming-ingetrokken/v1");
        body.put("aanvraag", r.id());
        body.put("zorgorganisatie", r.senderAgb());
        body.put("ingetrokkenOp", LocalDate.now(clock).toString());
        var refs = body.putArray("referentieAanbieder");
        for (AangevraagdProduct p : planCodec.read(r.planJson()).maatwerkvoorzieningen()) {
            refs.add(p.referentieAanbieder());
        }
        body.put(
                "toelichting",
                "De cliënt heeft de toestemming ingetrokken. Gebruik de gegevens van deze aanvraag niet verder "
                        + "dan de wet toestaat.");
        String target = Endpoints.join(gemeente.get().endpoint(), gemeente.get().withdrawalPath());
        String id = store.saveMessage(
                r.id(),
                r.gemeentecode(),
                "toestemming-ingetrokken",
                "toestemming-ingetrokken",
                "application/json",
                body.toString().getBytes(StandardCharsets.UTF_8),
                Optional.of(target),
                "POST",
                Optional.empty(),
                Optional.empty());
        queue.enqueueMessage(id);
        return true;
    }
}
