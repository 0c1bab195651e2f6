package nl.wmogateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import nl.wmogateway.iwmo.IwmoXmlReader;
import nl.wmogateway.plan.AangevraagdProduct;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.store.OutboundMessage;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/**
 * The gemeente owns the toewijzing: its ToewijzingNummer reaches the care organisation, its own
 * iWmo is forwarded unchanged, a gemeente that sends its iWmo itself gets no second toewijzing
 * from the gateway, and the care organisation knows every verzoek made in its name.
 */
class WayBackTest extends GatewayTestBase {

    private static final String ADRES = """
            {"soort":"01","straatnaam":"Hengelosestraat","huisnummer":12,"postcode":"7511AB","plaatsnaam":"Enschede","landcode":"NL"}""";
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aJsonBeschikkingWithToewijzingNummer90417YieldsAWmo301With90417AndTheGemeentesMoment() throws Exception {
        String taskId = delivered(Requests.fresh());
        AangevraagdProduct begeleiding = product(plan(taskId), "02A01");

        HttpResponse<String> answer = post(
                TestPkiFiles.GEMEENTE,
                "application/json",
                grant(
                        taskId,
                        begeleiding,
                        ",\"toewijzingNummer\":90417,\"toewijzingsdatum\":\""
                                + LocalDate.now().minusDays(1) + "\",\"toewijzingstijd\":\"09:15:00\""));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(json.readTree(answer.body())
                        .at("/berichten/0/toewijzingNummers/0")
                        .asLong())
                .isEqualTo(90417);
        byte[] wmo301 = atCareOrganisation("/iwmo/wmo301", taskId).getBody();
        assertThat(xpath(wmo301, "//*[local-name()='ToegewezenProduct']/*[local-name()='ToewijzingNummer']"))
                .isEqualTo("90417");
        assertThat(xpath(wmo301, "//*[local-name()='ToegewezenProduct']/*[local-name()='Toewijzingsdatum']"))
                .isEqualTo(LocalDate.now().minusDays(1).toString());
        assertThat(xpath(wmo301, "//*[local-name()='ToegewezenProduct']/*[local-name()='Toewijzingstijd']"))
                .isEqualTo("09:15:00");
    }

    @Test
    void aGemeenteThatForwardsItsIwmoMustGiveItsToewijzingNummer() throws Exception {
        String taskId = delivered(Requests.fresh());
        AangevraagdProduct begeleiding = product(plan(taskId), "02A01");

        HttpResponse<String> answer = post(TestPkiFiles.GEMEENTE, "application/json", grant(taskId, begeleiding, ""));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        JsonNode melding = json.readTree(answer.body()).at("/meldingen/0");
        assertThat(melding.at("/locatie").asText()).isEqualTo("/producten/0/toewijzingNummer");
        assertThat(melding.at("/melding").asText()).contains("wayBack forward");
        assertThat(store.outbound(taskId)).noneMatch(m -> "WMO301".equals(m.rendering()));
    }

    @Test
    void aToewijzingNummerOfAnotherProductIsRefused() throws Exception {
        String first = delivered(Requests.fresh());
        AangevraagdProduct p = product(plan(first), "02A01");
        long nummer = ThreadLocalRandom.current().nextLong(600_000_000, 999_999_999);
        assertThat(post(TestPkiFiles.GEMEENTE, "application/json", grant(first, p, ",\"toewijzingNummer\":" + nummer))
                        .statusCode())
                .isEqualTo(202);
        String second = delivered(Requests.fresh());
        AangevraagdProduct q = product(plan(second), "02A01");

        HttpResponse<String> answer =
                post(TestPkiFiles.GEMEENTE, "application/json", grant(second, q, ",\"toewijzingNummer\":" + nummer));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        assertThat(answer.body()).contains("already the toewijzing of another product");
    }

    @Test
    void aGemeentesOwnWmo301ReachesTheCareOrganisationByteEqualWithItsOwnNumber() throws Exception {
        String taskId = delivered(Requests.freshFor("0518"));
        Ondersteuningsplan plan = plan(taskId);
        AangevraagdProduct begeleiding = product(plan, "02A01");
        String identificatie = "T" + ThreadLocalRandom.current().nextLong(10_000_000_000L, 99_999_999_999L);
        byte[] wmo301 = Files.readString(Path.of("src/test/resources/beschikking/wmo301-toegekend.xml"))
                .replace("<wmo301:Afzender>0153</wmo301:Afzender>", "<wmo301:Afzender>0518</wmo301:Afzender>")
                .replace("T2026-0417", identificatie)
                .replace("999911120", plan.client().bsn())
                .replace("k3v9x2m7q4t8w1b5-1", begeleiding.referentieAanbieder())
                .replace(
                        "<wmo301:ToewijzingNummer>90417</wmo301:ToewijzingNummer>",
                        "<wmo301:ToewijzingNummer>"
                                + ThreadLocalRandom.current().nextLong(100_000_000, 999_999_999)
                                + "</wmo301:ToewijzingNummer>")
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> answer = jdkClient(TestPkiFiles.GEMEENTE_0518)
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/gemeente/beschikkingen"))
                                .header("Content-Type", "application/xml")
                                .header(
                                        "Wmo-Beschikkingnummer",
                                        "26" + ThreadLocalRandom.current().nextInt(1_000_000))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(wmo301))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        LoggedRequest atZorg = atCareOrganisation("/iwmo/wmo301", taskId);
        assertThat(atZorg.getBody()).as("the gemeente's WMO301, byte for byte").isEqualTo(wmo301);
        assertThat(atZorg.getHeader("X-Wmo-Signature"))
                .as("signed by the gateway on delivery")
                .isNotBlank();
        Task task = ehr().read().resource(Task.class).withId(taskId).execute();
        assertThat(task.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("answered");
    }

    @Test
    void aFhirOnlyGemeenteGetsNoIwmoFromTheGatewayOnlyAnAnsweredTask() throws Exception {
        String taskId = delivered(Requests.freshFor("0599"));
        AangevraagdProduct begeleiding = product(plan(taskId), "02A01");

        HttpResponse<String> answer =
                post(TestPkiFiles.GEMEENTE_0599, "application/json", grant(taskId, begeleiding, ""));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(json.readTree(answer.body()).at("/berichten")).isEmpty();
        Task task = ehr().read().resource(Task.class).withId(taskId).execute();
        assertThat(task.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("answered");
        List<OutboundMessage> iwmo = store.outbound(taskId).stream()
                .filter(m -> "iwmo".equals(m.kind()))
                .toList();
        assertThat(iwmo).extracting(OutboundMessage::rendering).containsExactly("WMO315");
    }

    @Test
    void theCareOrganisationReceivesTheWmo315SentInItsName() throws Exception {
        String taskId = delivered(Requests.fresh());

        byte[] copy = atCareOrganisation("/iwmo/wmo315", taskId).getBody();

        byte[] sent = store.outbound(taskId).stream()
                .filter(m -> "iwmo-wmo315".equals(m.rendering()))
                .findFirst()
                .orElseThrow()
                .body();
        assertThat(copy).isEqualTo(sent);
        assertThat(store.outbound(taskId)).anySatisfy(m -> {
            assertThat(m.kind()).isEqualTo("iwmo");
            assertThat(m.rendering()).isEqualTo("WMO315");
            assertThat(m.partner()).isEqualTo("12345678");
        });
    }

    private static AangevraagdProduct product(Ondersteuningsplan plan, String code) {
        return plan.maatwerkvoorzieningen().stream()
                .filter(p -> p.code().filter(code::equals).isPresent())
                .findFirst()
                .orElseThrow();
    }

    /** A beschikking granting only {@code p}, 120 minutes per week for a year; {@code extra} is added to the product. */
    private static String grant(String taskId, AangevraagdProduct p, String extra) {
        return """
                {"schema":"https://wmo-gateway.nl/schema/beschikking/v1","aanvraag":"%s","beschikkingnummer":%d,
                 "besluit":"toegekend","afgiftedatum":"%s","producten":[
                 {"referentieAanbieder":"%s","uitkomst":"toegekend","productcategorie":"%s","productcode":"%s",
                  "omvang":{"volume":120,"eenheid":"01","frequentie":"2"},"ingangsdatum":"%s","einddatum":"%s"%s}],
                 "contactadres":%s}""".formatted(
                        taskId,
                        ThreadLocalRandom.current().nextInt(1, 999_999_999),
                        LocalDate.now(),
                        p.referentieAanbieder(),
                        p.categorie(),
                        p.code().orElseThrow(),
                        p.ingangsdatum(),
                        p.ingangsdatum().plusYears(1),
                        extra,
                        ADRES);
    }

    private HttpResponse<String> post(Path certificate, String contentType, String body) throws Exception {
        return jdkClient(certificate)
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/gemeente/beschikkingen"))
                                .header("Content-Type", contentType)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static LoggedRequest atCareOrganisation(String path, String taskId) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> ZORG.findAll(
                                postRequestedFor(urlEqualTo(path)).withHeader("X-Wmo-Request-Id", equalTo(taskId))),
                        l -> !l.isEmpty())
                .get(0);
    }

    private static String xpath(byte[] xml, String expression) throws Exception {
        return javax.xml.xpath.XPathFactory.newDefaultInstance()
                .newXPath()
                .evaluate(expression, IwmoXmlReader.read(xml));
    }
}
