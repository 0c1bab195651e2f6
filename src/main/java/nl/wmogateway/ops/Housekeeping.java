package nl.wmogateway.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import nl.wmogateway.config.GatewayInstance;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.ClusterLock;
import nl.wmogateway.store.DataRetention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps stored data no longer than its retention (docs/privacy.md "Retention"), one instance at a
 * time (a lease in the database): empties raw bodies, removes closed requests, removes audit records
 * past theirs. After a start it also seals again what an older key sealed or what was stored before
 * encryption at rest, and gives records of that time their pseudonym. Each run that removed
 * something is itself audited.
 */
@Component
public class Housekeeping {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
    private static final String LOCK = "housekeeping";
    private static final int BATCH = 200;

    /** What one run did. */
    public record Run(int bodiesEmptied, int requestsRemoved, int auditRemoved, int resealed) {
        boolean changedAnything() {
            return bodiesEmptied + requestsRemoved + auditRemoved + resealed > 0;
        }
    }

    private final DataRetention retention;
    private final AuditLog audit;
    private final ClusterLock lock;
    private final GatewayInstance instance;
    private final WmoProperties.Retention policy;
    private final Clock clock;
    private final AtomicBoolean resealDone = new AtomicBoolean();

    public Housekeeping(
            DataRetention retention,
            AuditLog audit,
            ClusterLock lock,
            GatewayInstance instance,
            WmoProperties props,
            Clock clock) {
        this.retention = retention;
        this.audit = audit;
        this.lock = lock;
        this.instance = instance;
        this.policy = props.retention();
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${wmo.retention.first-run:30s}", fixedDelayString = "${wmo.retention.interval:1h}")
    void scheduled() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn(
                    "housekeeping failed ({}); it runs again in {}",
                    e.getClass().getSimpleName(),
                    policy.interval());
        }
    }

    /** One run, if no other instance is running one; empty when another instance holds the lease. */
    public Optional<Run> runOnce() {
        if (!lock.tryAcquire(LOCK, instance.owner(), Duration.ofMinutes(30))) {
            return Optional.empty();
        }
        try {
            Instant now = clock.instant();
            int resealed = resealDone.get() ? 0 : resealEverything();
            int bodies = 0;
            for (int n; (n = retention.purgeInboundBodies(now.minus(policy.inboundBodies()), BATCH)) > 0; ) {
                bodies += n;
            }
            int requests = 0;
            for (int n; (n = retention.purgeClosedRequests(now.minus(policy.closedRequests()), BATCH)) > 0; ) {
                requests += n;
            }
            int auditRemoved = audit.purgeOlderThan(now.minus(policy.audit()));
            Run run = new Run(bodies, requests, auditRemoved, resealed);
            if (run.changedAnything()) {
                audit.record(
                        "gateway",
                        "RETENTION",
                        Optional.empty(),
                        Optional.empty(),
                        "PURGED",
                        Optional.of(bodies + " raw bodies emptied (older than "
                                + policy.inboundBodies().toDays()
                                + " days), " + requests + " closed requests removed (older than "
                                + policy.closedRequests().toDays() + " days), " + auditRemoved
                                + " audit records removed (older than "
                                + policy.audit().toDays() + " days), "
                                + resealed + " values sealed again"));
                log.info(
                        "housekeeping: {} raw bodies emptied, {} closed requests removed, {} audit records removed, {} values sealed again",
                        bodies,
                        requests,
                        auditRemoved,
                        resealed);
            }
            return Optional.of(run);
        } finally {
            lock.release(LOCK, instance.owner());
        }
    }

    private int resealEverything() {
        int changed = 0;
        for (int n; (n = retention.pseudonymiseRequests(BATCH)) > 0; ) {
            changed += n;
        }
        for (int n; (n = audit.pseudonymiseUnchained(BATCH)) > 0; ) {
            changed += n;
        }
        for (DataRetention.SealedColumn column : DataRetention.SealedColumn.values()) {
            String after = "";
            while (true) {
                DataRetention.Page page = retention.reseal(column, after, BATCH);
                changed += page.changed();
                if (page.done()) {
                    break;
                }
                after = page.lastId();
            }
        }
        resealDone.set(true);
        return changed;
    }
}
