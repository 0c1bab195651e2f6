package nl.wmogateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import nl.wmogateway.fixtures.TestBundles;
import nl.wmogateway.iwmo.IwmoRetourXml;
import nl.wmogateway.plan.AangevraagdProduct;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The way back with real mutual TLS: the gemeente (HTTP client with its certificate) posts a
 * beschikking → WMO301/WMO319 at a WireMock care organisation that requires a client certificate,
 * the Task answered, the EHR's FHIR callback called, the retour kept and relayed.
 */
class BeschikkingRoundTripTest extends GatewayTestBase {

    private static final String WMO301 = "/iwmo/wmo301";
    private static final String WMO319 = "/iwmo/wmo319";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anOpenEndedGrantReachesTheCareOrganisationAsWmo301AndTheTaskShowsTheSameAnswer() throws Exception {
        String taskId = deliveredRequest(TestPkiFiles.EHR, Requests.fresh());
        Ondersteuningsplan plan = plan(taskId);
        AangevraagdProduct begeleiding = product(plan, "02A01");
        LocalDate evaluatie = begeleiding.ingangsdatum().plusYears(2);

        HttpResponse<String> response = beschikking(TestPkiFiles.GEMEENTE, """
                {"schema":"https://wmo-gateway.nl/schema/beschikking/v1","aanvraag":"%s","beschikkingnummer":4711,
                 "besluit":"toegekend","afgiftedatum":"%s","producten":[%s,%s],"contactadres":%s,
                 "motivering":"Toegekend conform het ondersteuningsplan."}""".formatted(
                        taskId,
                        LocalDate.now(),
                        granted(begeleiding, 180, null, evaluatie),
                        granted(
                                product(plan, "01A01"),
                                120,
                                product(plan, "01A01").einddatum().orElseThrow(),
                                null),
                        ADRES));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode antwoord = json.readTree(response.body());
        assertThat(antwoord.at("/retourcodes/0").asText()).isEqualTo("0200");
        assertThat(antwoord.at("/berichten/0/soort").asText()).isEqualTo("WMO301");
        assertThat(antwoord.at("/berichten/0/toewijzingNummers")).hasSize(2);

        LoggedRequest wmo301 = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> ZORG.findAll(
                                postRequestedFor(urlEqualTo(WMO301)).withHeader("X-Wmo-Request-Id", equalTo(taskId))),
                        l -> !l.isEmpty())
                .get(0);
        Document xml = xml(wmo301.getBody());
        String product1 = "//*[local-name()='ToegewezenProduct'][*[local-name()='ReferentieAanbieder']='"
                + begeleiding.referentieAanbieder() + "']";
        assertThat(xpath(xml, product1 + "/*[local-name()='Omvang']/*[local-name()='Volume']"))
                .isEqualTo("180");
        assertThat(xpath(xml, product1 + "/*[local-name()='Omvang']/*[local-name()='Eenheid']"))
                .isEqualTo("01");
        assertThat(xpath(xml, product1 + "/*[local-name()='Omvang']/*[local-name()='Frequentie']"))
                .isEqualTo("2");
        // open-ended per week: the gemeente's default policy writes a technical end date (iWmo CD076)
        assertThat(xpath(xml, product1 + "/*[local-name()='Einddatum']"))
                .isEqualTo(begeleiding.ingangsdatum().plusYears(5).minusDays(1).toString());
        assertThat(xpath(xml, product1 + "/*[local-name()='ToewijzingNummer']"))
                .isEqualTo(Long.toString(toewijzingNummer(begeleiding.referentieAanbieder())));
        assertThat(xpath(xml, "//*[local-name()='Bsn']"))
                .isEqualTo(plan.client().bsn());

        Task task = ehr().read().resource(Task.class).withId(taskId).execute();
        assertThat(task.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("answered");
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(output(task, "besluit")).isEqualTo("toegekend");
        assertThat(output(task, "beschikkingnummer")).isEqualTo("4711");
        ServiceRequest granted = task.getContained().stream()
                .map(ServiceRequest.class::cast)
                .filter(sr -> sr.getCode().getCoding().stream().anyMatch(c -> "02A01".equals(c.getCode())))
                .findFirst()
                .orElseThrow();
        assertThat(granted.getQuantityQuantity().getValue().intValue()).isEqualTo(180);
        assertThat(granted.getOccurrenceTiming().getRepeat().getPeriodUnit().toCode())
                .isEqualTo("wk");
        assertThat(granted.getOccurrenceTiming().getRepeat().getBoundsPeriod().hasEnd())
                .isFalse();
        assertThat(granted.getExtensionByUrl("https://wmo-gateway.nl/fhir/StructureDefinition/evaluatiedatum")
                        .getValue()
                        .primitiveValue())
                .isEqualTo(evaluatie.toString());

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !ZORG.findAll(putRequestedFor(urlEqualTo("/fhir/Task/" + taskId)))
                        .isEmpty());
    }

    @Test
    void aRejectionBecomesAWmo319PerProductWithTheReason() throws Exception {
        String taskId = deliveredRequest(TestPkiFiles.EHR, Requests.fresh());
        Ondersteuningsplan plan = plan(taskId);

        HttpResponse<String> response = beschikking(TestPkiFiles.GEMEENTE, """
                {"schema":"https://wmo-gateway.nl/schema/beschikking/v1","aanvraag":"%s","beschikkingnummer":4712,
                 "besluit":"afgewezen","afgiftedatum":"%s","producten":[%s,%s],"motivering":"Voorliggend veld volstaat."}""".formatted(
                taskId, LocalDate.now(), rejected(product(plan, "02A01"), "7"), rejected(product(plan, "01A01"), "4")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        List<LoggedRequest> wmo319 = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> ZORG.findAll(
                                postRequestedFor(urlEqualTo(WMO319)).withHeader("X-Wmo-Request-Id", equalTo(taskId))),
                        l -> l.size() == 2);
        for (LoggedRequest m : wmo319) {
            Document xml = xml(m.getBody());
            assertThat(xpath(xml, "//*[local-name()='VerzoekAntwoord']")).isEqualTo("1");
            assertThat(xpath(xml, "//*[local-name()='RedenAfwijzingVerzoek']")).isIn("7", "4");
        }
        assertThat(store.outbound(taskId))
                .as("a rejection makes no WMO301")
                .noneMatch(m -> "WMO301".equals(m.rendering()));
        Task task = ehr().read().resource(Task.class).withId(taskId).execute();
        assertThat(output(task, "besluit")).isEqualTo("afgewezen");
        assertThat(task.getOutput())
                .filteredOn(o -> "afgewezen-product"
                        .equals(o.getType().getCodingFirstRep().getCode()))
                .hasSize(2);
    }

    @Test
    void aPartialGrantGivesAWmo301ForOneProductAndAWmo319ForTheOther() throws Exception {
        String taskId = deliveredRequest(TestPkiFiles.EHR, Requests.fresh());
        Ondersteuningsplan plan = plan(taskId);
        AangevraagdProduct begeleiding = product(plan, "02A01");

        HttpResponse<String> response = beschikking(TestPkiFiles.GEMEENTE, """
                {"schema":"https://wmo-gateway.nl/schema/beschikking/v1","aanvraag":"%s","beschikkingnummer":4713,
                 "besluit":"deels-toegekend","afgiftedatum":"%s","producten":[%s,%s],"contactadres":%s}""".formatted(
                taskId,
                LocalDate.now(),
                granted(begeleiding, 120, null, begeleiding.ingangsdatum().plusYears(1)),
                rejected(product(plan, "01A01"), "6"),
                ADRES));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ZORG.findAll(postRequestedFor(urlEqualTo(WMO301))
                                                .withHeader("X-Wmo-Request-Id", equalTo(taskId)))
                                        .size()
                                == 1
                        && ZORG.findAll(postRequestedFor(urlEqualTo(WMO319))
                                                .withHeader("X-Wmo-Request-Id", equalTo(taskId)))
                                        .size()
                                == 1);
        Task task = ehr().read().resource(Task.class).withId(taskId).execute();
        assertThat(output(task, "besluit")).isEqualTo("deels-toegekend");
    }

    @Test
    void aChangedBeschikkingSendsANewWmo301WithTheSameToewijzingNummerAndRedenWijziging() throws Exception {
        String taskId = deliveredRequest(TestPkiFiles.EHR, Requests.fresh());
        Ondersteuningsplan plan = plan(taskId);
        AangevraagdProduct begeleiding = product(plan, "02A01");
        LocalDate evaluatie = begeleiding.ingangsdatum().plusYears(1);
        HttpResponse<String> first =
                beschikking(TestPkiFiles.GEMEENTE, grantOnly(taskId, 4714, begeleiding, 180, evaluatie, ""));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        long nummer = json.readTree(first.body())
                .at("/berichten/0/toewijzingNummers/0")
                .asLong();

        // the same volume, evaluated half a year later: a change of the same toewijzing (a new volume per
        // week would be a new toewijzing, see IwmoStateTest)
        HttpResponse<String> changed = beschikking(
                TestPkiFiles.GEMEENTE,
                grantOnly(taskId, 4714, begeleiding, 180, evaluatie.plusMonths(6), ",\"redenWijziging\":\"04\""));

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(202);
        assertThat(json.readTree(changed.body())
                        .at("/berichten/0/toewijzingNummers/0")
                        .asLong())
                .isEqualTo(nummer);
        List<LoggedRequest> wmo301 = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> ZORG.findAll(
                                postRequestedFor(urlEqualTo(WMO301)).withHeader("X-Wmo-Request-Id", equalTo(taskId))),
                        l -> l.size() == 2);
        Document second = wmo301.stream()
                .map(r -> xml(r.getBody()))
                .filter(d -> "04".equals(xpath(d, "//*[local-name()='RedenWijziging']")))
                .findFirst()
                .orElseThrow();
        assertThat(xpath(second, "//*[local-name()='ToewijzingNummer']")).isEqualTo(String.valueOf(nummer));
        assertThat(xpath(second, "//*[local-name()='Volume']")).isEqualTo("180");
        assertThat(xpath(second, "//*[local-name()='Commentaar']"))
                .contains(evaluatie.plusMonths(6).toString());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ehr().read()
                        .resource(Task.class)
                        .withId(taskId)
                        .execute()
                        .getStatusReason()
                        .getText()
                        .contains("gewijzigd"));
    }

    @Test
    void aChangeWithoutRedenWijzigingIsRefused() throws Exception {
        String taskId = deliveredRequest(TestPkiFiles.EHR, Requests.fresh());
        AangevraagdProduct begeleiding = product(plan(taskId), "02A01");
        LocalDate evaluatie = begeleiding.ingangsdatum().plusYears(1);
        beschikking(TestPkiFiles.GEMEENTE, grantOnly(taskId, 4715, begeleiding, 180, evaluatie, ""));

        HttpResponse<String> changed = beschikking(
                TestPkiFiles.GEMEENTE, grantOnly(taskId, 4715, begeleiding, 180, evaluatie.plusMonths(3), ""));

        assertThat(changed.statusCode()).isEqualTo(422);
        assertThat(json.readTree(changed.body()).at("/meldingen/0/locatie").asText())
                .isEqualTo("/redenWijziging");
    }

    @Test
    void theSameBeschikkingTwiceIsAnsweredTheSameAndSentOnce() throws Exception {
        String taskId = deliveredRequest(TestPkiFiles.EHR, Requests.fresh());
        AangevraagdProduct begeleiding = product(plan(taskId), "02A01");
        String body = grantOnly(
                taskId, 4716, begeleiding, 180, begeleiding.ingangsdatum().plusYears(1), "");
        assertThat(beschikking(TestPkiFiles.GEMEENTE, body).statusCode()).isEqualTo(202);

        HttpResponse<String> again = beschikking(TestPkiFiles.GEMEENTE, body);

        assertThat(again.statusCode()).isEqualTo(200);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> ZORG.findAll(postRequestedFor(urlEqualTo(WMO301))
                                        .withHeader("X-Wmo-Request-Id", equalTo(taskId)))
                                .size()
                        == 1);
    }

    @Test
    void anUnknownAanvraagGetsA404AndTheMessageIsKept() throws Exception {
        String body = """
                {"schema":"https://wmo-gateway.nl/schema/beschikking/v1","aanvraag":"onbekend0000000x","beschikkingnummer":1,
                 "besluit":"afgewezen","afgiftedatum":"%s","producten":[{"referentieAanbieder":"onbekend0000000x-1",
                 "uitkomst":"afgewezen","productcategorie":"02","redenAfwijzing":"7"}]}""".formatted(LocalDate.now());

        HttpResponse<String> response = beschikking(TestPkiFiles.GEMEENTE, body);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json.readTree(response.body()).at("/retourcodes/0").asText()).isEqualTo("9355");
        assertThat(store.recentInbound(20)).anySatisfy(m -> {
            assertThat(m.channel()).isEqualTo("gemeente");
            assertThat(new String(m.body(), StandardCharsets.UTF_8)).contains("onbekend0000000x");
            assertThat(m.outcome()).isEqualTo("REJECTED");
        });
    }

    @Test
    void aBeschikkingFromAnotherGemeentesCertificateIsRefusedAndChangesNothing() throws Exception {
        String taskId = deliveredRequest(TestPkiFiles.EHR, Requests.fresh());
        AangevraagdProduct begeleiding = product(plan(taskId), "02A01");

        HttpResponse<String> response = beschikking(
                TestPkiFiles.GEMEENTE_0363,
                grantOnly(
                        taskId,
                        4717,
                        begeleiding,
                        180,
                        begeleiding.ingangsdatum().plusYears(1),
                        ""));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(store.request(taskId).orElseThrow().status()).isEqualTo(RequestStatus.DELIVERED);
        // a WMO301 would have been stored with the answer; none is, and none reaches the care organisation
        assertThat(store.outbound(taskId)).noneMatch(m -> "WMO301".equals(m.rendering()));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> ZORG.findAll(
                                postRequestedFor(urlEqualTo(WMO301)).withHeader("X-Wmo-Request-Id", equalTo(taskId)))
                        .isEmpty());
    }

    @Test
    void aCareOrganisationCannotPostBeschikkingen() throws Exception {
        String taskId = deliveredRequest(TestPkiFiles.EHR, Requests.fresh());
        AangevraagdProduct begeleiding = product(plan(taskId), "02A01");

        assertThat(beschikking(
                                TestPkiFiles.EHR,
                                grantOnly(
                                        taskId,
                                        4718,
                                        begeleiding,
                                        180,
                                        begeleiding.ingangsdatum().plusYears(1),
                                        ""))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void aRetourThatReportsAnErrorIsKeptVisibleAndRelayedToTheGemeente() throws Exception {
        String taskId = deliveredRequest(TestPkiFiles.EHR, Requests.fresh());
        AangevraagdProduct begeleiding = product(plan(taskId), "02A01");
        beschikking(
                TestPkiFiles.GEMEENTE,
                grantOnly(
                        taskId,
                        4719,
                        begeleiding,
                        180,
                        begeleiding.ingangsdatum().plusYears(1),
                        ""));
        LoggedRequest wmo301 = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> ZORG.findAll(
                                postRequestedFor(urlEqualTo(WMO301)).withHeader("X-Wmo-Request-Id", equalTo(taskId))),
                        l -> !l.isEmpty())
                .get(0);
        LocalDate dagtekening = LocalDate.parse(xpath(xml(wmo301.getBody()), "//*[local-name()='Dagtekening']"));
        // dated as the WMO301 itself: the gateway's day is the Dutch one, which is not this JVM's around midnight
        byte[] retour = IwmoRetourXml.retour(wmo301.getBody(), "R0000001", dagtekening, List.of("0001"), List.of());

        HttpResponse<String> response =
                send(TestPkiFiles.EHR, "POST", "/zorgorganisatie/retouren", "application/xml", retour);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json.readTree(response.body()).get("geaccepteerd").asBoolean())
                .isFalse();
        JsonNode detail = json.readTree(
                send(TestPkiFiles.OPERATOR, "GET", "/admin/requests/" + taskId, "application/json", new byte[0])
                        .body());
        assertThat(detail.get("outbound").findValuesAsText("retourStatus")).contains("REJECTED");
        assertThat(detail.get("outbound").findValuesAsText("retourCodes")).contains("0001");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !GEMEENTE.findAll(postRequestedFor(urlEqualTo("/wmo/iwmo/retour"))
                                .withHeader("X-Wmo-Request-Id", equalTo(taskId)))
                        .isEmpty());
    }

    @Test
    void aCareOrganisationWithoutEndpointFetchesItsMessagesAndNoOneElseSeesThem() throws Exception {
        Bundle bundle = Requests.fresh();
        for (Organization o : TestBundles.findAll(bundle, Organization.class)) {
            for (Identifier i : o.getIdentifier()) {
                if ("http://fhir.nl/fhir/NamingSystem/agb-z".equals(i.getSystem())) {
                    i.setValue("23456789");
                }
            }
        }
        String taskId = deliveredRequest(TestPkiFiles.OTHER_EHR, bundle);
        AangevraagdProduct begeleiding = product(plan(taskId), "02A01");
        assertThat(beschikking(
                                TestPkiFiles.GEMEENTE,
                                grantOnly(
                                        taskId,
                                        4720,
                                        begeleiding,
                                        180,
                                        begeleiding.ingangsdatum().plusYears(1),
                                        ""))
                        .statusCode())
                .isEqualTo(202);

        JsonNode list = json.readTree(send(TestPkiFiles.OTHER_EHR, "GET", "/zorgorganisatie/berichten", "", new byte[0])
                .body());
        JsonNode bericht = null;
        boolean copyOfItsWmo315 = false;
        for (JsonNode b : list) {
            if (taskId.equals(b.get("aanvraag").asText())
                    && "WMO301".equals(b.get("soort").asText())) {
                bericht = b;
            }
            copyOfItsWmo315 |= taskId.equals(b.get("aanvraag").asText())
                    && "WMO315".equals(b.get("soort").asText());
        }
        assertThat(bericht).as("message for %s in %s", taskId, list).isNotNull();
        assertThat(copyOfItsWmo315)
                .as("the WMO315 sent in its name, in %s", list)
                .isTrue();
        String id = bericht.get("id").asText();
        assertThat(send(TestPkiFiles.EHR, "GET", "/zorgorganisatie/berichten/" + id, "", new byte[0])
                        .statusCode())
                .isEqualTo(404);

        HttpResponse<String> body =
                send(TestPkiFiles.OTHER_EHR, "GET", "/zorgorganisatie/berichten/" + id, "", new byte[0]);

        assertThat(body.statusCode()).isEqualTo(200);
        assertThat(body.body()).contains("wmo301:Bericht").contains(begeleiding.referentieAanbieder());
        assertThat(send(TestPkiFiles.OTHER_EHR, "GET", "/zorgorganisatie/berichten", "", new byte[0])
                        .body())
                .doesNotContain(id);
    }

    // ------------------------------------------------------------------------------------------

    private static final String ADRES = """
            {"soort":"01","straatnaam":"Hengelosestraat","huisnummer":12,"postcode":"7511AB","plaatsnaam":"Enschede","landcode":"NL"}""";

    private String deliveredRequest(Path ehrCertificate, Bundle bundle) {
        String taskId = taskId(
                fhirClient(ehrCertificate).transaction().withBundle(bundle).execute());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.request(taskId)
                        .map(r -> r.status() == RequestStatus.DELIVERED)
                        .orElse(false));
        return taskId;
    }

    private static AangevraagdProduct product(Ondersteuningsplan plan, String code) {
        return plan.maatwerkvoorzieningen().stream()
                .filter(p -> p.code().filter(code::equals).isPresent())
                .findFirst()
                .orElseThrow();
    }

    private static String granted(
            AangevraagdProduct p, int minutesPerWeek, LocalDate einddatum, LocalDate evaluatiedatum) {
        return """
                {"referentieAanbieder":"%s","uitkomst":"toegekend","productcategorie":"%s","productcode":"%s",
                 "omvang":{"volume":%d,"eenheid":"01","frequentie":"2"},"ingangsdatum":"%s","toewijzingNummer":%d%s%s}""".formatted(
                        p.referentieAanbieder(),
                        p.categorie(),
                        p.code().orElseThrow(),
                        minutesPerWeek,
                        p.ingangsdatum(),
                        toewijzingNummer(p.referentieAanbieder()),
                        einddatum == null ? "" : ",\"einddatum\":\"" + einddatum + "\"",
                        evaluatiedatum == null ? "" : ",\"evaluatiedatum\":\"" + evaluatiedatum + "\"");
    }

    private static String rejected(AangevraagdProduct p, String reden) {
        return """
                {"referentieAanbieder":"%s","uitkomst":"afgewezen","productcategorie":"%s","productcode":"%s","redenAfwijzing":"%s"}""".formatted(p.referentieAanbieder(), p.categorie(), p.code().orElseThrow(), reden);
    }

    /** Grants the begeleiding product; the other requested product is rejected (reden 6), so the besluit is partial. */
    private String grantOnly(
            String taskId,
            long nummer,
            AangevraagdProduct begeleiding,
            int minutes,
            LocalDate evaluatie,
            String extra) {
        Ondersteuningsplan plan = plan(taskId);
        return """
                {"schema":"https://wmo-gateway.nl/schema/beschikking/v1","aanvraag":"%s","beschikkingnummer":%d,
                 "besluit":"deels-toegekend","afgiftedatum":"%s","producten":[%s,%s],"contactadres":%s%s}""".formatted(
                        taskId,
                        nummer,
                        LocalDate.now(),
                        granted(begeleiding, minutes, null, evaluatie),
                        rejected(product(plan, "01A01"), "6"),
                        ADRES,
                        extra);
    }

    private HttpResponse<String> beschikking(Path gemeenteCertificate, String body) throws Exception {
        return send(
                gemeenteCertificate,
                "POST",
                "/gemeente/beschikkingen",
                "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(Path certificate, String method, String path, String contentType, byte[] body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .method(
                        method,
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (!contentType.isEmpty()) {
            b.header("Content-Type", contentType);
        }
        return jdkClient(certificate).send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String output(Task task, String type) {
        return task.getOutput().stream()
                .filter(o -> type.equals(o.getType().getCodingFirstRep().getCode()))
                .findFirst()
                .map(o -> o.getValue() instanceof org.hl7.fhir.r4.model.CodeableConcept cc
                        ? cc.getCodingFirstRep().getCode()
                        : o.getValue().primitiveValue())
                .orElseThrow(() -> new AssertionError("no output " + type));
    }

    private static Document xml(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String xpath(Document doc, String expression) {
        try {
            return (String) XPathFactory.newInstance().newXPath().evaluate(expression, doc, XPathConstants.STRING);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
