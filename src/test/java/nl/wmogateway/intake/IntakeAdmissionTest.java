package nl.wmogateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IntakeAdmissionTest {

    @Test
    void aPartnerGetsNoMoreThanItsShareInProgress() {
        IntakeAdmission admission = new IntakeAdmission(2, 3, Duration.ofMillis(10));

        assertThat(admission.enter("12345678")).isTrue();
        assertThat(admission.enter("12345678")).isTrue();
        assertThat(admission.enter("12345678")).isTrue();
        assertThat(admission.enter("12345678")).isFalse();
        assertThat(admission.inFlight("12345678")).isEqualTo(3);
    }

    @Test
    void anotherPartnerStillGetsInWhenOneHasItsShareFull() {
        IntakeAdmission admission = new IntakeAdmission(2, 1, Duration.ofMillis(10));
        admission.enter("12345678");

        assertThat(admission.enter("12345678")).isFalse();
        assertThat(admission.enter("23456789")).isTrue();
    }

    @Test
    void aFinishedSubmissionFreesItsPlaceInTheShare() {
        IntakeAdmission admission = new IntakeAdmission(2, 1, Duration.ofMillis(10));
        admission.enter("12345678");
        admission.leave("12345678");

        assertThat(admission.enter("12345678")).isTrue();
    }

    @Test
    void whenAllTurnsAreTakenASubmissionWaitsAtMostTheWaitAndIsRefused() {
        IntakeAdmission admission = new IntakeAdmission(2, 10, Duration.ofMillis(200));
        assertThat(admission.acquire()).isTrue();
        assertThat(admission.acquire()).isTrue();

        long start = System.nanoTime();
        boolean third = admission.acquire();
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(third).isFalse();
        assertThat(waitedMs).isBetween(150L, 5_000L);
        assertThat(admission.active()).isEqualTo(2);
    }

    @Test
    void aWaitingSubmissionGetsTheTurnThatIsReleased() throws Exception {
        IntakeAdmission admission = new IntakeAdmission(1, 10, Duration.ofSeconds(10));
        admission.acquire();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(admission::acquire);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> admission.waiting() == 1);

        admission.release();

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(admission.active()).isEqualTo(1);
    }
}
