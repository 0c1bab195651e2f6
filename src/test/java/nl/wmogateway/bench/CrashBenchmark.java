package nl.wmogateway.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import nl.wmogateway.support.engines.CrashRun;
import nl.wmogateway.support.engines.CrashRun.Options;
import nl.wmogateway.support.engines.CrashRun.Result;
import org.opentest4j.TestAbortedException;

/**
 * Kills the gateway and its engines under load and counts, per request, what was accepted, what
 * the gemeente received, what arrived twice and what was lost ({@link CrashRun}). Prints the
 * figures per variant:
 * <ul>
 *   <li>{@code a}: one gateway on the embedded defaults (H2 + embedded Artemis), killed 3 times;</li>
 *   <li>{@code b}: two gateways sharing PostgreSQL and an external Artemis, one of them killed at random 3 times;</li>
 *   <li>{@code c}: one gateway on PostgreSQL + external Artemis, the broker killed and restarted 3 times;</li>
 *   <li>{@code d}: one gateway on PostgreSQL + external Artemis, the database connection cut for 30 s, twice;</li>
 *   <li>{@code d-stall}: as d, but the connection stalls (every byte dropped) instead of being cut.</li>
 * </ul>
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=nl.wmogateway.bench.CrashBenchmark [-Dexec.args="a,b,c,d 300"]</pre>
 *
 * Arguments: the variants (comma separated, default {@code a,b,c,d}) and the plans per variant
 * (default 300). Engine logs stay in {@code target/engines/}. Each variant takes two to five
 * minutes on the 2-core development machine, most of it gateways starting (validator warm-up).
 */
public final class CrashBenchmark {

    public static void main(String[] args) {
        String[] variants = (args.length > 0 ? args[0] : "a,b,c,d").split(",");
        int plans = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        List<Result> results = new ArrayList<>();
        for (String variant : variants) {
            try {
                Result result = CrashRun.run(options(variant.trim(), plans));
                results.add(result);
                System.out.println();
                System.out.print(result.report());
                result.events().forEach(e -> System.out.println("    " + e));
            } catch (TestAbortedException e) {
                System.out.println("variant " + variant + " skipped: " + e.getMessage());
            }
        }
        System.out.println();
        System.out.println("Wmo Gateway crash benchmark (" + plans + " plans per variant, "
                + Runtime.getRuntime().availableProcessors() + " cores, " + Instant.now() + ")");
        System.out.printf(
                "  %-22s %8s %8s %9s %6s %10s %9s %6s %5s %7s%n",
                "variant",
                "accepted",
                "rejected",
                "delivered",
                "lost",
                "duplicates",
                "diff-keys",
                "kills",
                "4xx",
                "wall s");
        for (Result r : results) {
            System.out.printf(
                    "  %-22s %8d %8d %9d %6d %10d %9d %6s %5d %7.0f%n",
                    r.name(),
                    r.accepted(),
                    r.rejectedTotal(),
                    r.delivered(),
                    r.lost(),
                    r.deliveredMoreThanOnce(),
                    r.deliveredWithDifferentKeys(),
                    r.gatewayKills() + "/" + r.brokerKills() + "/" + r.databaseCuts(),
                    r.rejectedTotal(),
                    r.wall().toMillis() / 1000.0);
        }
        System.out.println(
                "  (kills: gateway/broker/database cuts; duplicates: requests with a rendering received twice under one key)");
        System.exit(0);
    }

    static Options options(String variant, int plans) {
        Duration window = Duration.ofSeconds(Math.max(45, plans / 4));
        return switch (variant) {
            case "a" -> Options.embedded("a-embedded", plans, 3).withLoad(plans, 8, window);
            case "b" -> Options.external("b-two-instances", 2, plans, 3).withLoad(plans, 8, window);
            case "c" ->
                Options.external("c-broker-kills", 1, plans, 0)
                        .withBrokerKills(3)
                        .withLoad(plans, 8, window);
            case "d" ->
                Options.external("d-database-cut", 1, plans, 0)
                        .withDatabaseCuts(2, Duration.ofSeconds(30), false)
                        .withLoad(plans, 8, window.plusSeconds(60));
            case "d-stall" ->
                Options.external("d-database-stall", 1, plans, 0)
                        .withDatabaseCuts(2, Duration.ofSeconds(30), true)
                        .withLoad(plans, 8, window.plusSeconds(60));
            default ->
                throw new IllegalArgumentException("unknown variant " + variant + "; known: a, b, c, d, d-stall");
        };
    }
}
