package nl.wmogateway.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.partner.GemeentePartner;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.store.OutboundMessage;
import nl.wmogateway.store.StoredRequest;

/** One delivery attempt of one request, carried through the delivery route under its {@link Claim}. */
public final class DeliveryJob {

    private final String requestId;
    private final Claim claim;
    private final StoredRequest request;
    private final GemeentePartner gemeente;
    private final Ondersteuningsplan plan;
    private final List<OutboundMessage> messages = new ArrayList<>();

    DeliveryJob(Claim claim, StoredRequest request, GemeentePartner gemeente, Ondersteuningsplan plan) {
        this.requestId = claim.jobId();
        this.claim = claim;
        this.request = request;
        this.gemeente = gemeente;
        this.plan = plan;
    }

    static DeliveryJob nothingToDo(Claim claim) {
        return new DeliveryJob(claim, null, null, null);
    }

    public boolean isDeliverable() {
        return request != null;
    }

    public String requestId() {
        return requestId;
    }

    public int attempt() {
        return claim.attempt();
    }

    public Claim claim() {
        return claim;
    }

    public StoredRequest request() {
        return request;
    }

    public GemeentePartner gemeente() {
        return gemeente;
    }

    public Ondersteuningsplan plan() {
        return plan;
    }

    public List<OutboundMessage> messages() {
        return messages;
    }

    public Optional<OutboundMessage> message(String rendering) {
        return messages.stream().filter(m -> m.rendering().equals(rendering)).findFirst();
    }
}
