package nl.wmogateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nl.wmogateway.support.engines.PostgresServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The outbox table shared by gateway instances: claims are exclusive, leases run out, a restarted
 * instance takes its own back, and the scheduled-job lock has one holder at a time.
 */
class DeliveryJobsTest {

    private JdbcTemplate jdbc;
    private MutableClock clock;
    private DeliveryJobs jobs;

    /** The same tests on the embedded default and on a real PostgreSQL server. */
    @Nested
    class OnH2 extends Cases {
        @Override
        DriverManagerDataSource dataSource() {
            return new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        }

        @Override
        String vendor() {
            return "H2";
        }
    }

    @Nested
    class OnPostgresql extends Cases {
        @Override
        DriverManagerDataSource dataSource() {
            PostgresServer pg = PostgresServer.shared();
            return new DriverManagerDataSource(pg.newDatabase("jobs"), pg.username(), pg.password());
        }

        @Override
        String vendor() {
            return "PostgreSQL";
        }
    }

    abstract class Cases {

        abstract DriverManagerDataSource dataSource();

        abstract String vendor();

        @BeforeEach
        void database() {
            DriverManagerDataSource ds = dataSource();
            // the gateway's own migrations, as it runs them at start-up
            org.flywaydb.core.Flyway.configure()
                    .dataSource(ds)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
            jdbc = new JdbcTemplate(ds);
            clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
            jobs = new DeliveryJobs(jdbc, clock);
        }

        @Test
        void ofManyConsumersClaimingTheSameJobAtOnceExactlyOneGetsIt() throws Exception {
            jobs.create("r1", DeliveryJobs.Kind.PLAN, "0153");
            int contenders = 8;
            ExecutorService pool = Executors.newFixedThreadPool(contenders);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Optional<DeliveryJobs.Job>>> claims = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                String owner = "gateway-" + (i % 2 == 0 ? "a" : "b") + "/run" + i;
                Callable<Optional<DeliveryJobs.Job>> claim = () -> {
                    start.await();
                    return jobs.claim("r1", owner, Duration.ofSeconds(20));
                };
                claims.add(pool.submit(claim));
            }
            start.countDown();
            long won = 0;
            for (Future<Optional<DeliveryJobs.Job>> f : claims) {
                won += f.get().isPresent() ? 1 : 0;
            }
            pool.shutdown();
            assertThat(won).isEqualTo(1);
            assertThat(jobs.job("r1").orElseThrow().attempts()).isEqualTo(1);
        }

        @Test
        void aStoppedInstancesJobIsTakenOverOnlyWhenItsLeaseRanOut() {
            jobs.create("r1", DeliveryJobs.Kind.PLAN, "0153");
            assertThat(jobs.claim("r1", "gateway-a/1", Duration.ofSeconds(20))).isPresent();
            assertThat(jobs.needingTicket(clock.instant().minusSeconds(60), 10)).isEmpty();

            clock.advance(Duration.ofSeconds(10));
            assertThat(jobs.claim("r1", "gateway-b/1", Duration.ofSeconds(20))).isEmpty();

            clock.advance(Duration.ofSeconds(11));
            assertThat(jobs.needingTicket(clock.instant().minusSeconds(60), 10))
                    .extracting(DeliveryJobs.Job::id)
                    .containsExactly("r1");
            DeliveryJobs.Job taken =
                    jobs.claim("r1", "gateway-b/1", Duration.ofSeconds(20)).orElseThrow();
            assertThat(taken.attempts()).isEqualTo(2);
            assertThat(jobs.done("r1", "gateway-a/1"))
                    .as("the first owner lost its lease")
                    .isFalse();
            assertThat(jobs.done("r1", "gateway-b/1")).isTrue();
            assertThat(jobs.claim("r1", "gateway-c/1", Duration.ofSeconds(20))).isEmpty();
        }

        @Test
        void aLeaseThatIsRenewedIsNotTakenOver() {
            jobs.create("r1", DeliveryJobs.Kind.MESSAGE, "12345678");
            assertThat(jobs.claim("r1", "gateway-a/1", Duration.ofSeconds(20)))
                    .as("claimed")
                    .isPresent();
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofSeconds(5));
                assertThat(jobs.renew("gateway-a/1", Duration.ofSeconds(20))).isEqualTo(1);
            }
            assertThat(jobs.claim("r1", "gateway-b/1", Duration.ofSeconds(20))).isEmpty();
        }

        @Test
        void aRestartedInstanceTakesBackTheLeasesOfItsEarlierRunAtOnce() {
            jobs.create("r1", DeliveryJobs.Kind.PLAN, "0153");
            jobs.create("r2", DeliveryJobs.Kind.PLAN, "0153");
            assertThat(jobs.claim("r1", "gateway_a/old", Duration.ofSeconds(20)))
                    .as("claimed")
                    .isPresent();
            assertThat(jobs.claim("r2", "gatewayXa/other", Duration.ofSeconds(20)))
                    .as("claimed")
                    .isPresent();

            assertThat(jobs.releaseEarlierRuns("gateway_a", "gateway_a/new"))
                    .as("only its own, '_' is no wildcard")
                    .isEqualTo(1);
            assertThat(jobs.claim("r1", "gateway_a/new", Duration.ofSeconds(20)))
                    .isPresent();
            assertThat(jobs.claim("r2", "gateway_a/new", Duration.ofSeconds(20)))
                    .isEmpty();
        }

        @Test
        void aRetryIsDueOnlyAtItsTimeAndGetsOneTicketPerRound() {
            jobs.create("r1", DeliveryJobs.Kind.PLAN, "0153");
            Instant longAgo = clock.instant().minusSeconds(600);
            assertThat(jobs.markPublished("r1", longAgo)).isPresent();
            assertThat(jobs.markPublished("r1", longAgo))
                    .as("a second relay finds it announced")
                    .isEmpty();

            assertThat(jobs.claim("r1", "gateway-a/1", Duration.ofSeconds(20)))
                    .as("claimed")
                    .isPresent();
            jobs.retryAt("r1", "gateway-a/1", clock.instant().plusSeconds(30), "HTTP 503");
            assertThat(jobs.needingTicket(clock.instant().minusSeconds(60), 10)).isEmpty();
            assertThat(jobs.claim("r1", "gateway-a/1", Duration.ofSeconds(20)))
                    .as("not due yet")
                    .isEmpty();

            clock.advance(Duration.ofSeconds(31));
            assertThat(jobs.needingTicket(clock.instant().minusSeconds(60), 10)).hasSize(1);
            assertThat(jobs.markPublished("r1", clock.instant().minusSeconds(60)))
                    .isPresent();
            assertThat(jobs.needingTicket(clock.instant().minusSeconds(60), 10)).isEmpty();

            clock.advance(Duration.ofSeconds(61));
            assertThat(jobs.needingTicket(clock.instant().minusSeconds(60), 10))
                    .as("a ticket presumed lost")
                    .hasSize(1);
        }

        @Test
        void anAttemptWithoutAnOutcomeIsInDoubtAfterACrash() {
            jobs.create("r1", DeliveryJobs.Kind.PLAN, "0153");
            assertThat(jobs.claim("r1", "gateway-a/1", Duration.ofSeconds(20)))
                    .as("claimed")
                    .isPresent();
            long sent = jobs.attemptStarted("r1", 1, "m1", "gateway-a/1");
            // killed here: no outcome recorded
            clock.advance(Duration.ofSeconds(21));
            assertThat(jobs.claim("r1", "gateway-b/1", Duration.ofSeconds(20)))
                    .as("claimed")
                    .isPresent();
            assertThat(jobs.markInDoubt("r1")).isEqualTo(1);
            assertThat(jobs.attempts("r1")).singleElement().satisfies(a -> {
                assertThat(a.id()).isEqualTo(sent);
                assertThat(a.outcome()).contains("IN_DOUBT");
            });
        }

        @Test
        void theScheduledJobLockHasOneHolderAtATime() {
            ClusterLock lock = new ClusterLock(jdbc, clock);
            assertThat(lock.tryAcquire("delivery-relay", "gateway-a/1", Duration.ofSeconds(3)))
                    .isTrue();
            assertThat(lock.tryAcquire("delivery-relay", "gateway-b/1", Duration.ofSeconds(3)))
                    .isFalse();
            clock.advance(Duration.ofSeconds(2));
            assertThat(lock.tryAcquire("delivery-relay", "gateway-a/1", Duration.ofSeconds(3)))
                    .as("the holder extends it")
                    .isTrue();
            clock.advance(Duration.ofSeconds(2));
            assertThat(lock.tryAcquire("delivery-relay", "gateway-b/1", Duration.ofSeconds(3)))
                    .isFalse();
            clock.advance(Duration.ofSeconds(2));
            assertThat(lock.tryAcquire("delivery-relay", "gateway-b/1", Duration.ofSeconds(3)))
                    .as("after it ran out")
                    .isTrue();
            lock.release("delivery-relay", "gateway-b/1");
            assertThat(lock.tryAcquire("delivery-relay", "gateway-a/1", Duration.ofSeconds(3)))
                    .as("released early")
                    .isTrue();
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
