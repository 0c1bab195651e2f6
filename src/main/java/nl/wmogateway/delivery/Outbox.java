package nl.wmogateway.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.store.DeliveryJobs;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox. Whatever the gateway accepts for delivery is written as a
 * {@code delivery_job} in the same database transaction as the data itself; only after that
 * transaction committed is a ticket put on the partner's queue (at once, as a fast path). When
 * the broker is down, or the gateway stops in between, the {@link Relay} puts the ticket there
 * later: nothing committed is ever left without delivery, and no operator is needed for it.
 */
@Component
public class Outbox {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final DeliveryJobs jobs;
    private final ProducerTemplate camel;
    private final WmoProperties.Delivery policy;
    private final Clock clock;
    private final Set<String> brokerProblemsLogged = ConcurrentHashMap.newKeySet();

    public Outbox(DeliveryJobs jobs, ProducerTemplate camel, WmoProperties props, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
        this.camel = camel;
        this.policy = props.delivery();
    }

    /** A request's renderings for its gemeente; call inside the transaction that stores the request. */
    public void plan(String requestId, String gemeentecode) {
        jobs.create(requestId, DeliveryJobs.Kind.PLAN, gemeentecode);
        afterCommit(requestId);
    }

    /** One stored message for a partner; call inside the transaction that stores the message. */
    public void message(String messageId, String partner) {
        jobs.create(messageId, DeliveryJobs.Kind.MESSAGE, partner);
        afterCommit(messageId);
    }

    /**
     * Announces a job created with the data it delivers (see {@code MessageStore.saveMessage}): the
     * ticket goes out once the surrounding transaction committed.
     */
    public void announce(String jobId) {
        afterCommit(jobId);
    }

    /** An operator's replay or release: the job starts afresh. */
    public void replay(String id, DeliveryJobs.Kind kind, String partner) {
        jobs.reset(id, kind, partner);
        afterCommit(id);
    }

    /**
     * Puts a ticket for the job on its partner's queue, unless another instance just did. Returns
     * whether a ticket was sent; a broker that cannot be reached leaves the job for the relay.
     */
    boolean publish(String jobId) {
        Instant republishBefore = clock.instant().minus(policy.republishAfter());
        Optional<DeliveryJobs.Job> job = jobs.job(jobId);
        if (job.isEmpty() || job.get().state() != DeliveryJobs.State.PENDING) {
            return false;
        }
        Optional<Instant> marked = jobs.markPublished(jobId, republishBefore);
        if (marked.isEmpty()) {
            return false;
        }
        String queue = Queues.of(job.get().kind(), job.get().partner());
        try {
            camel.sendBody("jms:queue:" + queue + "?exchangePattern=InOnly", jobId);
            if (brokerProblemsLogged.remove(queue)) {
                log.info("the broker takes tickets for {} again", queue);
            }
            return true;
        } catch (RuntimeException e) {
            jobs.unpublish(jobId, marked.get());
            if (brokerProblemsLogged.add(queue)) {
                log.warn(
                        "could not put a ticket on {} ({}); the delivery stays in the outbox and the relay tries again",
                        queue,
                        rootCause(e));
            }
            return false;
        }
    }

    private void afterCommit(String jobId) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    publishQuietly(jobId);
                }
            });
        } else {
            publishQuietly(jobId);
        }
    }

    private void publishQuietly(String jobId) {
        try {
            publish(jobId);
        } catch (RuntimeException e) {
            // the database answered the commit but not this: the relay will find the job
            log.warn("job {} committed but not announced ({}); the relay will", jobId, rootCause(e));
        }
    }

    static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }
}
