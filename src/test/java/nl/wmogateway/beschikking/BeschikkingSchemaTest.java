package nl.wmogateway.beschikking;

import static nl.wmogateway.beschikking.BeschikkingJsonFormatTest.bytes;
import static nl.wmogateway.beschikking.BeschikkingJsonFormatTest.example;
import static nl.wmogateway.beschikking.BeschikkingJsonFormatTest.remove;
import static nl.wmogateway.beschikking.BeschikkingJsonFormatTest.set;
import static nl.wmogateway.beschikking.BeschikkingJsonFormatTest.with;
import static nl.wmogateway.beschikking.BeschikkingJsonFormatTest.without;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import nl.wmogateway.plan.Codelijsten;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BeschikkingSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNode SCHEMA_DOCUMENT = schemaDocument();
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(
                    SCHEMA_DOCUMENT,
                    SchemaValidatorsConfig.builder()
                            .formatAssertionsEnabled(true)
                            .build());

    private final BeschikkingJsonFormat format = new BeschikkingJsonFormat();

    @ParameterizedTest
    @ValueSource(strings = {"toegekend", "deels-toegekend", "afgewezen", "gewijzigd", "in-onderzoek"})
    void everyDocumentedExampleIsValidAgainstTheSchema(String name) {
        assertThat(errors(example(name))).isEmpty();
    }

    @Test
    void aBrokenExampleFailsTheSchema() {
        ObjectNode doc = with("toegekend", "/producten/0/kleur", "blauw");

        assertThat(errors(doc)).singleElement().asString().contains("kleur");
    }

    @Test
    void theSchemaIdIsTheValueDocumentsCarry() {
        assertThat(SCHEMA_DOCUMENT.get("$id").asText()).isEqualTo(BeschikkingJsonFormat.SCHEMA);
        assertThat(SCHEMA_DOCUMENT.at("/properties/schema/const").asText()).isEqualTo(BeschikkingJsonFormat.SCHEMA);
    }

    /** Violations a JSON Schema can express: the schema and the parser must both refuse each. */
    static Stream<Arguments> violations() {
        return Stream.of(
                violation("a missing afgiftedatum", () -> without("toegekend", "/afgiftedatum")),
                violation("an unknown key", () -> with("toegekend", "/contactadres/huis~1nummer", "112")),
                violation("null for an optional key", () -> with("toegekend", "/motivering", null)),
                violation(
                        "schema v2",
                        () -> with("toegekend", "/schema", "https://wmo-gateway.nl/schema/beschikking/v2")),
                violation("an aanvraag of 34 characters", () -> with("toegekend", "/aanvraag", "x".repeat(34))),
                violation(
                        "beschikkingnummer 1000000000", () -> with("toegekend", "/beschikkingnummer", 1_000_000_000L)),
                violation("beschikkingnummer as text", () -> with("toegekend", "/beschikkingnummer", "260012345")),
                violation("a volume of 180.5", () -> with("toegekend", "/producten/0/omvang/volume", 180.5)),
                violation("30 February", () -> with("toegekend", "/afgiftedatum", "2026-02-30")),
                violation("productcategorie 19", () -> with("toegekend", "/producten/0/productcategorie", "19")),
                violation(
                        "a productcode of 6 characters", () -> with("toegekend", "/producten/0/productcode", "02A01X")),
                violation("eenheid 02", () -> with("toegekend", "/producten/0/omvang/eenheid", "02")),
                violation("frequentie 3", () -> with("toegekend", "/producten/0/omvang/frequentie", "3")),
                violation("redenWijziging 01", () -> with("gewijzigd", "/redenWijziging", "01")),
                violation("redenAfwijzing 10", () -> with("deels-toegekend", "/producten/1/redenAfwijzing", "10")),
                violation("no products", () -> with("afgewezen", "/producten", MAPPER.createArrayNode())),
                violation("CD041", () -> without("toegekend", "/producten/0/omvang")),
                violation("CD080", () -> without("toegekend", "/producten/0/productcode")),
                violation(
                        "a grant without ingangsdatum", () -> without("deels-toegekend", "/producten/0/ingangsdatum")),
                violation(
                        "a rejection without reason", () -> without("deels-toegekend", "/producten/1/redenAfwijzing")),
                violation("a reason on a grant", () -> with("toegekend", "/producten/0/redenAfwijzing", "7")),
                violation("a reason in onderzoek", () -> with("in-onderzoek", "/producten/0/redenAfwijzing", "7")),
                violation(
                        "a rejection with an ingangsdatum",
                        () -> with("afgewezen", "/producten/0/ingangsdatum", "2026-04-01")),
                violation("a total without einddatum", () -> with("toegekend", "/producten/0/omvang/frequentie", "6")),
                violation("an unrequested rejection", () -> without("afgewezen", "/producten/0/referentieAanbieder")),
                violation(
                        "a referentie without number",
                        () -> with("toegekend", "/producten/0/referentieAanbieder", "k3v9x2m7q4t8w1b5")),
                violation("besluit toegekend with a rejection", () -> with("deels-toegekend", "/besluit", "toegekend")),
                violation(
                        "besluit deels-toegekend with all granted",
                        () -> with("toegekend", "/besluit", "deels-toegekend")),
                violation("besluit afgewezen without a rejection", () -> with("in-onderzoek", "/besluit", "afgewezen")),
                violation("besluit in-onderzoek with a rejection", () -> with("afgewezen", "/besluit", "in-onderzoek")),
                violation("a grant without contactadres", () -> without("toegekend", "/contactadres")),
                violation("adres soort 04", () -> with("toegekend", "/contactadres/soort", "04")),
                violation("landcode XX", () -> with("toegekend", "/contactadres/landcode", "XX")),
                violation(
                        "a Dutch postcode with a space", () -> with("toegekend", "/contactadres/postcode", "7513 EM")),
                violation("huisnummer 100000", () -> with("toegekend", "/contactadres/huisnummer", 100_000)),
                violation("two huisletters", () -> with("toegekend", "/contactadres/huisletter", "AB")),
                violation("a telefoon with a plus", () -> with("toegekend", "/contactadres/telefoon", "+31534001122")),
                violation("blank motivering", () -> with("toegekend", "/motivering", "   ")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void whatTheSchemaRefusesTheParserRefuses(String violation, Supplier<ObjectNode> document) {
        ObjectNode doc = document.get();

        assertThat(errors(doc)).as("schema errors").isNotEmpty();
        assertThat(format.parse(bytes(doc), "0153").findings())
                .as("parser findings")
                .isNotEmpty();
    }

    @Test
    void theParserAloneChecksWhatNoSchemaCanExpress() {
        List<ObjectNode> onlyTheParserRefuses = new ArrayList<>();
        onlyTheParserRefuses.add(with("deels-toegekend", "/producten/0/einddatum", "2026-03-31"));
        onlyTheParserRefuses.add(with("toegekend", "/producten/0/evaluatiedatum", "2026-03-01"));
        onlyTheParserRefuses.add(with("toegekend", "/producten/0/referentieAanbieder", "t2w6y9b3d7g1k5m8-1"));
        onlyTheParserRefuses.add(with("deels-toegekend", "/producten/1/referentieAanbieder", "r8d4f6h1j3p7c2n5-1"));
        ObjectNode stapeling = example("toegekend");
        ((ArrayNode) stapeling.get("producten"))
                .add(stapeling.at("/producten/0").deepCopy());
        remove(stapeling, "/producten/1/referentieAanbieder");
        onlyTheParserRefuses.add(stapeling);

        for (ObjectNode doc : onlyTheParserRefuses) {
            assertThat(errors(doc)).as("schema errors for %s", doc).isEmpty();
            assertThat(format.parse(bytes(doc), "0153").findings())
                    .as("parser findings for %s", doc)
                    .isNotEmpty();
        }
    }

    @Test
    void aForeignAddressIsValidForBothWithoutADutchPostcode() {
        ObjectNode doc = with("toegekend", "/contactadres/landcode", "BE");
        set(doc, "/contactadres/postcode", "2000");

        assertThat(errors(doc)).isEmpty();
        assertThat(format.parse(bytes(doc), "0153").findings()).isEmpty();
    }

    @Test
    void theSchemaCodeListsAreTheParsersCodeLists() {
        JsonNode defs = SCHEMA_DOCUMENT.get("$defs");

        assertThat(texts(defs.at("/product/properties/productcategorie/enum")))
                .containsExactlyElementsOf(Codelijsten.PRODUCTCATEGORIEEN.keySet());
        assertThat(texts(defs.at("/omvang/properties/eenheid/enum")))
                .containsExactlyElementsOf(Codelijsten.EENHEDEN.keySet());
        assertThat(texts(defs.at("/omvang/properties/frequentie/enum")))
                .containsExactlyElementsOf(Codelijsten.FREQUENTIES.keySet());
        assertThat(texts(defs.at("/product/properties/redenAfwijzing/enum")))
                .containsExactlyElementsOf(BeschikkingJsonFormat.REDENEN_AFWIJZING);
        assertThat(texts(defs.at("/contactadres/properties/soort/enum")))
                .containsExactlyElementsOf(BeschikkingJsonFormat.ADRESSOORTEN);
        assertThat(texts(defs.at("/contactadres/properties/landcode/enum")))
                .containsExactlyElementsOf(BeschikkingJsonFormat.LANDCODES);
        assertThat(texts(SCHEMA_DOCUMENT.at("/properties/redenWijziging/enum")))
                .containsExactlyElementsOf(BeschikkingJsonFormat.REDENEN_WIJZIGING);
        assertThat(defs.at("/contactadres/then/properties/postcode/pattern").asText())
                .isEqualTo("^" + BeschikkingJsonFormat.NL_POSTCODE.pattern() + "$");
    }

    @ParameterizedTest
    @ValueSource(strings = {"toegekend", "deels-toegekend", "afgewezen", "gewijzigd", "in-onderzoek"})
    void theOpenApiDescriptionShowsTheDocumentedExamples(String name) throws IOException {
        JsonNode openApi =
                new YAMLMapper().readTree(Path.of("docs/openapi-gemeente.yaml").toFile());
        JsonNode examples =
                openApi.at("/paths/~1gemeente~1beschikkingen/post/requestBody/content/application~1json/examples");

        assertThat(examples.at("/" + name + "/value")).isEqualTo(example(name));
    }

    private static Arguments violation(String name, Supplier<ObjectNode> document) {
        return Arguments.of(name, document);
    }

    private static List<String> errors(JsonNode doc) {
        return SCHEMA.validate(doc).stream().map(ValidationMessage::toString).toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static JsonNode schemaDocument() {
        try (InputStream in = BeschikkingSchemaTest.class.getResourceAsStream("/schema/beschikking-v1.schema.json")) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
