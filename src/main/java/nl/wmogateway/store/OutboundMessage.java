package nl.wmogateway.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A message the gateway sent (or is sending, or keeps for polling) to a partner, with the last
 * answer it got and, for iWmo messages, the retour.
 *
 * @param kind              {@code plan} (to a gemeente), {@code iwmo} (WMO301/WMO319 to a care organisation),
 *                          {@code retour} (relayed to a gemeente), {@code fhir-callback} (Task to an EHR)
 * @param targetUrl         where it is posted; empty for a message that waits to be fetched
 * @param state             PENDING, RETRYING, DELIVERED, FETCHED, FAILED
 * @param retourStatus      for iWmo messages: AWAITED, ACCEPTED, REJECTED
 */
public record OutboundMessage(
        String id,
        String requestId,
        String partner,
        String rendering,
        String contentType,
        byte[] body,
        Instant createdAt,
        Optional<Instant> deliveredAt,
        Optional<Integer> lastStatus,
        Optional<String> lastResponse,
        String kind,
        Optional<String> targetUrl,
        String httpMethod,
        Optional<String> iwmoIdentificatie,
        int attempts,
        String state,
        Optional<Instant> fetchedAt,
        Optional<LocalDate> retourDue,
        Optional<String> retourStatus,
        Optional<String> retourCodes,
        Optional<Instant> retourAt) {

    /** A new plan rendering for a gemeente, before it is stored. */
    public static OutboundMessage planRendering(
            String id,
            String requestId,
            String partner,
            String rendering,
            String contentType,
            byte[] body,
            Instant createdAt) {
        return new OutboundMessage(
                id,
                requestId,
                partner,
                rendering,
                contentType,
                body,
                createdAt,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "plan",
                Optional.empty(),
                "POST",
                Optional.empty(),
                0,
                "PENDING",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }
}
