package nl.wmogateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import nl.wmogateway.support.engines.CrashRun;
import nl.wmogateway.support.engines.CrashRun.Options;
import nl.wmogateway.support.engines.CrashRun.Result;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * No accepted plan is lost when the gateway is killed (kill -9) under load, and a plan the
 * gemeente receives twice carries the same Idempotency-Key both times. See {@link CrashRun} for
 * how the run goes; {@code CrashBenchmark} runs the same with more plans and more faults.
 *
 * <p>Tagged {@code crash}: part of {@code mvn verify} (about 9 minutes on two shared cores);
 * {@code -Dwmo.test.excluded-groups=crash} leaves it out of a quick local run.
 */
@Tag("crash")
class CrashSafetyTest {

    @Test
    void noAcceptedPlanIsLostWhenTheGatewayOnItsEmbeddedDefaultsIsKilledThreeTimes() {
        Result result = CrashRun.run(Options.embedded("ci-embedded", 200, 3));

        assertSafe(result, 200, 3);
    }

    @Test
    void noAcceptedPlanIsLostWhenOneOfTwoGatewaysOnPostgresAndAnExternalBrokerIsKilledTwice() {
        Result result = CrashRun.run(Options.external("ci-two-instances", 2, 200, 2));

        assertSafe(result, 200, 2);
    }

    private static void assertSafe(Result result, int plans, int kills) {
        System.out.print(result.report());
        String report = result.report() + String.join(System.lineSeparator(), result.events());
        assertThat(result.plans()).as(report).isGreaterThanOrEqualTo(plans);
        assertThat(result.gatewayKills()).as(report).isGreaterThanOrEqualTo(kills);
        assertThat(result.unanswered()).as(report).isZero();
        assertThat(result.rejectedTotal()).as(report).isZero();
        assertThat(result.accepted()).as(report).isEqualTo(result.plans());
        assertThat(result.acceptedAsTwoTasks()).as(report).isZero();
        assertThat(result.lost()).as(report).isZero();
        assertThat(result.deliveredWithDifferentKeys()).as(report).isZero();
    }
}
