package nl.wmogateway.store;

import java.time.Instant;
import java.util.Optional;

/** A Wmo request as the gateway keeps it. */
public record StoredRequest(
        String id,
        String inboundId,
        String senderAgb,
        String bundleSystem,
        String bundleValue,
        String bundleHash,
        String gemeentecode,
        String clientBsn,
        RequestStatus status,
        Optional<String> statusReason,
        int deliveryAttempts,
        Instant receivedAt,
        Instant updatedAt,
        Optional<Instant> deliveredAt,
        String planJson) {}
