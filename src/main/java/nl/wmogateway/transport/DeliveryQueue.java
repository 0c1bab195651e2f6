package nl.wmogateway.transport;

import nl.wmogateway.config.GatewayConfig;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/** Puts stored requests and messages (back) on the persistent queues, e.g. when an operator replays them. */
@Component
public class DeliveryQueue {

    private final ProducerTemplate camel;

    public DeliveryQueue(ProducerTemplate camel) {
        this.camel = camel;
    }

    public void enqueue(String requestId) {
        camel.sendBody("jms:queue:" + GatewayConfig.DELIVERY_QUEUE + "?exchangePattern=InOnly", requestId);
    }

    /** Queues a stored message ({@code outbound_message}) for the message route. */
    public void enqueueMessage(String messageId) {
        camel.sendBody("jms:queue:" + GatewayConfig.MESSAGE_QUEUE + "?exchangePattern=InOnly", messageId);
    }
}
