package nl.wmogateway.delivery;

import java.time.Clock;
import java.util.Optional;
import nl.wmogateway.config.GatewayInstance;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.store.DeliveryJobs;
import nl.wmogateway.store.OutboundMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The life of a delivery job as both delivery routes see it: claim it for one attempt, record each
 * message sent and its answer, then finish it as done, due again later, or parked. The retry
 * schedule is kept in the database, so it is the same on any broker and survives restarts.
 */
@Component
class DeliveryAttempts {

    private static final Logger log = LoggerFactory.getLogger(DeliveryAttempts.class);

    private final DeliveryJobs jobs;
    private final GatewayInstance instance;
    private final WmoProperties.Delivery policy;
    private final Clock clock;
    private final DeliveryMetrics metrics;

    /**
     * An attempt under way: recorded, its message not yet answered.
     *
     * @param id      the attempt's row in {@code delivery_attempt}
     * @param partner to whom (gemeentecode or AGB code)
     * @param kind    the kind of message ({@code plan}, {@code iwmo}, {@code retour}, {@code fhir-callback})
     * @param started {@link System#nanoTime()} when it was recorded
     */
    record InFlight(long id, String partner, String kind, long started) {}

    public DeliveryAttempts(
            DeliveryJobs jobs, GatewayInstance instance, WmoProperties props, Clock clock, DeliveryMetrics metrics) {
        this.jobs = jobs;
        this.instance = instance;
        this.policy = props.delivery();
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * The claim for one attempt, or empty when there is nothing to do: the job is done, parked, not
     * yet due, or another consumer has it (a duplicate ticket). When the database cannot be reached
     * the ticket goes back to the broker after a pause, to come again later.
     */
    public Optional<Claim> claim(String jobId) {
        try {
            Optional<DeliveryJobs.Job> job = jobs.claim(jobId, instance.owner(), policy.lease());
            if (job.isEmpty()) {
                return Optional.empty();
            }
            int inDoubt = jobs.markInDoubt(jobId);
            if (inDoubt > 0) {
                log.warn(
                        "job {}: {} earlier attempt(s) stopped before the answer was recorded; sending again with the same "
                                + "Idempotency-Key",
                        jobId,
                        inDoubt);
            }
            return Optional.of(new Claim(jobId, job.get().attempts(), instance.owner()));
        } catch (DataAccessException e) {
            log.warn(
                    "job {}: database unavailable ({}); the ticket goes back to the broker",
                    jobId,
                    Outbox.rootCause(e));
            pause();
            throw e;
        }
    }

    /** Recorded before the message leaves. */
    public InFlight started(Claim claim, OutboundMessage message) {
        long id = jobs.attemptStarted(claim.jobId(), claim.attempt(), message.id(), claim.owner());
        return new InFlight(id, message.partner(), message.kind(), System.nanoTime());
    }

    /**
     * The attempt's outcome ({@code DELIVERED}, {@code RETRY}, {@code REFUSED}): recorded, and counted
     * with its duration in the delivery metrics; inside a transaction once it has committed, so that
     * the metrics count what the attempt records keep.
     */
    public void finished(InFlight attempt, Optional<Integer> httpStatus, String outcome, String detail) {
        long took = System.nanoTime() - attempt.started();
        jobs.attemptFinished(attempt.id(), httpStatus, outcome, detail);
        Runnable count = () -> metrics.attempt(attempt.partner(), attempt.kind(), outcome, took);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    count.run();
                }
            });
        } else {
            count.run();
        }
    }

    public void done(Claim claim) {
        if (!jobs.done(claim.jobId(), claim.owner())) {
            log.warn(
                    "job {}: lease lost before it was finished (another instance may have taken it over)",
                    claim.jobId());
        }
    }

    /**
     * After a failed attempt: due again after the backoff, or parked once the attempts are used up.
     * Returns true when it was parked.
     */
    public boolean retryOrPark(Claim claim, String problem) {
        if (claim.attempt() >= policy.maxAttempts()) {
            jobs.park(
                    claim.jobId(),
                    Optional.of(claim.owner()),
                    problem + "; parked after " + claim.attempt() + " attempts");
            return true;
        }
        jobs.retryAt(claim.jobId(), claim.owner(), clock.instant().plus(policy.backoff(claim.attempt())), problem);
        return false;
    }

    /** No more attempts until an operator releases the job, whatever its count (a cause no retry fixes). */
    public void park(Claim claim, String reason) {
        jobs.park(claim.jobId(), Optional.of(claim.owner()), reason);
    }

    public int maxAttempts() {
        return policy.maxAttempts();
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}
