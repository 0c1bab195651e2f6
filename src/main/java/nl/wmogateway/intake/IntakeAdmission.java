package nl.wmogateway.intake;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may go ahead at {@code /fhir}, so that overload is answered instead of collapsing the
 * gateway. Validation is nearly all the cost of a submission (about 50 ms of CPU and 39 MB of
 * allocation per plan), so at most {@code validations} submissions are parsed, validated and stored
 * at once; the next ones wait their turn, first come first served, for at most {@code wait}, and are
 * then answered 503. And no care organisation has more than {@code perPartner} submissions in
 * progress (waiting included): one busy or broken EHR fills its own share and gets 429, the others
 * still get their turn.
 */
final class IntakeAdmission {

    private final Semaphore validations;
    private final int capacity;
    private final int perPartner;
    private final Duration wait;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public IntakeAdmission(int validations, int perPartner, Duration wait) {
        if (validations < 1 || perPartner < 1) {
            throw new IllegalArgumentException("validations and perPartner must be at least 1");
        }
        this.validations = new Semaphore(validations, true);
        this.capacity = validations;
        this.perPartner = perPartner;
        this.wait = wait;
    }

    /** From the effective limits. */
    public static IntakeAdmission of(IntakeLimits limits) {
        IntakeLimits effective = limits.effective();
        return new IntakeAdmission(
                effective.maxConcurrentValidations(), effective.maxInFlightPerPartner(), effective.validationWait());
    }

    /** A submission of this partner starts; false (and nothing to undo) when the partner's share is full. */
    public boolean enter(String partner) {
        AtomicInteger count = inFlight.computeIfAbsent(partner, p -> new AtomicInteger());
        if (count.incrementAndGet() > perPartner) {
            count.decrementAndGet();
            return false;
        }
        return true;
    }

    /** The submission {@link #enter entered} is done. */
    public void leave(String partner) {
        inFlight.get(partner).decrementAndGet();
    }

    /** Waits for a turn to validate, at most {@code wait}; false when none came. */
    public boolean acquire() {
        try {
            return validations.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The turn {@link #acquire acquired} is over. */
    public void release() {
        validations.release();
    }

    /** Submissions validating now. */
    public int active() {
        return capacity - validations.availablePermits();
    }

    /** Submissions waiting for their turn. */
    public int waiting() {
        return validations.getQueueLength();
    }

    /** Submissions this partner has in progress. */
    public int inFlight(String partner) {
        AtomicInteger count = inFlight.get(partner);
        return count == null ? 0 : count.get();
    }
}
