package nl.wmogateway.delivery;

import nl.wmogateway.store.DeliveryJobs;
import nl.wmogateway.store.OutboundMessage;
import nl.wmogateway.store.StoredRequest;
import org.springframework.stereotype.Component;

/**
 * What the flows say about delivery: a stored message is to be announced, a failed request or
 * message is to be tried afresh. The work itself is in the outbox ({@link Outbox}): whatever is
 * announced here was already committed with a delivery job, and is delivered even if this
 * announcement never reaches the broker.
 */
@Component
public class DeliveryQueue {

    private final Outbox outbox;

    public DeliveryQueue(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Announces a stored message ({@code outbound_message} with a target, whose delivery job
     * {@code MessageStore.saveMessage} created in the same transaction). Inside a transaction the
     * ticket goes out only after it committed: a rolled-back message is never sent.
     */
    public void enqueueMessage(String messageId) {
        outbox.announce(messageId);
    }

    /** An operator's replay of a failed or refused request: its delivery job starts afresh. */
    public void replay(StoredRequest request) {
        outbox.replay(request.id(), DeliveryJobs.Kind.PLAN, request.gemeentecode());
    }

    /** An operator's replay of a failed message: its delivery job starts afresh. */
    public void replay(OutboundMessage message) {
        outbox.replay(message.id(), DeliveryJobs.Kind.MESSAGE, message.partner());
    }
}
