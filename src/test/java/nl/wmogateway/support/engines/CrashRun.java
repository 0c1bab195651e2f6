package nl.wmogateway.support.engines;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One crash run: gateways under load from concurrent EHR clients while the run kills them
 * (SIGKILL), kills the external broker or cuts the database connection; afterwards it counts, per
 * request, what the EHR was told and what the gemeente received.
 *
 * <p>The clients post distinct plans ({@link DistinctPlans}), released at an even pace. A client
 * that gets a connection error, a 5xx or a 429 (its organisation has too many submissions in
 * progress) posts the same Bundle again a moment later (to the next gateway, as a load balancer
 * would), until it gets a 2xx or another 4xx, as a real EHR does; it gives
 * up three minutes after the last fault (40 minutes after the start at the latest). The gemeente ({@link FakeGemeente}) lives in this
 * JVM and records every delivery. The load window is cut into phases, one fault at a random
 * moment in each phase but the last, once the gateways have been up again for a random 1 to 4
 * seconds; the next phase begins only when the fault is over, so every fault hits a running load,
 * however slowly gateways restart on a busy machine. When the load is over, the run waits for
 * quiet (every accepted request delivered, or no delivery for {@link Options#quietPeriod()}),
 * bounded by {@link Options#quietTimeout()}.
 *
 * <p>Used by {@code CrashSafetyTest} (bounded, asserted) and {@code CrashBenchmark} (figures).
 */
public final class CrashRun {

    /** Where the gateways keep their state. */
    public enum Engines {
        /** The defaults: an H2 file database and an embedded Artemis broker per gateway. */
        EMBEDDED,
        /** PostgreSQL ({@link PostgresServer}) and an external Artemis broker ({@link ArtemisBroker}), shared by all gateways. */
        EXTERNAL
    }

    /**
     * What to run.
     *
     * @param name              names the run's directory under target/engines and its log lines
     * @param engines           where the gateways keep their state
     * @param instances         gateways sharing the engines (more than one needs {@link Engines#EXTERNAL})
     * @param plans             distinct plans to submit
     * @param clients           concurrent EHR clients
     * @param loadWindow        the plans are released evenly over this period
     * @param gatewayKills      kill -9 of a random gateway, restarted on the same data
     * @param brokerKills       kill -9 of the external broker, restarted on its journal 1 to 3 s later
     * @param databaseCuts      the database connection cut (or stalled) for {@code databaseCutLength}
     * @param databaseCutLength how long one cut lasts
     * @param stallDatabase     stall (drop every byte, keep connections) instead of cutting
     * @param quietPeriod       after the load, no delivery for this long ends the wait
     * @param quietTimeout      the longest wait for quiet
     * @param seed              for the moments of the faults and the BSNs
     */
    public record Options(
            String name,
            Engines engines,
            int instances,
            int plans,
            int clients,
            Duration loadWindow,
            int gatewayKills,
            int brokerKills,
            int databaseCuts,
            Duration databaseCutLength,
            boolean stallDatabase,
            Duration quietPeriod,
            Duration quietTimeout,
            long seed) {

        public Options {
            if (instances > 1 && engines == Engines.EMBEDDED) {
                throw new IllegalArgumentException("gateways share state only on external engines");
            }
            if ((brokerKills > 0 || databaseCuts > 0) && engines == Engines.EMBEDDED) {
                throw new IllegalArgumentException("broker kills and database cuts need external engines");
            }
        }

        /** One gateway on the embedded defaults, killed {@code kills} times. */
        public static Options embedded(String name, int plans, int kills) {
            return new Options(
                    name,
                    Engines.EMBEDDED,
                    1,
                    plans,
                    8,
                    Duration.ofSeconds(45),
                    kills,
                    0,
                    0,
                    Duration.ZERO,
                    false,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(90),
                    System.nanoTime());
        }

        /** {@code instances} gateways on PostgreSQL and an external broker, one of them killed at random {@code kills} times. */
        public static Options external(String name, int instances, int plans, int kills) {
            return new Options(
                    name,
                    Engines.EXTERNAL,
                    instances,
                    plans,
                    8,
                    Duration.ofSeconds(45),
                    kills,
                    0,
                    0,
                    Duration.ZERO,
                    false,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(90),
                    System.nanoTime());
        }

        public Options withBrokerKills(int kills) {
            return new Options(
                    name,
                    engines,
                    instances,
                    plans,
                    clients,
                    loadWindow,
                    gatewayKills,
                    kills,
                    databaseCuts,
                    databaseCutLength,
                    stallDatabase,
                    quietPeriod,
                    quietTimeout,
                    seed);
        }

        public Options withDatabaseCuts(int cuts, Duration length, boolean stall) {
            return new Options(
                    name,
                    engines,
                    instances,
                    plans,
                    clients,
                    loadWindow,
                    gatewayKills,
                    brokerKills,
                    cuts,
                    length,
                    stall,
                    quietPeriod,
                    quietTimeout,
                    seed);
        }

        public Options withLoad(int plans, int clients, Duration window) {
            return new Options(
                    name,
                    engines,
                    instances,
                    plans,
                    clients,
                    window,
                    gatewayKills,
                    brokerKills,
                    databaseCuts,
                    databaseCutLength,
                    stallDatabase,
                    quietPeriod,
                    quietTimeout,
                    seed);
        }

        public Options withSeed(long seed) {
            return new Options(
                    name,
                    engines,
                    instances,
                    plans,
                    clients,
                    loadWindow,
                    gatewayKills,
                    brokerKills,
                    databaseCuts,
                    databaseCutLength,
                    stallDatabase,
                    quietPeriod,
                    quietTimeout,
                    seed);
        }
    }

    /**
     * What a run counted, by request id (the Task id the EHR was given).
     *
     * @param plans                     distinct plans submitted
     * @param accepted                  plans the EHR got a 2xx with a Task for
     * @param rejected                  plans whose final answer was a 4xx, by status
     * @param unanswered                plans with neither a 2xx nor a 4xx when the load ended
     * @param acceptedAsTwoTasks        plans for which the EHR was given two different Task ids (a bug)
     * @param delivered                 accepted requests of which the gemeente received every rendering
     * @param deliveredMoreThanOnce     accepted requests with a rendering received more than once under the same Idempotency-Key
     * @param deliveredWithDifferentKeys requests with a rendering received under two or more Idempotency-Keys (a bug)
     * @param lost                      accepted requests of which a rendering never arrived
     * @param partiallyDelivered        of the lost ones: some rendering did arrive
     * @param deliveredNotAccepted      requests the gemeente received that no EHR answer named
     * @param lostStatuses              the stored status of the lost requests ({@code wmo_request.status}), counted
     * @param lostExamples              up to ten lost request ids
     * @param storedStatuses            every stored request's status, counted
     * @param deliveries                rendering POSTs the gemeente received
     * @param submissions               POSTs the EHR clients made
     * @param connectionErrors          of which ended in an I/O error (refused, reset, timeout)
     * @param serverErrors              of which were answered 5xx
     * @param gatewayKills              gateway kills done
     * @param brokerKills               broker kills done
     * @param databaseCuts              database cuts done
     * @param restarts                  how long each restarted gateway took to be ready
     * @param startup                   how long the first gateway took to be ready
     * @param load                      from the first release to the last answer
     * @param quiet                     the wait for quiet
     * @param wall                      the whole run, from the first engine start to the last stop
     * @param events                    what happened when, for the report
     */
    public record Result(
            String name,
            int plans,
            int accepted,
            Map<Integer, Integer> rejected,
            int unanswered,
            int acceptedAsTwoTasks,
            int delivered,
            int deliveredMoreThanOnce,
            int deliveredWithDifferentKeys,
            int lost,
            int partiallyDelivered,
            int deliveredNotAccepted,
            Map<String, Integer> lostStatuses,
            List<String> lostExamples,
            Map<String, Integer> storedStatuses,
            int deliveries,
            int submissions,
            int connectionErrors,
            int serverErrors,
            int gatewayKills,
            int brokerKills,
            int databaseCuts,
            List<Duration> restarts,
            Duration startup,
            Duration load,
            Duration quiet,
            Duration wall,
            List<String> rejectionExamples,
            List<String> events) {

        public int rejectedTotal() {
            return rejected.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** The figures in a few lines. */
        public String report() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(
                    "crash run %s: %d plans, %d gateway kill(s), %d broker kill(s), %d database cut(s)%n",
                    name, plans, gatewayKills, brokerKills, databaseCuts));
            b.append(String.format(
                    "  accepted %d, rejected (4xx) %d %s, unanswered %d, two Tasks for one plan %d%n",
                    accepted, rejectedTotal(), rejected, unanswered, acceptedAsTwoTasks));
            b.append(String.format(
                    "  delivered %d, LOST %d (of which partly delivered %d), delivered more than once (same key) %d, "
                            + "with DIFFERENT keys %d, delivered but never accepted %d%n",
                    delivered,
                    lost,
                    partiallyDelivered,
                    deliveredMoreThanOnce,
                    deliveredWithDifferentKeys,
                    deliveredNotAccepted));
            if (lost > 0) {
                b.append(String.format("  lost requests' stored status: %s; e.g. %s%n", lostStatuses, lostExamples));
            }
            b.append(String.format("  stored requests by status: %s%n", storedStatuses));
            b.append(String.format(
                    "  %d rendering POSTs at the gemeente; %d EHR submissions, %d connection errors, %d answered 5xx%n",
                    deliveries, submissions, connectionErrors, serverErrors));
            b.append(String.format(
                    "  first start %.1f s, restarts %s, load %.1f s, wait for quiet %.1f s, whole run %.1f s%n",
                    seconds(startup),
                    restarts.stream()
                            .map(d -> String.format("%.1f s", seconds(d)))
                            .toList(),
                    seconds(load),
                    seconds(quiet),
                    seconds(wall)));
            if (!rejectionExamples.isEmpty()) {
                b.append("  rejections, e.g.: ").append(rejectionExamples).append(System.lineSeparator());
            }
            return b.toString();
        }

        private static double seconds(Duration d) {
            return d.toMillis() / 1000.0;
        }
    }

    private final Options options;
    private final Random random;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final long t0 = System.nanoTime();
    private final EhrClient ehr = new EhrClient();
    private final List<GatewayProcess> gateways = new ArrayList<>();
    private final List<Duration> restarts = new CopyOnWriteArrayList<>();
    private final AtomicInteger submissions = new AtomicInteger();
    private final AtomicInteger connectionErrors = new AtomicInteger();
    private final AtomicInteger serverErrors = new AtomicInteger();
    private final AtomicInteger gatewayKills = new AtomicInteger();
    private final AtomicInteger brokerKills = new AtomicInteger();
    private final AtomicInteger databaseCuts = new AtomicInteger();
    private volatile boolean loadDone;
    private volatile long lastReadyNanos = System.nanoTime();
    private ArtemisBroker broker;
    private TcpProxy databaseProxy;
    private String jdbcUrl;
    /** The database as the run reads it afterwards, not through the proxy. */
    private String directUrl;

    private String dbUser;
    private String dbPassword;

    private CrashRun(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
    }

    /** Runs it; engines and gateways are stopped when it returns, whatever happened. */
    public static Result run(Options options) {
        return new CrashRun(options).execute();
    }

    /** A plan's fate as seen by its EHR client. */
    private static final class Outcome {
        final Set<String> taskIds = new HashSet<>();
        Integer rejectedWith;
        String rejection;
    }

    private Result execute() {
        List<DistinctPlans.Plan> plans = DistinctPlans.make(
                options.plans(), options.name() + "-" + Long.toHexString(options.seed()), options.seed());
        Map<Integer, Outcome> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        plans.forEach(p -> outcomes.put(p.index(), new Outcome()));
        FakeGemeente gemeente = FakeGemeente.start();
        Duration startup;
        long loadStart;
        long loadEnd;
        long quietEnd;
        Duration quietTook;
        try {
            startEngines();
            Map<String, String> settings = new LinkedHashMap<>(GatewayProcess.testSettings(gemeente.writePartners()));
            settings.put("logging.level.nl.wmogateway", "INFO");
            if (options.engines() == Engines.EXTERNAL) {
                settings.putAll(GatewayProcess.externalEngines(jdbcUrl, dbUser, dbPassword, broker));
                // a cut connection must not hold a request thread for Hikari's default 30 s
                settings.put("spring.datasource.hikari.connection-timeout", "5000");
            }
            long startupBegin = System.nanoTime();
            for (int i = 0; i < options.instances(); i++) {
                // one after the other, as docs/high-availability.md says (Flyway's lock would also serialise the
                // migrations)
                GatewayProcess gateway = new GatewayProcess(options.name() + "-gateway-" + (char) ('a' + i), settings);
                gateways.add(gateway);
                gateway.start().awaitReady(READY_TIMEOUT);
                event("gateway " + gateway.name() + " ready on port " + gateway.port());
            }
            startup = Duration.ofNanos(System.nanoTime() - startupBegin);
            lastReadyNanos = System.nanoTime();

            loadStart = System.nanoTime();
            latestGiveUp = loadStart + GIVE_UP_AT_THE_LATEST.toNanos();
            Phases phases = new Phases(faultCount(), options.loadWindow(), plans.size(), loadStart);
            Thread chaos = new Thread(() -> faults(phases), "crash-faults");
            chaos.setDaemon(true);
            chaos.start();
            runLoad(plans, outcomes, phases);
            loadEnd = System.nanoTime();
            loadDone = true;
            event("load over");
            joinQuietly(chaos);
            if (faultFailure != null) {
                throw new IllegalStateException(
                        "a fault could not be carried out; see the engine logs in " + EngineFiles.runDir(),
                        faultFailure);
            }
            long quietBegin = System.nanoTime();
            awaitQuiet(gemeente, outcomes);
            quietEnd = System.nanoTime();
            quietTook = Duration.ofNanos(quietEnd - quietBegin);
            event("quiet");
        } finally {
            for (GatewayProcess gateway : gateways) {
                gateway.stop();
            }
            if (broker != null) {
                broker.stop();
            }
            if (databaseProxy != null) {
                databaseProxy.close();
            }
            gemeente.stop();
        }
        return count(
                plans,
                outcomes,
                gemeente,
                startup,
                Duration.ofNanos(loadEnd - loadStart),
                quietTook,
                Duration.ofNanos(System.nanoTime() - t0));
    }

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(90);

    private void startEngines() {
        if (options.engines() == Engines.EXTERNAL) {
            PostgresServer postgres = PostgresServer.shared();
            String url = postgres.newDatabase(options.name());
            dbUser = postgres.username();
            dbPassword = postgres.password();
            if (options.databaseCuts() > 0) {
                databaseProxy = TcpProxy.to(postgres.port());
                jdbcUrl = PostgresServer.jdbcUrl(PostgresServer.databaseOf(url), databaseProxy.port());
            } else {
                jdbcUrl = url;
            }
            directUrl = url;
            broker = ArtemisBroker.start(options.name() + "-broker");
            event("external engines up: " + postgres + ", " + broker);
        }
    }

    // ------------------------------------------------------------------------------------- load

    private void runLoad(List<DistinctPlans.Plan> plans, Map<Integer, Outcome> outcomes, Phases phases) {
        AtomicInteger next = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < options.clients(); c++) {
            int client = c;
            Thread t = new Thread(
                    () -> {
                        while (true) {
                            int j = next.getAndIncrement();
                            if (j >= plans.size()) {
                                return;
                            }
                            long release = phases.releaseAt(j);
                            sleepUntil(release);
                            submitUntilAnswered(plans.get(j), outcomes.get(j), client);
                        }
                    },
                    "ehr-client-" + c);
            t.setDaemon(true);
            t.start();
            clients.add(t);
        }
        clients.forEach(CrashRun::joinQuietly);
    }

    /** Clients give up on plans still unanswered this long after the last fault is over... */
    private static final Duration GIVE_UP_AFTER_FAULTS = Duration.ofMinutes(3);
    /** ...and in any case this long after the load began. */
    private static final Duration GIVE_UP_AT_THE_LATEST = Duration.ofMinutes(40);

    private volatile boolean faultsOver;
    private volatile long giveUpAt;
    private volatile long latestGiveUp;

    private boolean givenUp() {
        long now = System.nanoTime();
        return (faultsOver && now - giveUpAt > 0) || now - latestGiveUp > 0;
    }

    /**
     * The load in phases of equal length and an equal share of the plans, one fault at a random
     * moment in each phase but the last. A phase begins when the previous one's time is up and its
     * fault is over (the gateway ready again), so every fault falls within the load, with plans
     * still being released while a gateway is down, however long a restart takes.
     */
    private static final class Phases {

        private final int count;
        private final int plans;
        private final long length;
        private final long[] start;

        Phases(int faults, Duration window, int plans, long begin) {
            this.count = faults + 1;
            this.plans = plans;
            this.length = window.toNanos() / count;
            this.start = new long[count];
            java.util.Arrays.fill(start, -1);
            start[0] = begin;
        }

        long length() {
            return length;
        }

        synchronized long startOf(int phase) {
            while (start[phase] < 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return System.nanoTime();
                }
            }
            return start[phase];
        }

        synchronized void begin(int phase, long at) {
            if (phase < count && start[phase] < 0) {
                start[phase] = at;
                notifyAll();
            }
        }

        /** Begins every phase not yet begun, now (when the faults end early). */
        synchronized void beginRest() {
            long now = System.nanoTime();
            for (int p = 0; p < count; p++) {
                begin(p, now);
            }
        }

        long releaseAt(int plan) {
            int phase = (int) ((long) plan * count / plans);
            int first = firstPlan(phase);
            int inPhase = Math.max(1, firstPlan(phase + 1) - first);
            return startOf(phase) + length * (plan - first) / inPhase;
        }

        private int firstPlan(int phase) {
            return (int) (((long) phase * plans + count - 1) / count);
        }
    }

    private void submitUntilAnswered(DistinctPlans.Plan plan, Outcome outcome, int client) {
        int attempt = 0;
        while (!givenUp()) {
            GatewayProcess gateway = gateways.get((client + attempt) % gateways.size());
            attempt++;
            submissions.incrementAndGet();
            try {
                EhrClient.Answer answer = ehr.submit(gateway.baseUrl(), plan.json(), SUBMIT_TIMEOUT);
                if (answer.accepted()) {
                    synchronized (outcome) {
                        outcome.taskIds.add(answer.taskId().get());
                    }
                    return;
                }
                if (answer.status() == 429) {
                    // "too many at once for your organisation": a real EHR waits and sends the same Bundle again
                    pause(250 + random(0, 200)); // shorter than the Retry-After it is given: the load stays high

                    continue;
                }
                if (answer.status() / 100 == 4) {
                    synchronized (outcome) {
                        outcome.rejectedWith = answer.status();
                        outcome.rejection = abbreviate(answer.body());
                    }
                    return;
                }
                serverErrors.incrementAndGet();
            } catch (IOException e) {
                connectionErrors.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause(Math.min(2000, 100L << Math.min(attempt, 4)) + random(0, 200));
        }
    }

    // ----------------------------------------------------------------------------------- faults

    private enum Fault {
        GATEWAY_KILL,
        BROKER_KILL,
        DATABASE_CUT
    }

    private int faultCount() {
        return options.gatewayKills() + options.brokerKills() + options.databaseCuts();
    }

    private volatile Throwable faultFailure;

    private void faults(Phases phases) {
        List<Fault> faults = new ArrayList<>();
        Collections.nCopies(options.gatewayKills(), Fault.GATEWAY_KILL).forEach(faults::add);
        Collections.nCopies(options.brokerKills(), Fault.BROKER_KILL).forEach(faults::add);
        Collections.nCopies(options.databaseCuts(), Fault.DATABASE_CUT).forEach(faults::add);
        Collections.shuffle(faults, random);
        try {
            for (int i = 0; i < faults.size(); i++) {
                long phaseStart = phases.startOf(i);
                // a random moment in the middle of this phase, once the gateways have been up again for a moment
                sleepUntil(phaseStart + (long) (phases.length() * (0.2 + 0.6 * random.nextDouble())));
                sleepUntil(
                        lastReadyNanos + Duration.ofMillis(random(1000, 4000)).toNanos());
                if (loadDone) {
                    event("load over before " + faults.get(i).name().toLowerCase(Locale.ROOT) + " " + (i + 1)
                            + "; not done");
                    continue;
                }
                switch (faults.get(i)) {
                    case GATEWAY_KILL -> killGateway();
                    case BROKER_KILL -> killBroker();
                    case DATABASE_CUT -> cutDatabase();
                }
                lastReadyNanos = System.nanoTime();
                phases.begin(i + 1, Math.max(System.nanoTime(), phaseStart + phases.length()));
            }
        } catch (RuntimeException | Error e) {
            faultFailure = e;
            event("fault failed: " + e.getMessage());
        } finally {
            phases.beginRest();
            giveUpAt = System.nanoTime() + GIVE_UP_AFTER_FAULTS.toNanos();
            faultsOver = true;
        }
    }

    private void killGateway() {
        GatewayProcess victim = gateways.get(random.nextInt(gateways.size()));
        victim.kill9();
        gatewayKills.incrementAndGet();
        event("killed " + victim.name() + " (kill -9)");
        pause(random(0, 1000));
        long begin = System.nanoTime();
        victim.start().awaitReady(READY_TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        restarts.add(took);
        event(victim.name() + " ready again after " + took.toMillis() + " ms");
    }

    private void killBroker() {
        broker.kill();
        brokerKills.incrementAndGet();
        event("killed the broker (kill -9)");
        pause(random(1000, 3000));
        broker.restart();
        event("broker back");
    }

    private void cutDatabase() {
        if (options.stallDatabase()) {
            databaseProxy.stall();
        } else {
            databaseProxy.cut();
        }
        databaseCuts.incrementAndGet();
        event((options.stallDatabase() ? "stalled" : "cut") + " the database connection for "
                + options.databaseCutLength());
        pause(options.databaseCutLength().toMillis());
        databaseProxy.restore();
        event("database connection back");
    }

    // ------------------------------------------------------------------------------------ quiet

    private void awaitQuiet(FakeGemeente gemeente, Map<Integer, Outcome> outcomes) {
        long begin = System.nanoTime();
        long deadline = begin + options.quietTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            boolean all =
                    outcomes.values().stream().flatMap(o -> o.taskIds.stream()).allMatch(gemeente::delivered);
            long silentFor = System.nanoTime() - Math.max(gemeente.lastDeliveryNanos(), begin);
            if (all || silentFor > options.quietPeriod().toNanos()) {
                return;
            }
            pause(200);
        }
        event("no quiet within " + options.quietTimeout());
    }

    // ----------------------------------------------------------------------------------- counts

    private Result count(
            List<DistinctPlans.Plan> plans,
            Map<Integer, Outcome> outcomes,
            FakeGemeente gemeente,
            Duration startup,
            Duration load,
            Duration quiet,
            Duration wall) {
        Set<String> accepted = new HashSet<>();
        int acceptedPlans = 0;
        Map<Integer, Integer> rejected = new TreeMap<>();
        List<String> rejectionExamples = new ArrayList<>();
        int unanswered = 0;
        int twoTasks = 0;
        for (Outcome o : outcomes.values()) {
            if (!o.taskIds.isEmpty()) {
                acceptedPlans++;
                accepted.addAll(o.taskIds);
                if (o.taskIds.size() > 1) {
                    twoTasks++;
                }
            } else if (o.rejectedWith != null) {
                rejected.merge(o.rejectedWith, 1, Integer::sum);
                if (rejectionExamples.size() < 3) {
                    rejectionExamples.add(o.rejectedWith + ": " + o.rejection);
                }
            } else {
                unanswered++;
            }
        }
        Map<String, Map<String, List<String>>> keys = new HashMap<>(); // request -> rendering -> keys in order
        List<FakeGemeente.Delivery> deliveries = gemeente.deliveries();
        for (FakeGemeente.Delivery d : deliveries) {
            keys.computeIfAbsent(d.requestId(), k -> new HashMap<>())
                    .computeIfAbsent(d.rendering(), k -> new ArrayList<>())
                    .add(d.idempotencyKey());
        }
        int delivered = 0;
        int moreThanOnce = 0;
        int differentKeys = 0;
        int partial = 0;
        List<String> lost = new ArrayList<>();
        for (String id : accepted) {
            Map<String, List<String>> byRendering = keys.getOrDefault(id, Map.of());
            if (byRendering.keySet().containsAll(FakeGemeente.RENDERINGS)) {
                delivered++;
            } else {
                lost.add(id);
                if (!byRendering.isEmpty()) {
                    partial++;
                }
            }
        }
        for (Map<String, List<String>> byRendering : keys.values()) {
            boolean repeated = byRendering.values().stream().anyMatch(k -> k.size() > new HashSet<>(k).size());
            boolean different = byRendering.values().stream().anyMatch(k -> new HashSet<>(k).size() > 1);
            moreThanOnce += repeated ? 1 : 0;
            differentKeys += different ? 1 : 0;
        }
        int notAccepted = (int)
                keys.keySet().stream().filter(id -> !accepted.contains(id)).count();
        Collections.sort(lost);
        Map<String, Integer> lostStatuses = new TreeMap<>();
        Map<String, Integer> storedStatuses = new TreeMap<>();
        readStore(lost, lostStatuses, storedStatuses);
        return new Result(
                options.name(),
                plans.size(),
                acceptedPlans,
                rejected,
                unanswered,
                twoTasks,
                delivered,
                moreThanOnce,
                differentKeys,
                lost.size(),
                partial,
                notAccepted,
                lostStatuses,
                lost.subList(0, Math.min(10, lost.size())),
                storedStatuses,
                deliveries.size(),
                submissions.get(),
                connectionErrors.get(),
                serverErrors.get(),
                gatewayKills.get(),
                brokerKills.get(),
                databaseCuts.get(),
                List.copyOf(restarts),
                startup,
                load,
                quiet,
                wall,
                rejectionExamples,
                List.copyOf(events));
    }

    /** Reads the stored status of the lost requests and of all requests, from the gateways' database (after they stopped). */
    private void readStore(List<String> lost, Map<String, Integer> lostStatuses, Map<String, Integer> storedStatuses) {
        String url;
        String user;
        String password;
        if (options.engines() == Engines.EXTERNAL) {
            url = directUrl;
            user = dbUser;
            password = dbPassword;
        } else {
            url = "jdbc:h2:file:" + gateways.get(0).workDir().resolve("db") + ";ACCESS_MODE_DATA=r";
            user = GatewayProcess.H2_USER;
            password = GatewayProcess.H2_PASSWORD;
        }
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (PreparedStatement s = c.prepareStatement("select status, count(*) from wmo_request group by status");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    storedStatuses.put(r.getString(1), r.getInt(2));
                }
            }
            try (PreparedStatement s = c.prepareStatement("select status from wmo_request where id = ?")) {
                for (String id : lost) {
                    s.setString(1, id);
                    try (ResultSet r = s.executeQuery()) {
                        lostStatuses.merge(r.next() ? r.getString(1) : "(not stored)", 1, Integer::sum);
                    }
                }
            }
        } catch (SQLException e) {
            storedStatuses.put("(store not readable: " + e.getMessage() + ")", 0);
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    private void event(String what) {
        String line = String.format("%7.1f s  %s", (System.nanoTime() - t0) / 1e9, what);
        events.add(line);
        System.out.println("[" + options.name() + "] " + line);
    }

    private synchronized long random(long from, long to) {
        return from + (long) (random.nextDouble() * (to - from));
    }

    private static void sleepUntil(long nanos) {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            pause(wait / 1_000_000 + 1);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String abbreviate(String body) {
        String oneLine = body.replaceAll("\\s+", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }
}
