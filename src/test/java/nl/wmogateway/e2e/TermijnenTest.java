package nl.wmogateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import nl.wmogateway.ops.Termijnen;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import org.junit.jupiter.api.Test;

/** The iWmo deadlines: an answer within 5 werkdagen of delivery, a retour within 3 werkdagen. */
class TermijnenTest extends GatewayTestBase {

    private static final ZoneId NL = ZoneId.of("Europe/Amsterdam");

    @Test
    void aRequestWithoutAnswerIsOverdueAfterFiveWerkdagenNotBefore() {
        String taskId = delivered();

        assertThat(termijnenOn(LocalDate.now(NL).plusDays(1)).antwoordenTeLaat())
                .extracting(Termijnen.AntwoordTeLaat::aanvraag)
                .doesNotContain(taskId);
        assertThat(termijnenOn(LocalDate.now(NL).plusDays(10)).antwoordenTeLaat())
                .extracting(Termijnen.AntwoordTeLaat::aanvraag)
                .contains(taskId);
    }

    @Test
    void aWmo301WithoutRetourIsOverdueAfterThreeWerkdagenAndNotOnceTheRetourCame() throws Exception {
        String taskId = delivered();
        grantFirstRejectSecond(taskId, 5001);

        assertThat(termijnenOn(LocalDate.now(NL).plusDays(1)).retourenTeLaat())
                .extracting(Termijnen.RetourTeLaat::aanvraag)
                .doesNotContain(taskId);
        assertThat(termijnenOn(LocalDate.now(NL).plusDays(10)).retourenTeLaat())
                .extracting(Termijnen.RetourTeLaat::aanvraag)
                .contains(taskId);
        assertThat(termijnenOn(LocalDate.now(NL).plusDays(10)).antwoordenTeLaat())
                .extracting(Termijnen.AntwoordTeLaat::aanvraag)
                .doesNotContain(taskId);
    }

    private String delivered() {
        String taskId = taskId(ehr().transaction().withBundle(Requests.fresh()).execute());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.request(taskId)
                        .map(r -> r.status() == RequestStatus.DELIVERED)
                        .orElse(false));
        return taskId;
    }

    private Termijnen termijnenOn(LocalDate day) {
        return new Termijnen(
                store, Clock.fixed(day.atTime(12, 0).atZone(NL).toInstant(), NL), new SimpleMeterRegistry());
    }
}
