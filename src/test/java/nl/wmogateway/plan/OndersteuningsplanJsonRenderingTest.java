package nl.wmogateway.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OndersteuningsplanJsonRenderingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SCHEMA = loadSchema();

    private final OndersteuningsplanJsonRendering rendering = new OndersteuningsplanJsonRendering();

    @Test
    void theExampleIsValidAgainstTheJsonSchema() {
        assertThat(errors(render(TestPlans.example()))).isEmpty();
    }

    @Test
    void aPlanWithEveryOptionalEmptyIsValidAgainstTheJsonSchema() {
        assertThat(errors(render(TestPlans.minimal()))).isEmpty();
    }

    @Test
    void anIncompletePlanAGemeenteAcceptsIsValidWithItsGapsEmpty() {
        JsonNode json = render(TestPlans.incomplete());

        assertThat(errors(json)).isEmpty();
        assertThat(json.at("/crvb/hulpvraag").asText()).isEmpty();
        assertThat(json.at("/crvb/beperkingen")).isEmpty();
        assertThat(json.at("/crvb/ondersteuningsbehoefte")).isEmpty();
        assertThat(json.at("/crvb/maatwerkvoorzieningen/0/motivering").asText()).isEmpty();
    }

    @Test
    void theDocumentNamesItsSchemaFirst() {
        JsonNode json = render(TestPlans.example());

        assertThat(json.fieldNames().next()).isEqualTo("schema");
        assertThat(json.get("schema").asText()).isEqualTo("https://wmo-gateway.nl/schema/ondersteuningsplan/v1");
    }

    @Test
    void theFiveCrvbStepsComeInTheirLegalOrder() {
        JsonNode crvb = render(TestPlans.example()).get("crvb");

        assertThat(fieldNames(crvb))
                .containsExactly(
                        "hulpvraag",
                        "beperkingen",
                        "ondersteuningsbehoefte",
                        "eigenMogelijkheden",
                        "maatwerkvoorzieningen");
    }

    @Test
    void stepOneCarriesTheHulpvraag() {
        JsonNode crvb = render(TestPlans.example()).get("crvb");

        assertThat(crvb.get("hulpvraag").asText()).startsWith("Mevrouw wil zo lang mogelijk thuis blijven wonen");
    }

    @Test
    void stepTwoCarriesEachBeperkingWithItsLeefgebiedAndZrmScore() {
        JsonNode beperkingen = render(TestPlans.example()).get("crvb").get("beperkingen");

        assertThat(beperkingen).hasSize(3);
        JsonNode eerste = beperkingen.get(0);
        assertThat(eerste.get("leefgebied").get("code").asText()).isEqualTo("regie-structuur");
        assertThat(eerste.get("leefgebied").get("omschrijving").asText())
                .isEqualTo("Regie en structuur in het dagelijks leven");
        assertThat(eerste.get("omschrijving").asText()).startsWith("Vergeet afspraken");
        assertThat(eerste.get("zrmScore").asInt()).isEqualTo(2);
    }

    @Test
    void stepThreeCarriesEachDoelWithItsStreefdatum() {
        JsonNode doelen = render(TestPlans.example()).get("crvb").get("ondersteuningsbehoefte");

        assertThat(doelen).hasSize(3);
        assertThat(doelen.get(0).get("leefgebied").get("code").asText()).isEqualTo("regie-structuur");
        assertThat(doelen.get(0).get("streefdatum").asText()).isEqualTo("2025-10-01");
        assertThat(doelen.get(1).get("omschrijving").asText()).isEqualTo("Het huis is schoon en leefbaar.");
    }

    @Test
    void stepFourCarriesEigenKrachtNetworkVoorliggendVeldAndMantelzorgers() {
        JsonNode eigen = render(TestPlans.example()).get("crvb").get("eigenMogelijkheden");

        assertThat(eigen.get("eigenKracht").asText()).startsWith("Mevrouw kleedt zich zelf aan");
        assertThat(eigen.get("sociaalNetwerk").asText()).startsWith("Echtgenoot kookt");
        assertThat(eigen.get("voorliggendVeld").asText()).contains("Alzheimer Café");
        assertThat(eigen.get("mantelzorgers").findValuesAsText("relatie")).containsExactly("partner", "dochter");
    }

    @Test
    void stepFiveCarriesEachMaatwerkvoorzieningWithCodesAndOmvangInWords() {
        JsonNode producten = render(TestPlans.example()).get("crvb").get("maatwerkvoorzieningen");

        assertThat(producten).hasSize(2);
        JsonNode begeleiding = producten.get(0);
        assertThat(begeleiding.get("referentieAanbieder").asText()).isEqualTo(TestPlans.REFERENTIE_BEGELEIDING);
        assertThat(begeleiding.get("productcategorie").get("code").asText()).isEqualTo("02");
        assertThat(begeleiding.get("productcategorie").get("omschrijving").asText())
                .isEqualTo("Begeleiding");
        assertThat(begeleiding.get("productcode").asText()).isEqualTo("02A01");
        assertThat(begeleiding.get("omvang").toString())
                .isEqualTo(
                        "{\"volume\":180,\"eenheid\":\"01\",\"frequentie\":\"2\",\"omschrijving\":\"180 minuten per week\"}");
        assertThat(begeleiding.get("ingangsdatum").asText()).isEqualTo("2025-04-01");
        assertThat(begeleiding.get("evaluatiedatum").asText()).isEqualTo("2026-04-01");
        assertThat(begeleiding.get("motivering").asText()).isNotBlank();
    }

    @ParameterizedTest(name = "{0} {1} {2} reads \"{3}\"")
    @CsvSource({
        "180, 01, 2, 180 minuten per week",
        "1, 01, 1, 1 minuut per dag",
        "3, 04, 2, 3 uur per week",
        "1, 14, 4, 1 etmaal per maand",
        "4, 16, 2, 4 dagdelen per week",
        "12, 84, 6, 12 stuks in totaal",
        "1, 82, 4, 1 stuk per maand",
        "250, 83, 4, 250 euro per maand"
    })
    void theOmvangIsDescribedInDutchWords(int volume, String eenheid, String frequentie, String omschrijving) {
        AangevraagdProduct p = TestPlans.individueleBegeleiding();
        AangevraagdProduct product = new AangevraagdProduct(
                p.referentieAanbieder(),
                p.categorie(),
                p.code(),
                p.omschrijving(),
                Optional.of(new Omvang(volume, eenheid, frequentie)),
                p.ingangsdatum(),
                p.einddatum(),
                p.evaluatiedatum(),
                p.motivering());

        JsonNode json = render(TestPlans.withMaatwerkvoorzieningen(product));

        assertThat(json.at("/crvb/maatwerkvoorzieningen/0/omvang/omschrijving").asText())
                .isEqualTo(omschrijving);
    }

    @Test
    void anEmptyOptionalLeavesItsKeyOut() {
        JsonNode begeleiding = render(TestPlans.example())
                .get("crvb")
                .get("maatwerkvoorzieningen")
                .get(0);
        JsonNode minimal = render(TestPlans.minimal());

        assertThat(begeleiding.has("einddatum")).isFalse();
        assertThat(fieldNames(minimal.get("client"))).containsExactly("bsn", "geboortedatum", "geslacht", "achternaam");
        assertThat(fieldNames(minimal.get("professional"))).containsExactly("naam");
        assertThat(minimal.get("toestemming").has("formulier")).isFalse();
        assertThat(minimal.toString()).doesNotContain("null");
    }

    @Test
    void aBlankOptionalNamePartLeavesItsKeyOut() {
        Client client = new Client(
                TestPlans.BSN,
                LocalDate.of(1938, 4, 12),
                Client.Geslacht.VROUW,
                "Vries",
                Optional.of(" "),
                Optional.of(""),
                Optional.of("GJ"));

        JsonNode json = render(TestPlans.withClient(client)).get("client");

        assertThat(fieldNames(json)).containsExactly("bsn", "geboortedatum", "geslacht", "achternaam", "voorletters");
    }

    @Test
    void consentTravelsWithTheFormHash() {
        JsonNode toestemming = render(TestPlans.example()).get("toestemming");

        assertThat(toestemming.get("ontvanger").asText()).isEqualTo("0153");
        assertThat(toestemming.get("verleendOp").asText()).isEqualTo("2025-03-10T10:15:00Z");
        assertThat(toestemming.get("formulier").get("sha256").asText())
                .isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    }

    @Test
    void aDocumentMissingARequiredFieldFailsTheSchema() {
        ObjectNode json = (ObjectNode) render(TestPlans.example());
        ((ObjectNode) json.get("crvb")).remove("eigenMogelijkheden");

        assertThat(errors(json))
                .singleElement()
                .asString()
                .contains("crvb")
                .contains("required")
                .contains("eigenMogelijkheden");
    }

    @Test
    void aGemeentecodeOfThreeDigitsFailsTheSchema() {
        JsonNode json = render(TestPlans.withGemeente("153", "Enschede"));

        assertThat(errors(json)).isNotEmpty().allMatch(e -> e.contains("gemeentecode") || e.contains("ontvanger"));
    }

    @Test
    void anUnknownKeyFailsTheSchema() {
        ObjectNode json = (ObjectNode) render(TestPlans.example());
        ((ObjectNode) json.get("client")).put("telefoonnummer", "0612345678");

        assertThat(errors(json)).singleElement().asString().contains("telefoonnummer");
    }

    @Test
    void theSchemaCodeListsMatchTheCodesTheGatewayUses() {
        JsonNode defs = schemaDocument().get("$defs");

        assertThat(texts(defs.at("/omvang/properties/eenheid/enum")))
                .containsExactlyElementsOf(Codelijsten.EENHEDEN.keySet());
        assertThat(texts(defs.at("/omvang/properties/frequentie/enum")))
                .containsExactlyElementsOf(Codelijsten.FREQUENTIES.keySet());
        assertThat(texts(defs.at("/leefgebied/properties/code/enum")))
                .containsExactlyElementsOf(
                        Arrays.stream(Leefgebied.values()).map(Leefgebied::code).toList());
        String categoriePattern = defs.at("/maatwerkvoorziening/properties/productcategorie/properties/code/pattern")
                .asText();
        assertThat(Codelijsten.PRODUCTCATEGORIEEN.keySet())
                .allMatch(code -> code.matches(categoriePattern))
                .noneMatch(code -> "00".matches(categoriePattern) || "19".matches(categoriePattern));
    }

    @Test
    void aProductcategorieOutsideTheIwmoListIsRefused() {
        AangevraagdProduct p = TestPlans.individueleBegeleiding();
        AangevraagdProduct onbekend = new AangevraagdProduct(
                p.referentieAanbieder(),
                "19",
                p.code(),
                p.omschrijving(),
                p.omvang(),
                p.ingangsdatum(),
                p.einddatum(),
                p.evaluatiedatum(),
                p.motivering());

        assertThatThrownBy(() -> rendering.render(TestPlans.withMaatwerkvoorzieningen(onbekend), TestPlans.context()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("categorie '19' is not an iWmo productcategorie");
    }

    @Test
    void theSamePlanAlwaysGivesTheSameBytes() {
        byte[] first = rendering.render(TestPlans.example(), TestPlans.context());
        byte[] second = new OndersteuningsplanJsonRendering()
                .render(TestPlans.example(), new RenderContext("other", LocalDate.of(2030, 1, 1), "01"));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void theOutputIsUtf8IndentedWithNewlinesOnly() {
        String text = new String(rendering.render(TestPlans.example(), TestPlans.context()), StandardCharsets.UTF_8);

        assertThat(text)
                .startsWith("{\n  \"schema\": \"https://wmo-gateway.nl/schema/ondersteuningsplan/v1\",\n")
                .contains("Alzheimer Café")
                .doesNotContain("\r");
    }

    @Test
    void theExampleInTheDocumentationIsWhatTheGatewayRenders() throws IOException {
        String doc = Files.readString(Path.of("docs/ondersteuningsplan-json.md"));
        String example = doc.substring(doc.indexOf("```json\n") + "```json\n".length(), doc.lastIndexOf("\n```"));

        assertThat(example)
                .isEqualTo(
                        new String(rendering.render(TestPlans.example(), TestPlans.context()), StandardCharsets.UTF_8));
    }

    private JsonNode render(Ondersteuningsplan plan) {
        try {
            return MAPPER.readTree(rendering.render(plan, TestPlans.context()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> errors(JsonNode json) {
        Set<ValidationMessage> messages = SCHEMA.validate(json);
        return messages.stream().map(ValidationMessage::toString).toList();
    }

    private static JsonSchema loadSchema() {
        SchemaValidatorsConfig config =
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaDocument(), config);
    }

    private static JsonNode schemaDocument() {
        try (InputStream in = OndersteuningsplanJsonRenderingTest.class.getResourceAsStream(
                "/schema/ondersteuningsplan-v1.schema.json")) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
