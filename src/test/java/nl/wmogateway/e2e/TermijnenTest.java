package nl.wmogateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import nl.wmogateway.ops.Termijnen;
import nl.wmogateway.plan.AangevraagdProduct;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.PlanCodec;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The iWmo deadlines: an answer within 5 werkdagen of delivery, a retour within 3 werkdagen. */
class TermijnenTest extends GatewayTestBase {

    private static final ZoneId NL = ZoneId.of("Europe/Amsterdam");

    @Autowired
    MessageStore store;
    @Autowired
    PlanCodec planCodec;

    @Test
    void aRequestWithoutAnswerIsOverdueAfterFiveWerkdagenNotBefore() {
        String taskId = delivered();

        assertThat(termijnenOn(LocalDate.now(NL).plusDays(1)).antwoordenTeLaat()).extracting(Termijnen.AntwoordTeLaat::aanvraag)
                .doesNotContain(taskId);
        assertThat(termijnenOn(LocalDate.now(NL).plusDays(10)).antwoordenTeLaat()).extracting(Termijnen.AntwoordTeLaat::aanvraag)
                .contains(taskId);
    }

    @Test
    void aWmo301WithoutRetourIsOverdueAfterThreeWerkdagenAndNotOnceTheRetourCame() throws Exception {
        String taskId = delivered();
        Ondersteuningsplan plan = planCodec.read(store.request(taskId).orElseThrow().planJson());
        AangevraagdProduct p = plan.maatwerkvoorzieningen().get(0);
        String beschikking = """
                {"schema":"https://wmo-gateway.nl/schema/beschikking/v1","aanvraag":"%s","beschikkingnummer":5001,
                 "besluit":"deels-toegekend","afgiftedatum":"%s","producten":[
                 {"referentieAanbieder":"%s","uitkomst":"toegekend","productcategorie":"%s","productcode":"%s",
                  "omvang":{"volume":60,"eenheid":"01","frequentie":"2"},"ingangsdatum":"%s","einddatum":"%s"},
                 {"referentieAanbieder":"%s","uitkomst":"afgewezen","productcategorie":"%s","productcode":"%s","redenAfwijzing":"6"}],
                 "contactadres":{"soort":"01","straatnaam":"Markt","huisnummer":1,"postcode":"7511AA","plaatsnaam":"Enschede","landcode":"NL"}}"""
                .formatted(taskId, LocalDate.now(), p.referentieAanbieder(), p.categorie(), p.code().orElseThrow(),
                        p.ingangsdatum(), p.ingangsdatum().plusMonths(6),
                        plan.maatwerkvoorzieningen().get(1).referentieAanbieder(), plan.maatwerkvoorzieningen().get(1).categorie(),
                        plan.maatwerkvoorzieningen().get(1).code().orElseThrow());
        HttpResponse<String> response = jdkClient(TestPkiFiles.GEMEENTE).send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + port + "/gemeente/beschikkingen"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(beschikking)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);

        assertThat(termijnenOn(LocalDate.now(NL).plusDays(1)).retourenTeLaat()).extracting(Termijnen.RetourTeLaat::aanvraag)
                .doesNotContain(taskId);
        assertThat(termijnenOn(LocalDate.now(NL).plusDays(10)).retourenTeLaat()).extracting(Termijnen.RetourTeLaat::aanvraag)
                .contains(taskId);
        assertThat(termijnenOn(LocalDate.now(NL).plusDays(10)).antwoordenTeLaat()).extracting(Termijnen.AntwoordTeLaat::aanvraag)
                .doesNotContain(taskId);
    }

    private String delivered() {
        String taskId = taskId(ehr().transaction().withBundle(Requests.fresh()).execute());
        await().atMost(Duration.ofSeconds(30)).until(() -> store.request(taskId).map(r -> r.status() == RequestStatus.DELIVERED).orElse(false));
        return taskId;
    }

    private Termijnen termijnenOn(LocalDate day) {
        return new Termijnen(store, Clock.fixed(day.atTime(12, 0).atZone(NL).toInstant(), NL), new SimpleMeterRegistry());
    }
}
