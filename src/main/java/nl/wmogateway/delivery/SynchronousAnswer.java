package nl.wmogateway.delivery;

import nl.wmogateway.store.OutboundMessage;

/**
 * Something that wants to see the body a partner answered a delivered message with: a care
 * organisation may answer a WMO301 with its WMO302 retour in the same HTTP exchange.
 */
public interface SynchronousAnswer {

    /** Called after a 2xx answer to a message of kind {@code iwmo} that carried a body. */
    void answered(OutboundMessage message, String contentType, byte[] body);
}
