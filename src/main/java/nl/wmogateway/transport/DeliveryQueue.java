package nl.wmogateway.transport;

import nl.wmogateway.config.GatewayConfig;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Puts stored requests and messages (back) on the persistent queues, e.g. when an operator replays them. */
@Component
public class DeliveryQueue {

    private final ProducerTemplate camel;

    public DeliveryQueue(ProducerTemplate camel) {
        this.camel = camel;
    }

    public void enqueue(String requestId) {
        afterCommit(() -> camel.sendBody("jms:queue:" + GatewayConfig.DELIVERY_QUEUE + "?exchangePattern=InOnly", requestId));
    }

    /**
     * Queues a stored message ({@code outbound_message}) for the message route. Inside a database
     * transaction the message is queued only once that transaction committed: the consumer must find
     * the row it is told about, and a rolled-back message must not be sent.
     */
    public void enqueueMessage(String messageId) {
        afterCommit(() -> camel.sendBody("jms:queue:" + GatewayConfig.MESSAGE_QUEUE + "?exchangePattern=InOnly", messageId));
    }

    private static void afterCommit(Runnable send) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    send.run();
                }
            });
        } else {
            send.run();
        }
    }
}
