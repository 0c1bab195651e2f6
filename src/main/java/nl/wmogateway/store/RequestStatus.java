package nl.wmogateway.store;

/**
 * Where a Wmo request is in its life. The FHIR Task the EHR follows shows the same state
 * (see {@code nl.wmogateway.intake.TaskView} for the mapping).
 */
public enum RequestStatus {
    /** Checked and stored; waiting in the delivery queue. */
    RECEIVED,
    /** A delivery attempt failed in a way that is retried (gemeente down, 5xx, timeout). */
    RETRYING,
    /** The gemeente accepted every rendering of the plan. */
    DELIVERED,
    /**
     * The gemeente answered that it is still investigating (WMO319 VerzoekAntwoord 2): the verzoek
     * stays open, for at most 8 weeks after its Dagtekening, until a WMO301 or a final WMO319.
     */
    IN_ONDERZOEK,
    /** The gemeente's beschikking came back. */
    ANSWERED,
    /** The gemeente refused the message itself (4xx); not retried. */
    REJECTED,
    /** Retries are exhausted or delivery is impossible; an operator can replay it. */
    FAILED,
    /** Stopped before delivery because the client withdrew consent. */
    WITHDRAWN;

    public boolean isFinal() {
        return this == ANSWERED || this == REJECTED || this == WITHDRAWN;
    }
}
