package nl.wmogateway.transport;

import nl.wmogateway.config.GatewayConfig;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/** Puts a stored request (back) on the persistent delivery queue, e.g. when an operator replays it. */
@Component
public class DeliveryQueue {

    private final ProducerTemplate camel;

    public DeliveryQueue(ProducerTemplate camel) {
        this.camel = camel;
    }

    public void enqueue(String requestId) {
        camel.sendBody("jms:queue:" + GatewayConfig.DELIVERY_QUEUE + "?exchangePattern=InOnly", requestId);
    }
}
