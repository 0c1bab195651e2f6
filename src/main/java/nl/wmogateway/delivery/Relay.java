package nl.wmogateway.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import nl.wmogateway.config.GatewayInstance;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.store.ClusterLock;
import nl.wmogateway.store.DeliveryJobs;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.RequestStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Moves committed deliveries to the broker and keeps this instance's leases alive.
 * <ul>
 * <li><b>Relay</b> (every {@code wmo.delivery.poll-interval}): puts a ticket on the partner's queue
 * for every job that is due and has none: new jobs whose ticket could not be sent (broker down,
 * gateway stopped right after the commit), retries whose time has come, jobs whose instance
 * stopped in the middle of an attempt (its lease ran out), and tickets presumed lost (older than
 * {@code wmo.delivery.republish-after}). One instance at a time relays (a lease in
 * {@code gateway_lock}); if it stops, another takes over within a few poll intervals.</li>
 * <li><b>Leases</b> (every quarter of {@code wmo.delivery.lease}): extends the leases of the
 * attempts this instance is making, so that only a stopped instance's work is taken over.</li>
 * <li>At start-up, the leases of this instance's previous run are freed at once.</li>
 * </ul>
 */
@Component
class Relay implements SmartLifecycle {

    static final String LOCK = "delivery-relay";
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    private static final int BATCH = 500;

    private final DeliveryJobs jobs;
    private final Outbox outbox;
    private final ClusterLock lock;
    private final GatewayInstance instance;
    private final PartnerRoutes routes;
    private final WmoProperties.Delivery policy;
    private final Clock clock;
    private final MessageStore store;
    private final AtomicBoolean running = new AtomicBoolean();
    private ScheduledExecutorService scheduler;
    private volatile boolean problemLogged;

    public Relay(
            DeliveryJobs jobs,
            Outbox outbox,
            ClusterLock lock,
            GatewayInstance instance,
            PartnerRoutes routes,
            WmoProperties props,
            Clock clock,
            MessageStore store) {
        this.store = store;
        this.jobs = jobs;
        this.outbox = outbox;
        this.lock = lock;
        this.instance = instance;
        this.routes = routes;
        this.policy = props.delivery();
        this.clock = clock;
    }

    @Override
    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            int freed = jobs.releaseEarlierRuns(instance.id(), instance.owner());
            if (freed > 0) {
                log.info("took back {} delivery lease(s) of this instance's previous run", freed);
            }
        } catch (RuntimeException e) {
            log.warn(
                    "could not free the leases of the previous run ({}); they run out by themselves",
                    Outbox.rootCause(e));
        }
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "wmo-relay");
            t.setDaemon(true);
            return t;
        });
        long poll = Math.max(50, policy.pollInterval().toMillis());
        // both tasks catch and log whatever goes wrong themselves, so no failure hides in the futures
        var unusedRelaying = scheduler.scheduleWithFixedDelay(this::relayOnce, 0, poll, TimeUnit.MILLISECONDS);
        long renew = Math.max(50, policy.lease().toMillis() / 4);
        var unusedRenewing = scheduler.scheduleWithFixedDelay(this::renewLeases, renew, renew, TimeUnit.MILLISECONDS);
        log.info("delivery relay started as {}", instance.owner());
    }

    /** One round of the relay; returns how many tickets were sent. */
    public int relayOnce() {
        if (!routes.started()) {
            return 0;
        }
        try {
            Duration hold =
                    Duration.ofMillis(Math.max(3000, policy.pollInterval().toMillis() * 3));
            if (!lock.tryAcquire(LOCK, instance.owner(), hold)) {
                return 0;
            }
            int sent = 0;
            for (DeliveryJobs.Job job : jobs.needingTicket(clock.instant().minus(policy.republishAfter()), BATCH)) {
                if (!routes.consumes(job.kind(), job.partner())) {
                    parkUnknownPartner(job);
                    continue;
                }
                if (outbox.publish(job.id())) {
                    sent++;
                }
            }
            if (problemLogged) {
                problemLogged = false;
                log.info("delivery relay works again");
            }
            return sent;
        } catch (RuntimeException e) {
            if (!problemLogged) {
                problemLogged = true;
                log.warn("delivery relay cannot reach the database ({}); it keeps trying", Outbox.rootCause(e));
            }
            return 0;
        }
    }

    private void parkUnknownPartner(DeliveryJobs.Job job) {
        String reason = "partner " + job.partner() + " is not in the partner configuration; replay it once it is";
        if (jobs.park(job.id(), Optional.empty(), reason)) {
            if (job.kind() == DeliveryJobs.Kind.PLAN) {
                store.transition(job.id(), RequestStatus.FAILED, Optional.of(reason));
            } else {
                store.messageState(job.id(), "FAILED", Optional.of(reason));
            }
            log.warn("delivery {} parked: partner {} is not configured", job.id(), job.partner());
        }
    }

    private void renewLeases() {
        try {
            jobs.renew(instance.owner(), policy.lease());
        } catch (RuntimeException e) {
            log.warn(
                    "could not renew delivery leases ({}); another instance may take over deliveries in progress",
                    Outbox.rootCause(e));
        }
    }

    @Override
    public void stop() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        scheduler.shutdownNow();
        try {
            lock.release(LOCK, instance.owner());
        } catch (RuntimeException e) {
            // runs out by itself
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    /** Starts after the web server and the routes; stops before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }
}
