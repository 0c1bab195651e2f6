package nl.wmogateway.transport;

/**
 * The gemeente could not take the message now (down, timeout, 5xx, 429). Thrown out of the
 * delivery route so the queue transaction rolls back and the broker redelivers after a delay.
 * The message names the request and the HTTP status only, never plan content.
 */
public class RetryableDeliveryException extends RuntimeException {
    public RetryableDeliveryException(String message) {
        super(message);
    }
}
