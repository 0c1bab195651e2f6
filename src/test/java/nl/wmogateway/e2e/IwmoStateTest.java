package nl.wmogateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import nl.wmogateway.fixtures.TestBundles;
import nl.wmogateway.iwmo.IwmoXmlReader;
import nl.wmogateway.ops.Termijnen;
import nl.wmogateway.plan.AangevraagdProduct;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.store.OutboundMessage;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import org.assertj.core.api.Assertions;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/**
 * The state of a verzoek as the iWmo chain defines it: "in onderzoek" keeps it open (TR374) and
 * is due within 8 weeks; an answer per product is sent once; a changed volume per week is a new
 * toewijzing (OP033x1).
 */
class IwmoStateTest extends GatewayTestBase {

    @org.springframework.beans.factory.annotation.Autowired
    private org.springframework.jdbc.core.JdbcTemplate jdbc;

    private static final ZoneId NL = ZoneId.of("Europe/Amsterdam");
    private static final String ADRES = """
            {"soort":"01","straatnaam":"Markt","huisnummer":1,"postcode":"7511AA","plaatsnaam":"Enschede","landcode":"NL"}""";

    @Test
    void inOnderzoekKeepsTheVerzoekOpenUntilTheDecisionAndTheTaskInProgress() throws Exception {
        Bundle bundle = Requests.fresh();
        String bsn =
                TestBundles.find(bundle, Patient.class).getIdentifierFirstRep().getValue();
        String taskId = delivered(bundle);
        Ondersteuningsplan plan = plan(taskId);

        assertThat(post(beschikking(
                                taskId,
                                "in-onderzoek",
                                plan.maatwerkvoorzieningen().stream()
                                        .map(p -> product(p, "in-onderzoek", ""))
                                        .toList(),
                                false))
                        .statusCode())
                .isEqualTo(202);

        Task task = ehr().read().resource(Task.class).withId(taskId).execute();
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.INPROGRESS);
        assertThat(task.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("in-onderzoek");
        assertThat(store.outbound(taskId))
                .filteredOn(m -> "WMO319".equals(m.rendering()))
                .hasSize(plan.maatwerkvoorzieningen().size());

        Bundle again = Requests.fresh();
        TestBundles.find(again, Patient.class).getIdentifierFirstRep().setValue(bsn);
        Assertions.assertThatThrownBy(() -> submit(again))
                .isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("TR374");

        AangevraagdProduct p = plan.maatwerkvoorzieningen().get(0);
        List<String> decided = plan.maatwerkvoorzieningen().stream()
                .map(q -> q.equals(p)
                        ? product(
                                q,
                                "toegekend",
                                granted(q, 120, toewijzingNummer(q.referentieAanbieder()), q.ingangsdatum()))
                        : product(q, "afgewezen", ",\"redenAfwijzing\":\"7\""))
                .toList();
        HttpResponse<String> decision = post(beschikking(taskId, "deels-toegekend", decided, true));
        assertThat(decision.statusCode()).as(decision.body()).isEqualTo(202);
        assertThat(ehr().read().resource(Task.class).withId(taskId).execute().getStatus())
                .isEqualTo(Task.TaskStatus.COMPLETED);
    }

    @Test
    void aVerzoekInOnderzoekIsOverdueEightWeeksAfterItsDagtekening() throws Exception {
        String taskId = delivered(Requests.fresh());
        Ondersteuningsplan plan = plan(taskId);
        assertThat(post(beschikking(
                                taskId,
                                "in-onderzoek",
                                plan.maatwerkvoorzieningen().stream()
                                        .map(p -> product(p, "in-onderzoek", ""))
                                        .toList(),
                                false))
                        .statusCode())
                .isEqualTo(202);
        LocalDate verzoek = LocalDate.now(NL);
        // the plan came in ten days before its WMO315 was made (retries, a replay): the 8 weeks
        // run from the WMO315's Dagtekening, not from the plan's arrival
        jdbc.update(
                "update wmo_request set received_at = ? where id = ?",
                java.sql.Timestamp.from(Instant.now().minus(java.time.Duration.ofDays(10))),
                taskId);

        assertThat(termijnenOn(verzoek.plusWeeks(8)).onderzoekTeLang())
                .extracting(Termijnen.OnderzoekTeLang::aanvraag)
                .doesNotContain(taskId);
        assertThat(termijnenOn(verzoek.plusWeeks(8).plusDays(1)).onderzoekTeLang())
                .filteredOn(o -> o.aanvraag().equals(taskId))
                .singleElement()
                .satisfies(o -> {
                    assertThat(o.aanvraag()).isEqualTo(taskId);
                    assertThat(o.uiterlijk()).isEqualTo(verzoek.plusWeeks(8));
                })
                .isNotNull();
        assertThat(termijnenOn(verzoek.plusWeeks(8).plusDays(1)).antwoordenTeLaat())
                .extracting(Termijnen.AntwoordTeLaat::aanvraag)
                .doesNotContain(taskId);
    }

    @Test
    void aChangeWithAnAlreadyRejectedProductDoesNotSendItsWmo319Again() throws Exception {
        String taskId = delivered(Requests.fresh());
        grantFirstRejectSecond(taskId, ThreadLocalRandom.current().nextInt(1, 999_999_999));
        Ondersteuningsplan plan = plan(taskId);
        AangevraagdProduct p = plan.maatwerkvoorzieningen().get(0);
        AangevraagdProduct q = plan.maatwerkvoorzieningen().get(1);

        // the same toewijzing, extended by half a year; the second product still rejected for the same reason
        String extended = product(p, "toegekend", """
                ,"productcode":"%s","omvang":{"volume":60,"eenheid":"01","frequentie":"2"},"ingangsdatum":"%s","einddatum":"%s","toewijzingNummer":%d""".formatted(
                        p.code().orElseThrow(),
                        p.ingangsdatum(),
                        p.ingangsdatum().plusMonths(12),
                        toewijzingNummer(p.referentieAanbieder())));
        String stillRejected =
                product(q, "afgewezen", ",\"productcode\":\"" + q.code().orElseThrow() + "\",\"redenAfwijzing\":\"6\"");
        HttpResponse<String> change =
                post(withReden(beschikking(taskId, "deels-toegekend", List.of(extended, stillRejected), true)));

        assertThat(change.statusCode()).as(change.body()).isEqualTo(202);
        List<OutboundMessage> iwmo = store.outbound(taskId).stream()
                .filter(m -> "iwmo".equals(m.kind()))
                .toList();
        assertThat(iwmo)
                .filteredOn(m -> "WMO319".equals(m.rendering()))
                .as("one WMO319 per answer")
                .hasSize(1);
        assertThat(iwmo).filteredOn(m -> "WMO301".equals(m.rendering())).hasSize(2);
    }

    @Test
    void aChangedVolumePerWeekEndsTheToewijzingAndStartsANewOne() throws Exception {
        String taskId = delivered(Requests.fresh());
        Ondersteuningsplan plan = plan(taskId);
        AangevraagdProduct p = plan.maatwerkvoorzieningen().get(0);
        List<String> rest = plan.maatwerkvoorzieningen().stream()
                .skip(1)
                .map(q -> product(q, "afgewezen", ",\"redenAfwijzing\":\"7\""))
                .toList();
        long first = toewijzingNummer(p.referentieAanbieder());
        assertThat(post(beschikking(
                                taskId,
                                "deels-toegekend",
                                concat(product(p, "toegekend", granted(p, 120, first, p.ingangsdatum())), rest),
                                true))
                        .statusCode())
                .isEqualTo(202);

        LocalDate from = p.ingangsdatum().plusMonths(2);
        HttpResponse<String> sameNumber = post(withReden(beschikking(
                taskId, "deels-toegekend", concat(product(p, "toegekend", granted(p, 180, first, from)), rest), true)));
        assertThat(sameNumber.statusCode()).as(sameNumber.body()).isEqualTo(422);
        assertThat(sameNumber.body()).contains("OP033x1");

        long second = first + 500_000_000L > 999_999_999L ? first - 400_000_000L : first + 500_000_000L;
        HttpResponse<String> newNumber = post(withReden(beschikking(
                taskId,
                "deels-toegekend",
                concat(product(p, "toegekend", granted(p, 180, second, from)), rest),
                true)));
        assertThat(newNumber.statusCode()).as(newNumber.body()).isEqualTo(202);

        byte[] wmo301 = store.outbound(taskId).stream()
                .filter(m -> "WMO301".equals(m.rendering()))
                .reduce((a, b) -> b)
                .orElseThrow()
                .body();
        String old = "//*[local-name()='ToegewezenProduct'][*[local-name()='ToewijzingNummer']='" + first + "']";
        String neu = "//*[local-name()='ToegewezenProduct'][*[local-name()='ToewijzingNummer']='" + second + "']";
        assertThat(xpath(wmo301, old + "/*[local-name()='Einddatum']"))
                .isEqualTo(from.minusDays(1).toString());
        assertThat(xpath(wmo301, old + "/*[local-name()='RedenWijziging']")).isEqualTo("05");
        assertThat(xpath(wmo301, old + "//*[local-name()='Volume']")).isEqualTo("120");
        assertThat(xpath(wmo301, neu + "/*[local-name()='Ingangsdatum']")).isEqualTo(from.toString());
        assertThat(xpath(wmo301, neu + "//*[local-name()='Volume']")).isEqualTo("180");
        assertThat(xpath(wmo301, "count(" + neu + "/*[local-name()='RedenWijziging'])"))
                .isEqualTo("0");
    }

    private static String product(AangevraagdProduct p, String uitkomst, String rest) {
        return """
                {"referentieAanbieder":"%s","uitkomst":"%s","productcategorie":"%s"%s}""".formatted(p.referentieAanbieder(), uitkomst, p.categorie(), rest);
    }

    private static String granted(AangevraagdProduct p, int minutes, long nummer, LocalDate from) {
        return """
                ,"productcode":"%s","omvang":{"volume":%d,"eenheid":"01","frequentie":"2"},"ingangsdatum":"%s","einddatum":"%s","toewijzingNummer":%d""".formatted(
                        p.code().orElseThrow(), minutes, from, p.ingangsdatum().plusYears(1), nummer);
    }

    private static String beschikking(String taskId, String besluit, List<String> producten, boolean adres) {
        return """
                {"schema":"https://wmo-gateway.nl/schema/beschikking/v1","aanvraag":"%s","beschikkingnummer":%d,
                 "besluit":"%s","afgiftedatum":"%s","producten":[%s]%s}""".formatted(
                        taskId,
                        ThreadLocalRandom.current().nextInt(1, 999_999_999),
                        besluit,
                        LocalDate.now(),
                        String.join(",", producten),
                        adres ? ",\"contactadres\":" + ADRES : "");
    }

    private static String withReden(String beschikking) {
        return beschikking.substring(0, beschikking.lastIndexOf('}')) + ",\"redenWijziging\":\"04\"}";
    }

    private static List<String> concat(String first, List<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream())
                .toList();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return jdkClient(TestPkiFiles.GEMEENTE)
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/gemeente/beschikkingen"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private Termijnen termijnenOn(LocalDate day) {
        return new Termijnen(
                store, Clock.fixed(day.atTime(12, 0).atZone(NL).toInstant(), NL), new SimpleMeterRegistry());
    }

    private static String xpath(byte[] xml, String expression) throws Exception {
        return javax.xml.xpath.XPathFactory.newDefaultInstance()
                .newXPath()
                .evaluate(expression, IwmoXmlReader.read(xml));
    }
}
