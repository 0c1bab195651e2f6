package nl.wmogateway.store;

import java.time.Instant;
import java.util.Optional;

/** Something a partner sent the gateway, kept exactly as received, with what became of it. */
public record InboundMessage(
        String id,
        Instant receivedAt,
        String channel,
        String sender,
        String contentType,
        byte[] body,
        String outcome,
        Optional<String> outcomeDetail,
        Optional<String> requestId) {}
