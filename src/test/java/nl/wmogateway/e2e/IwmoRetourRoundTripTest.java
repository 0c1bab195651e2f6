package nl.wmogateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import nl.wmogateway.intake.TaskView;
import nl.wmogateway.iwmo.IwmoRetourXml;
import nl.wmogateway.iwmo.KlasseRetour;
import nl.wmogateway.plan.AangevraagdProduct;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/**
 * Retours in the official iWmo structure over real mutual TLS: the gemeente's WMO316 on the
 * WMO315 (in the answer to the delivery or posted later), the care organisation's WMO302/WMO320
 * with codes per product, and retours that name another gemeente or client.
 */
class IwmoRetourRoundTripTest extends GatewayTestBase {

    private static final String WMO315 = "/wmo/iwmo/wmo315";
    private static final String WMO301 = "/iwmo/wmo301";
    private static final String WMO319 = "/iwmo/wmo319";
    private static final String RELAYED = "/wmo/iwmo/retour";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aWmo316With0001InTheAnswerToTheWmo315MakesTheTaskRejectedWithTheCodeAndItsMeaning() throws Exception {
        GEMEENTE.stubFor(post(urlEqualTo(WMO315)).willReturn(aResponse().withStatus(503)));
        String taskId = submit(Requests.fresh());
        byte[] wmo315 = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> GEMEENTE.findAll(
                                postRequestedFor(urlEqualTo(WMO315)).withHeader("X-Wmo-Request-Id", equalTo(taskId))),
                        l -> !l.isEmpty())
                .get(0)
                .getBody();
        byte[] wmo316 = IwmoRetourXml.retour(wmo315, "GEM316-0001", dagtekening(wmo315), List.of("0001"), List.of());
        GEMEENTE.stubFor(post(urlEqualTo(WMO315))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/xml")
                        .withBody(wmo316)));

        Task task = awaitBusinessStatus(taskId, "rejected");

        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REJECTED);
        assertThat(task.getStatusReason().getText())
                .contains("WMO316")
                .contains("0001 (Bericht is afgekeurd om technische redenen.)");
        assertThat(task.getStatusReason().getCoding()).singleElement().satisfies(c -> {
            assertThat(c.getSystem()).isEqualTo(TaskView.RETOURCODE_SYSTEM);
            assertThat(c.getCode()).isEqualTo("0001");
        });
        JsonNode retour = detail(taskId).get("retouren").get(0);
        assertThat(retour.get("berichtsoort").asText()).isEqualTo("WMO316");
        assertThat(retour.get("geaccepteerd").asBoolean()).isFalse();
        assertThat(retour.at("/headerRetourcodes/0/code").asText()).isEqualTo("0001");
        assertThat(retour.at("/headerRetourcodes/0/omschrijving").asText())
                .isEqualTo("Bericht is afgekeurd om technische redenen.");
    }

    @Test
    void aWmo316PostedLaterWith9374OnOneProductMakesTheTaskRejectedNamingThatProduct() throws Exception {
        String taskId = deliveredRequest();
        byte[] wmo315 = receivedWmo315(taskId);
        String referentie = plan(taskId).maatwerkvoorzieningen().get(0).referentieAanbieder();
        byte[] wmo316 = IwmoRetourXml.retour(
                wmo315,
                "GEM316-0002",
                dagtekening(wmo315),
                List.of(),
                List.of(KlasseRetour.aangevraagdProduct(referentie, "9374")));

        HttpResponse<String> response = send(TestPkiFiles.GEMEENTE, "POST", "/gemeente/retouren", wmo316);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json.readTree(response.body()).get("geaccepteerd").asBoolean())
                .isFalse();
        Task task = awaitBusinessStatus(taskId, "rejected");
        assertThat(task.getStatusReason().getText())
                .contains("AangevraagdProduct " + referentie)
                .contains("9374 (Er is al een verzoek onderhanden.)");
        assertThat(task.getStatusReason().getCoding())
                .extracting(c -> c.getCode())
                .containsExactly("9374");
    }

    @Test
    void aWmo316WithoutRemarksLeavesTheRequestDelivered() throws Exception {
        String taskId = deliveredRequest();
        byte[] wmo315 = receivedWmo315(taskId);

        HttpResponse<String> response = send(
                TestPkiFiles.GEMEENTE,
                "POST",
                "/gemeente/retouren",
                IwmoRetourXml.retour(wmo315, "GEM316-0003", dagtekening(wmo315), List.of(), List.of()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json.readTree(response.body()).get("geaccepteerd").asBoolean())
                .isTrue();
        assertThat(store.request(taskId).orElseThrow().status()).isEqualTo(RequestStatus.DELIVERED);
    }

    @Test
    void aWmo316FromAnotherGemeenteFindsNoWmo315() throws Exception {
        String taskId = deliveredRequest();
        byte[] wmo315 = receivedWmo315(taskId);

        HttpResponse<String> response = send(
                TestPkiFiles.GEMEENTE_0363,
                "POST",
                "/gemeente/retouren",
                IwmoRetourXml.retour(wmo315, "GEM316-0004", dagtekening(wmo315), List.of("0001"), List.of()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(json.readTree(response.body()).get("reden").asText()).contains("gemeente 0363");
        assertThat(store.request(taskId).orElseThrow().status()).isEqualTo(RequestStatus.DELIVERED);
    }

    @Test
    void aWmo316OfAnotherWmo315InTheAnswerIsAuditedAndTheRequestDelivered() throws Exception {
        byte[] anderVerzoek = new nl.wmogateway.iwmo.Wmo315Rendering()
                .render(nl.wmogateway.plan.TestPlans.example(), nl.wmogateway.plan.TestPlans.context());
        GEMEENTE.stubFor(post(urlEqualTo(WMO315))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/xml")
                        .withBody(IwmoRetourXml.retour(
                                anderVerzoek, "GEM316-0005", dagtekening(anderVerzoek), List.of("0001"), List.of()))));

        String taskId = deliveredRequest();

        assertThat(detail(taskId).get("audit")).anySatisfy(a -> {
            assertThat(a.get("action").asText()).isEqualTo("RETOUR");
            assertThat(a.get("outcome").asText()).isEqualTo("REFUSED");
            assertThat(a.get("detail").asText()).contains("Identificatie is WG0000000042");
        });
        assertThat(detail(taskId).get("retouren")).isEmpty();
    }

    @Test
    void aWmo316WithADoctypeIsRefusedUnreadAndChangesNothing() throws Exception {
        String taskId = deliveredRequest();
        String wmo316 = new String(
                        IwmoRetourXml.retour(
                                receivedWmo315(taskId),
                                "GEM316-0006",
                                dagtekening(receivedWmo315(taskId)),
                                List.of("0001"),
                                List.of()),
                        StandardCharsets.UTF_8)
                .replaceFirst("<\\?xml[^>]*>", "<?xml version=\"1.0\"?><!DOCTYPE Bericht [<!ENTITY x \"y\">]>");

        HttpResponse<String> response =
                send(TestPkiFiles.GEMEENTE, "POST", "/gemeente/retouren", wmo316.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        assertThat(store.request(taskId).orElseThrow().status()).isEqualTo(RequestStatus.DELIVERED);
        assertThat(detail(taskId).get("retouren")).isEmpty();
    }

    @Test
    void aWmo320WithARejectingCodeOnOneProductIsKeptAndVisiblePerProduct() throws Exception {
        String taskId = deliveredRequest();
        Ondersteuningsplan plan = plan(taskId);
        AangevraagdProduct eerste = plan.maatwerkvoorzieningen().get(0);
        AangevraagdProduct tweede = plan.maatwerkvoorzieningen().get(1);
        assertThat(beschikking("""
                {"schema":"https://wmo-gateway.nl/schema/beschikking/v1","aanvraag":"%s","beschikkingnummer":4801,
                 "besluit":"afgewezen","afgiftedatum":"%s","producten":[%s,%s]}""".formatted(taskId, LocalDate.now(), rejected(eerste, "7"), rejected(tweede, "4")))
                        .statusCode())
                .isEqualTo(202);
        List<LoggedRequest> wmo319 = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> ZORG.findAll(
                                postRequestedFor(urlEqualTo(WMO319)).withHeader("X-Wmo-Request-Id", equalTo(taskId))),
                        l -> l.size() == 2);

        for (LoggedRequest m : wmo319) {
            String referentie = IwmoRetourXml.heenbericht(m.getBody())
                    .klassen()
                    .get(0)
                    .sleutel()
                    .orElseThrow();
            List<KlasseRetour> codes = referentie.equals(eerste.referentieAanbieder())
                    ? List.of(KlasseRetour.antwoord(referentie, "9365"))
                    : List.of();
            HttpResponse<String> response = send(
                    TestPkiFiles.EHR,
                    "POST",
                    "/zorgorganisatie/retouren",
                    IwmoRetourXml.retour(
                            m.getBody(),
                            "R320-" + referentie.substring(referentie.length() - 1),
                            dagtekening(m.getBody()),
                            List.of(),
                            codes));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }

        JsonNode retouren = detail(taskId).get("retouren");
        assertThat(retouren).hasSize(2);
        assertThat(product(retouren, eerste.referentieAanbieder())
                        .get("geaccepteerd")
                        .asBoolean())
                .isFalse();
        assertThat(product(retouren, eerste.referentieAanbieder())
                        .at("/retourcodes/0/code")
                        .asText())
                .isEqualTo("9365");
        assertThat(product(retouren, tweede.referentieAanbieder())
                        .get("geaccepteerd")
                        .asBoolean())
                .isTrue();
        assertThat(product(retouren, tweede.referentieAanbieder())
                        .at("/retourcodes/0/code")
                        .asText())
                .isEqualTo("0200");
        assertThat(detail(taskId).get("outbound").findValuesAsText("retourStatus"))
                .contains("REJECTED", "ACCEPTED");
    }

    @Test
    void aWmo302RejectingOneOfTwoToegewezenProductenShowsTheCodesPerToewijzingNummer() throws Exception {
        String taskId = deliveredRequest();
        Ondersteuningsplan plan = plan(taskId);
        AangevraagdProduct eerste = plan.maatwerkvoorzieningen().get(0);
        AangevraagdProduct tweede = plan.maatwerkvoorzieningen().get(1);
        assertThat(beschikking("""
                {"schema":"https://wmo-gateway.nl/schema/beschikking/v1","aanvraag":"%s","beschikkingnummer":4802,
                 "besluit":"toegekend","afgiftedatum":"%s","producten":[%s,%s],"contactadres":%s}""".formatted(taskId, LocalDate.now(), granted(eerste), granted(tweede), ADRES))
                        .statusCode())
                .isEqualTo(202);
        byte[] wmo301 = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> ZORG.findAll(
                                postRequestedFor(urlEqualTo(WMO301)).withHeader("X-Wmo-Request-Id", equalTo(taskId))),
                        l -> !l.isEmpty())
                .get(0)
                .getBody();
        KlasseRetour tweedeProduct = IwmoRetourXml.heenbericht(wmo301).klassen().stream()
                .filter(k -> k.referentieAanbieder().equals(java.util.Optional.of(tweede.referentieAanbieder())))
                .findFirst()
                .orElseThrow();

        HttpResponse<String> response = send(
                TestPkiFiles.EHR,
                "POST",
                "/zorgorganisatie/retouren",
                IwmoRetourXml.retour(
                        wmo301,
                        "R302-1",
                        dagtekening(wmo301),
                        List.of(),
                        List.of(new KlasseRetour(tweedeProduct.klasse(), tweedeProduct.sleutel(), List.of("9332")))));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode retouren = detail(taskId).get("retouren");
        JsonNode afgekeurd = product(retouren, tweede.referentieAanbieder());
        assertThat(afgekeurd.get("toewijzingNummer").asText())
                .isEqualTo(tweedeProduct.sleutel().orElseThrow());
        assertThat(afgekeurd.at("/retourcodes/0/code").asText()).isEqualTo("9332");
        assertThat(product(retouren, eerste.referentieAanbieder())
                        .get("geaccepteerd")
                        .asBoolean())
                .isTrue();
        assertThat(retouren.toString()).doesNotContain(plan.client().bsn());
    }

    @Test
    void aRetourNamingAnotherGemeenteIsRefusedAuditedAndNotRelayed() throws Exception {
        String taskId = deliveredRequest();
        byte[] wmo301 = grantedWmo301(taskId, 4803);
        String retour = new String(
                        IwmoRetourXml.retour(wmo301, "R302-2", dagtekening(wmo301), List.of("0001"), List.of()),
                        StandardCharsets.UTF_8)
                .replace("<wmo302:Afzender>0153<", "<wmo302:Afzender>0363<");

        HttpResponse<String> response =
                send(TestPkiFiles.EHR, "POST", "/zorgorganisatie/retouren", retour.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(json.readTree(response.body()).get("reden").asText())
                .contains("Header/Afzender is 0363")
                .contains("was sent by 0153")
                .contains("neither kept nor relayed");
        JsonNode detail = detail(taskId);
        assertThat(detail.get("audit")).anySatisfy(a -> {
            assertThat(a.get("action").asText()).isEqualTo("RETOUR");
            assertThat(a.get("outcome").asText()).isEqualTo("REFUSED");
            assertThat(a.get("detail").asText()).contains("0363");
        });
        assertThat(detail.get("retouren")).isEmpty();
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(4))
                .until(() -> GEMEENTE.findAll(
                                postRequestedFor(urlEqualTo(RELAYED)).withHeader("X-Wmo-Request-Id", equalTo(taskId)))
                        .isEmpty());
    }

    @Test
    void aRetourForAnotherClientIsRefusedWithoutNamingEitherClient() throws Exception {
        String taskId = deliveredRequest();
        byte[] wmo301 = grantedWmo301(taskId, 4804);
        String bsn = plan(taskId).client().bsn();
        String retour = new String(
                        IwmoRetourXml.retour(wmo301, "R302-3", dagtekening(wmo301), List.of(), List.of()),
                        StandardCharsets.UTF_8)
                .replace("<wmo302:Bsn>" + bsn + "<", "<wmo302:Bsn>999990019<");

        HttpResponse<String> response =
                send(TestPkiFiles.EHR, "POST", "/zorgorganisatie/retouren", retour.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(response.body())
                .contains("Client/Bsn is not the client of the WMO301")
                .doesNotContain(bsn)
                .doesNotContain("999990019");
    }

    @Test
    void aMatchingRetourIsRelayedToTheGemeenteOfTheOriginalMessage() throws Exception {
        String taskId = deliveredRequest();
        byte[] wmo301 = grantedWmo301(taskId, 4805);
        byte[] retour = IwmoRetourXml.retour(wmo301, "R302-4", dagtekening(wmo301), List.of(), List.of());

        HttpResponse<String> response = send(TestPkiFiles.EHR, "POST", "/zorgorganisatie/retouren", retour);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        LoggedRequest relayed = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> GEMEENTE.findAll(
                                postRequestedFor(urlEqualTo(RELAYED)).withHeader("X-Wmo-Request-Id", equalTo(taskId))),
                        l -> !l.isEmpty())
                .get(0);
        assertThat(relayed.getBody()).isEqualTo(retour);
    }

    // ------------------------------------------------------------------------------------------

    private static final String ADRES = """
            {"soort":"01","straatnaam":"Hengelosestraat","huisnummer":12,"postcode":"7511AB","plaatsnaam":"Enschede","landcode":"NL"}""";

    private String deliveredRequest() {
        String taskId = submit(Requests.fresh());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.request(taskId)
                        .map(r -> r.status() == RequestStatus.DELIVERED)
                        .orElse(false));
        return taskId;
    }

    private byte[] receivedWmo315(String taskId) {
        return GEMEENTE.findAll(postRequestedFor(urlEqualTo(WMO315)).withHeader("X-Wmo-Request-Id", equalTo(taskId)))
                .get(0)
                .getBody();
    }

    private byte[] grantedWmo301(String taskId, long beschikkingnummer) throws Exception {
        grantFirstRejectSecond(taskId, beschikkingnummer);
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> ZORG.findAll(
                                postRequestedFor(urlEqualTo(WMO301)).withHeader("X-Wmo-Request-Id", equalTo(taskId))),
                        l -> !l.isEmpty())
                .get(0)
                .getBody();
    }

    /** Dated as the message itself: the gateway's day is the Dutch one, which is not this JVM's around midnight. */
    private static LocalDate dagtekening(byte[] heenbericht) {
        return IwmoRetourXml.heenbericht(heenbericht).header().dagtekening();
    }

    private static JsonNode product(JsonNode retouren, String referentieAanbieder) {
        for (JsonNode retour : retouren) {
            for (JsonNode klasse : retour.get("klassen")) {
                if (referentieAanbieder.equals(
                        klasse.path("referentieAanbieder").asText())) {
                    return klasse;
                }
            }
        }
        throw new AssertionError("no class for " + referentieAanbieder + " in " + retouren);
    }

    private static String granted(AangevraagdProduct p) {
        return """
                {"referentieAanbieder":"%s","uitkomst":"toegekend","productcategorie":"%s","productcode":"%s",
                 "omvang":{"volume":120,"eenheid":"01","frequentie":"2"},"ingangsdatum":"%s","einddatum":"%s",
                 "toewijzingNummer":%d}""".formatted(
                        p.referentieAanbieder(),
                        p.categorie(),
                        p.code().orElseThrow(),
                        p.ingangsdatum(),
                        p.ingangsdatum().plusMonths(6),
                        toewijzingNummer(p.referentieAanbieder()));
    }

    private static String rejected(AangevraagdProduct p, String reden) {
        return """
                {"referentieAanbieder":"%s","uitkomst":"afgewezen","productcategorie":"%s","productcode":"%s","redenAfwijzing":"%s"}""".formatted(p.referentieAanbieder(), p.categorie(), p.code().orElseThrow(), reden);
    }

    private JsonNode detail(String taskId) throws Exception {
        return json.readTree(send(TestPkiFiles.OPERATOR, "GET", "/admin/requests/" + taskId, new byte[0])
                .body());
    }

    private HttpResponse<String> beschikking(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("https://localhost:" + port + "/gemeente/beschikkingen"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return jdkClient(TestPkiFiles.GEMEENTE).send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(Path certificate, String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .method(
                        method,
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body.length > 0) {
            b.header("Content-Type", "application/xml");
        }
        return jdkClient(certificate).send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
