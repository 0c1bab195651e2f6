package nl.wmogateway.delivery;

import java.util.Optional;
import nl.wmogateway.store.OutboundMessage;

/**
 * Something that reads the body a gemeente answered a plan rendering with: a gemeente may answer
 * the WMO315 with its WMO316 retour in the same HTTP exchange, and a WMO316 that rejects the
 * message means the request was refused even though the HTTP status was 2xx.
 */
public interface PlanAnswer {

    /**
     * Called after a 2xx answer with a body to a plan rendering.
     *
     * @return why the answer refuses the rendering, for the Task; empty when it accepts it or is no retour
     */
    Optional<String> refusal(OutboundMessage rendering, String contentType, byte[] body);
}
