package nl.wmogateway.store;

import java.time.Instant;
import java.util.Optional;

/** A rendering the gateway sent (or is sending) to a partner, with the last answer it got. */
public record OutboundMessage(String id, String requestId, String partner, String rendering, String contentType,
                              byte[] body, Instant createdAt, Optional<Instant> deliveredAt,
                              Optional<Integer> lastStatus, Optional<String> lastResponse) {
}
