package nl.wmogateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import nl.wmogateway.iwmo.OfficialRuleSets;
import nl.wmogateway.plan.AangevraagdProduct;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.store.OutboundMessage;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.junit.jupiter.api.Test;

/**
 * Every iWmo message the gateway makes on the way out (WMO315) and back (WMO301, WMO319) is valid
 * against its official XSD and passes the official iWmo rule set, starting from the example plan in {@code profiles/examples}: the
 * gateway's own run-time check is on in these tests, and each message is checked here once more,
 * as the chain would. Skipped where {@code ../shared} is absent.
 */
class OfficialRuleSetRoundTripTest extends GatewayTestBase {

    private static final Path EXAMPLE = Path.of("profiles/examples/bundle-samen-indiceren.json");

    @Test
    void theExamplePlansWmo315AndTheWmo301OfItsOpenEndedGrantPassTheOfficialRuleSet() throws Exception {
        assumeThat(OfficialRuleSets.available())
                .as("official iWmo rule set in ../shared")
                .isPresent();
        String taskId = submit(examplePlan());
        awaitBusinessStatus(taskId, "delivered");

        byte[] wmo315 = wmo315For(taskId);
        OfficialRuleSets.assertPasses(wmo315, "the example plan's WMO315");
        assertThat(nl.wmogateway.iwmo.IwmoSchemas.errors("WMO315", wmo315)).isEmpty();

        Ondersteuningsplan plan =
                planCodec.read(store.request(taskId).orElseThrow().planJson());
        AangevraagdProduct openEnded = plan.maatwerkvoorzieningen().stream()
                .filter(p -> p.einddatum().isEmpty())
                .findFirst()
                .orElseThrow();
        assertThat(text(
                        wmo315,
                        "//*[local-name()='AangevraagdProduct'][*[local-name()='ReferentieAanbieder']='"
                                + openEnded.referentieAanbieder() + "']/*[local-name()='ToewijzingEinddatum']"))
                .as("technical end date of the open-ended product")
                .isEqualTo(openEnded.ingangsdatum().plusYears(5).minusDays(1).toString());

        HttpResponse<String> answer = grantOpenEnded(taskId, plan, openEnded);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        byte[] wmo301 = iwmo(taskId, "WMO301").get(0).body();
        OfficialRuleSets.assertPasses(wmo301, "the WMO301 of the open-ended grant");
        assertThat(nl.wmogateway.iwmo.IwmoSchemas.errors("WMO301", wmo301)).isEmpty();
        assertThat(text(wmo301, "//*[local-name()='ToegewezenProduct']/*[local-name()='Einddatum']"))
                .isEqualTo(openEnded.ingangsdatum().plusYears(5).minusDays(1).toString());
        assertThat(text(wmo301, "//*[local-name()='ToegewezenProduct']/*[local-name()='Commentaar']"))
                .contains("technisch")
                .contains("evaluatie uiterlijk " + openEnded.ingangsdatum().plusYears(1));
    }

    @Test
    void theWmo301AndWmo319OfAPartialGrantPass() throws Exception {
        assumeThat(OfficialRuleSets.available())
                .as("official iWmo rule set in ../shared")
                .isPresent();
        String taskId = submit(Requests.fresh());
        awaitBusinessStatus(taskId, "delivered");
        OfficialRuleSets.assertPasses(wmo315For(taskId), "the WMO315");

        grantFirstRejectSecond(
                taskId, java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000, 999_999_999));

        List<OutboundMessage> messages = store.outbound(taskId).stream()
                .filter(m -> "iwmo".equals(m.kind()))
                .toList();
        assertThat(messages)
                .extracting(OutboundMessage::rendering)
                .containsExactlyInAnyOrder("WMO315", "WMO301", "WMO319");
        for (OutboundMessage m : messages) {
            OfficialRuleSets.assertPasses(m.body(), m.rendering());
            assertThat(nl.wmogateway.iwmo.IwmoSchemas.errors(m.rendering(), m.body()))
                    .as(m.rendering() + " against its XSD")
                    .isEmpty();
        }
    }

    private Bundle examplePlan() throws Exception {
        Bundle bundle =
                FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, Files.readString(EXAMPLE));
        bundle.getIdentifier().setValue("example-" + UUID.randomUUID());
        Patient patient = bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance)
                .map(Patient.class::cast)
                .findFirst()
                .orElseThrow();
        patient.getIdentifierFirstRep().setValue(Requests.randomBsn());
        Consent consent = bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Consent.class::isInstance)
                .map(Consent.class::cast)
                .findFirst()
                .orElseThrow();
        consent.getProvision()
                .setPeriod(new Period()
                        .setStartElement(
                                new DateTimeType(LocalDate.now().minusYears(1).toString()))
                        .setEndElement(
                                new DateTimeType(LocalDate.now().plusYears(1).toString())));
        return bundle;
    }

    private byte[] wmo315For(String taskId) {
        return store.outbound(taskId).stream()
                .filter(m -> "iwmo-wmo315".equals(m.rendering()))
                .findFirst()
                .orElseThrow()
                .body();
    }

    private List<OutboundMessage> iwmo(String taskId, String soort) {
        return store.outbound(taskId).stream()
                .filter(m -> "iwmo".equals(m.kind()) && soort.equals(m.rendering()))
                .toList();
    }

    private HttpResponse<String> grantOpenEnded(String taskId, Ondersteuningsplan plan, AangevraagdProduct p)
            throws Exception {
        String producten = plan.maatwerkvoorzieningen().stream()
                .map(q -> q.equals(p)
                        ? """
                  {"referentieAanbieder":"%s","uitkomst":"toegekend","productcategorie":"%s","productcode":"%s",
                   "omvang":{"volume":%d,"eenheid":"%s","frequentie":"%s"},"ingangsdatum":"%s","evaluatiedatum":"%s",
                   "toewijzingNummer":%d}""".formatted(
                                        p.referentieAanbieder(),
                                        p.categorie(),
                                        p.code().orElseThrow(),
                                        p.omvang().orElseThrow().volume(),
                                        p.omvang().orElseThrow().eenheid(),
                                        p.omvang().orElseThrow().frequentie(),
                                        p.ingangsdatum(),
                                        p.ingangsdatum().plusYears(1),
                                        toewijzingNummer(p.referentieAanbieder()))
                        : """
                  {"referentieAanbieder":"%s","uitkomst":"afgewezen","productcategorie":"%s","redenAfwijzing":"6"}""".formatted(q.referentieAanbieder(), q.categorie()))
                .reduce((a, b) -> a + "," + b)
                .orElseThrow();
        String beschikking = """
                {"schema":"https://wmo-gateway.nl/schema/beschikking/v1","aanvraag":"%s","beschikkingnummer":%d,
                 "besluit":"%s","afgiftedatum":"%s","producten":[%s],
                 "contactadres":{"soort":"01","straatnaam":"Markt","huisnummer":1,"postcode":"7511AA","plaatsnaam":"Enschede","landcode":"NL"}}""".formatted(
                        taskId,
                        java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000, 999_999_999),
                        plan.maatwerkvoorzieningen().size() == 1 ? "toegekend" : "deels-toegekend",
                        LocalDate.now(),
                        producten);
        return jdkClient(TestPkiFiles.GEMEENTE)
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/gemeente/beschikkingen"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(beschikking, StandardCharsets.UTF_8))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static String text(byte[] xml, String xpath) throws Exception {
        return javax.xml.xpath.XPathFactory.newDefaultInstance()
                .newXPath()
                .evaluate(xpath, nl.wmogateway.iwmo.IwmoXmlReader.read(xml));
    }
}
