package nl.wmogateway.delivery;

import nl.wmogateway.store.DeliveryJobs;

/**
 * The broker's queues, named in one place: one queue per partner and kind of delivery, so that a
 * partner that is slow or down fills and holds up only its own queue.
 */
public final class Queues {

    /** Plans for one gemeente: {@code wmo.delivery.<gemeentecode>}. */
    public static final String PLAN_PREFIX = "wmo.delivery.";
    /** Other messages for one partner (iWmo, retours, Task pushes, withdrawal reports): {@code wmo.berichten.<partner>}. */
    public static final String MESSAGE_PREFIX = "wmo.berichten.";
    /** Every address of the gateway, as an Artemis address match: for address settings on a broker. */
    public static final String ALL = "wmo.#";
    /** Where the broker puts a ticket it could not hand to a consumer after many tries. */
    public static final String DEAD_LETTER = "wmo.dlq";

    private Queues() {}

    public static String of(DeliveryJobs.Kind kind, String partner) {
        return (kind == DeliveryJobs.Kind.PLAN ? PLAN_PREFIX : MESSAGE_PREFIX) + partner;
    }
}
