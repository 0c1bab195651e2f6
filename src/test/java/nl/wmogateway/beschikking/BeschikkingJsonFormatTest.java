package nl.wmogateway.beschikking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.beschikking.BeschikkingFormat.Parsed;
import nl.wmogateway.besluit.Beschikking;
import nl.wmogateway.besluit.Beschikking.Besluit;
import nl.wmogateway.besluit.Contactadres;
import nl.wmogateway.besluit.ProductBesluit;
import nl.wmogateway.besluit.ProductBesluit.Uitkomst;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.plan.Omvang;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BeschikkingJsonFormatTest {

    /** The documented examples, as files under src/test/resources/beschikking/. */
    static final List<String> EXAMPLES =
            List.of("toegekend", "deels-toegekend", "afgewezen", "gewijzigd", "in-onderzoek");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String GEMEENTE = "0153";

    private final BeschikkingJsonFormat format = new BeschikkingJsonFormat();

    // ---------------------------------------------------------------- the examples

    @Test
    void theFullGrantIsOneOpenEndedProductOf180MinutesPerWeekWithAnEvaluation() {
        Beschikking expected = new Beschikking(
                "k3v9x2m7q4t8w1b5",
                260012345L,
                Besluit.TOEGEKEND,
                LocalDate.of(2026, 3, 20),
                List.of(new ProductBesluit(
                        Optional.of("k3v9x2m7q4t8w1b5-1"),
                        Uitkomst.TOEGEKEND,
                        "02",
                        Optional.of("02A01"),
                        Optional.of(new Omvang(180, Omvang.EENHEID_MINUUT, Omvang.FREQUENTIE_PER_WEEK)),
                        Optional.of(LocalDate.of(2026, 4, 1)),
                        Optional.empty(),
                        Optional.of(LocalDate.of(2027, 4, 1)),
                        Optional.empty(),
                        Optional.of(90417L),
                        Optional.of(java.time.LocalDateTime.of(2026, 3, 20, 14, 2, 37)))),
                Optional.of(new Contactadres(
                        "01",
                        "Haaksbergerstraat",
                        112,
                        Optional.of("A"),
                        Optional.empty(),
                        "7513EM",
                        "Enschede",
                        "NL",
                        Optional.of("0534001122"))),
                Optional.of(
                        "Individuele begeleiding bij dagstructuur en plannen, zoals in het ondersteuningsplan. Open einde:"
                                + " mevrouw heeft deze ondersteuning blijvend nodig; over een jaar kijken we samen of de omvang nog past."),
                Optional.empty());

        assertThat(parse(example("toegekend")).beschikking()).contains(expected);
    }

    @Test
    void thePartialGrantHasAGrantedAndARejectedProduct() {
        Beschikking beschikking =
                parse(example("deels-toegekend")).beschikking().orElseThrow();

        assertThat(beschikking.besluit()).isEqualTo(Besluit.DEELS_TOEGEKEND);
        assertThat(beschikking.producten())
                .containsExactly(
                        new ProductBesluit(
                                Optional.of("r8d4f6h1j3p7c2n5-1"),
                                Uitkomst.TOEGEKEND,
                                "02",
                                Optional.of("02A01"),
                                Optional.of(new Omvang(120, "01", "2")),
                                Optional.of(LocalDate.of(2026, 4, 1)),
                                Optional.of(LocalDate.of(2026, 12, 31)),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.of(90512L),
                                Optional.of(java.time.LocalDateTime.of(2026, 3, 23, 14, 2, 37))),
                        new ProductBesluit(
                                Optional.of("r8d4f6h1j3p7c2n5-2"),
                                Uitkomst.AFGEWEZEN,
                                "01",
                                Optional.of("01A01"),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.of("7")));
        assertThat(beschikking.contactadres()).hasValueSatisfying(adres -> {
            assertThat(adres.huisnummerToevoeging()).contains("bis");
            assertThat(adres.telefoon()).isEmpty();
        });
    }

    @Test
    void theRejectionNeedsNoContactadres() {
        Beschikking beschikking = parse(example("afgewezen")).beschikking().orElseThrow();

        assertThat(beschikking.besluit()).isEqualTo(Besluit.AFGEWEZEN);
        assertThat(beschikking.contactadres()).isEmpty();
        assertThat(beschikking.producten()).singleElement().satisfies(p -> {
            assertThat(p.uitkomst()).isEqualTo(Uitkomst.AFGEWEZEN);
            assertThat(p.redenAfwijzing()).contains("3");
            assertThat(p.ingangsdatum()).isEmpty();
        });
    }

    @Test
    void theChangedBeschikkingCarriesItsRedenWijzigingAndTheNewEinddatum() {
        Beschikking beschikking = parse(example("gewijzigd")).beschikking().orElseThrow();

        assertThat(beschikking.redenWijziging()).contains("04");
        assertThat(beschikking.beschikkingnummer()).isEqualTo(260015120L);
        assertThat(beschikking.producten().get(0).einddatum()).contains(LocalDate.of(2027, 12, 31));
        assertThat(beschikking.producten().get(0).evaluatiedatum()).contains(LocalDate.of(2027, 6, 1));
        assertThat(beschikking.producten().get(0).toewijzingNummer())
                .as("a change keeps the number")
                .contains(90512L);
    }

    @Test
    void aBeschikkingInOnderzoekHasProductsWithoutDatesOrReason() {
        Beschikking beschikking = parse(example("in-onderzoek")).beschikking().orElseThrow();

        assertThat(beschikking.besluit()).isEqualTo(Besluit.IN_ONDERZOEK);
        assertThat(beschikking.producten()).singleElement().satisfies(p -> {
            assertThat(p.uitkomst()).isEqualTo(Uitkomst.IN_ONDERZOEK);
            assertThat(p.omvang()).isEmpty();
            assertThat(p.redenAfwijzing()).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"toegekend", "deels-toegekend", "afgewezen", "gewijzigd", "in-onderzoek"})
    void everyDocumentedExampleParsesWithoutFindings(String name) {
        Parsed parsed = format.parse(exampleBytes(name), GEMEENTE);

        assertThat(parsed.findings()).isEmpty();
        assertThat(parsed.beschikking()).isPresent();
    }

    @Test
    void theDeveloperPageShowsEveryExampleExactlyAsTheTestsUseIt() throws IOException {
        String page = Files.readString(Path.of("docs/beschikking-json.md"));

        for (String name : EXAMPLES) {
            String json = new String(exampleBytes(name), StandardCharsets.UTF_8).strip();
            assertThat(page).as("docs/beschikking-json.md shows %s.json", name).contains("```json\n" + json + "\n```");
        }
    }

    // ---------------------------------------------------------------- unreadable bodies

    @Test
    void malformedJsonGivesOneUnreadableFindingAndNoException() {
        Parsed parsed = format.parse(
                "{\"schema\": \"https://wmo-gateway.nl/schema/beschikking/v1\", \"aanvraag\": "
                        .getBytes(StandardCharsets.UTF_8),
                GEMEENTE);

        assertThat(parsed.beschikking()).isEmpty();
        assertThat(parsed.readable()).isFalse();
        assertThat(parsed.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("0001");
            assertThat(f.expression()).isEmpty();
            assertThat(f.message()).contains("line 1");
        });
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "",
                "   ",
                "[]",
                "null",
                "\"toegekend\"",
                "{} {}",
                "{\"aanvraag\": \"a\", \"aanvraag\": \"b\"}",
                "{'aanvraag': 'a'}",
                "{\"aanvraag\": \"a\" /* comment */}"
            })
    void aBodyThatIsNotOneJsonObjectIsUnreadable(String body) {
        assertThat(format.parse(body.getBytes(StandardCharsets.UTF_8), GEMEENTE).findings())
                .extracting(Finding::code)
                .containsExactly("0001");
    }

    @Test
    void bytesThatAreNotUtf8AreUnreadable() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThat(format.parse(body, GEMEENTE).findings())
                .extracting(Finding::code)
                .containsExactly("0001");
    }

    // ---------------------------------------------------------------- structure

    @Test
    void aMissingRequiredKeyIsReportedAtItsPointer() {
        assertThat(findings(without("toegekend", "/afgiftedatum"))).containsExactly(tuple("required", "/afgiftedatum"));
    }

    @Test
    void anUnknownKeyIsAnErrorAtItsOwnPointer() {
        assertThat(findings(with("toegekend", "/producten/0/omschrijving", "Individuele begeleiding")))
                .containsExactly(tuple("invalid", "/producten/0/omschrijving"));
    }

    @Test
    void anUnknownKeyWithASlashIsEscapedInThePointer() {
        assertThat(findings(with("toegekend", "/contactadres/huis~1nummer", "112")))
                .containsExactly(tuple("invalid", "/contactadres/huis~1nummer"));
    }

    @Test
    void nullIsNotAnAbsentValue() {
        assertThat(findings(with("toegekend", "/motivering", null))).containsExactly(tuple("invalid", "/motivering"));
    }

    @Test
    void aNumberWhereTextBelongsIsInvalid() {
        assertThat(findings(with("toegekend", "/producten/0/productcategorie", 2)))
                .containsExactly(tuple("invalid", "/producten/0/productcategorie"));
    }

    @Test
    void anotherSchemaVersionIsInvalid() {
        assertThat(findings(with("toegekend", "/schema", "https://wmo-gateway.nl/schema/beschikking/v2")))
                .containsExactly(tuple("invalid", "/schema"));
    }

    @Test
    void aBeschikkingWithoutProductsIsRefused() {
        ObjectNode doc = example("toegekend");
        doc.putArray("producten");
        doc.put("besluit", "afgewezen");
        doc.remove("contactadres");

        assertThat(findings(doc)).containsExactly(tuple("required", "/producten"));
    }

    @Test
    void everyProblemIsReportedAtOnceInDocumentOrder() {
        ObjectNode doc = without("toegekend", "/afgiftedatum");
        set(doc, "/producten/0/omvang/eenheid", "02");
        set(doc, "/contactadres/postcode", "7513 EM");

        assertThat(findings(doc))
                .containsExactly(
                        tuple("required", "/afgiftedatum"),
                        tuple("invalid", "/producten/0/omvang/eenheid"),
                        tuple("invalid", "/contactadres/postcode"));
    }

    // ---------------------------------------------------------------- values

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "/besluit, gedeeltelijk",
        "/producten/0/uitkomst, toegewezen",
        "/producten/0/productcategorie, 19",
        "/producten/0/omvang/eenheid, 02",
        "/producten/0/omvang/frequentie, 3",
        "/contactadres/soort, 04",
        "/contactadres/landcode, XX",
        "/redenWijziging, 01",
    })
    void aCodeOutsideItsIwmoListIsInvalidAtItsPointer(String pointer, String code) {
        assertThat(findings(with("toegekend", pointer, code))).containsExactly(tuple("invalid", pointer));
    }

    @Test
    void aRedenAfwijzingOutsideWj759IsInvalid() {
        assertThat(findings(with("deels-toegekend", "/producten/1/redenAfwijzing", "10")))
                .containsExactly(tuple("invalid", "/producten/1/redenAfwijzing"));
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 1_000_000_000L})
    void aBeschikkingnummerOutsideLdtNummerIsInvalid(long nummer) {
        assertThat(findings(with("toegekend", "/beschikkingnummer", nummer)))
                .containsExactly(tuple("invalid", "/beschikkingnummer"));
    }

    @Test
    void aBeschikkingnummerAsTextIsInvalid() {
        assertThat(findings(with("toegekend", "/beschikkingnummer", "260012345")))
                .containsExactly(tuple("invalid", "/beschikkingnummer"));
    }

    @Test
    void aWholeNumberWrittenWithAFractionIsAWholeNumber() {
        ObjectNode doc = example("toegekend");
        ((ObjectNode) doc.at("/producten/0/omvang")).put("volume", 180.0);

        assertThat(parse(doc).beschikking().orElseThrow().producten().get(0).omvang())
                .contains(new Omvang(180, "01", "2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29", "2026-4-1", "01-04-2026", "2026-04-01T00:00:00Z"})
    void aValueThatIsNotADayIsInvalid(String datum) {
        assertThat(findings(with("toegekend", "/producten/0/ingangsdatum", datum)))
                .containsExactly(tuple("invalid", "/producten/0/ingangsdatum"));
    }

    @Test
    void textLongerThanIwmoAllowsIsInvalid() {
        assertThat(findings(with("toegekend", "/contactadres/straatnaam", "Burgemeester van Veenlaan Oost")))
                .containsExactly(tuple("invalid", "/contactadres/straatnaam"));
    }

    @Test
    void blankTextIsInvalid() {
        assertThat(findings(with("toegekend", "/motivering", " \n "))).containsExactly(tuple("invalid", "/motivering"));
    }

    @Test
    void aDutchPostcodeHasFourDigitsAndTwoCapitalsWithoutASpace() {
        assertThat(findings(with("toegekend", "/contactadres/postcode", "7513 EM")))
                .containsExactly(tuple("invalid", "/contactadres/postcode"));
    }

    @Test
    void aForeignPostcodeIsNotHeldToTheDutchFormat() {
        ObjectNode doc = with("toegekend", "/contactadres/landcode", "DE");
        set(doc, "/contactadres/postcode", "48143");

        assertThat(findings(doc)).isEmpty();
    }

    @Test
    void aTelefoonIsDigitsOnly() {
        assertThat(findings(with("toegekend", "/contactadres/telefoon", "+31 53 400 1122")))
                .containsExactly(tuple("invalid", "/contactadres/telefoon"));
    }

    // ---------------------------------------------------------------- rules per product

    @Test
    void aGrantedProductWithAProductcodeAndNoOmvangIsCd041() {
        assertThat(findings(without("toegekend", "/producten/0/omvang")))
                .containsExactly(tuple("required", "/producten/0/omvang"));
    }

    @Test
    void anOmvangWithoutProductcodeIsCd080() {
        assertThat(findings(without("toegekend", "/producten/0/productcode")))
                .containsExactly(tuple("invalid", "/producten/0/omvang"));
    }

    @Test
    void aProductGrantedOnCategorieAloneNeedsNoOmvang() {
        ObjectNode doc = without("toegekend", "/producten/0/productcode");
        remove(doc, "/producten/0/omvang");

        assertThat(parse(doc).beschikking().orElseThrow().producten().get(0).omvang())
                .isEmpty();
    }

    @Test
    void aGrantedProductNeedsAnIngangsdatum() {
        ObjectNode doc = without("toegekend", "/producten/0/ingangsdatum");
        remove(doc, "/producten/0/evaluatiedatum");

        assertThat(findings(doc)).containsExactly(tuple("required", "/producten/0/ingangsdatum"));
    }

    @Test
    void anEinddatumBeforeTheIngangsdatumIsCs003() {
        assertThat(findings(with("deels-toegekend", "/producten/0/einddatum", "2026-03-31")))
                .containsExactly(tuple("invalid", "/producten/0/einddatum"));
    }

    @Test
    void anEinddatumOnTheIngangsdatumIsAllowed() {
        assertThat(findings(with("deels-toegekend", "/producten/0/einddatum", "2026-04-01")))
                .isEmpty();
    }

    @Test
    void anEvaluatiedatumMustComeAfterTheIngangsdatum() {
        assertThat(findings(with("toegekend", "/producten/0/evaluatiedatum", "2026-04-01")))
                .containsExactly(tuple("invalid", "/producten/0/evaluatiedatum"));
    }

    @Test
    void anEvaluatiedatumAfterTheEinddatumIsInvalid() {
        assertThat(findings(with("gewijzigd", "/producten/0/evaluatiedatum", "2028-01-01")))
                .containsExactly(tuple("invalid", "/producten/0/evaluatiedatum"));
    }

    @Test
    void aTotalWithinTheToewijzingNeedsAnEinddatum() {
        assertThat(findings(with("toegekend", "/producten/0/omvang/frequentie", "6")))
                .containsExactly(tuple("required", "/producten/0/einddatum"));
    }

    @Test
    void aRejectedProductNeedsARedenAfwijzing() {
        assertThat(findings(without("deels-toegekend", "/producten/1/redenAfwijzing")))
                .containsExactly(tuple("required", "/producten/1/redenAfwijzing"));
    }

    @Test
    void aGrantedProductHasNoRedenAfwijzing() {
        assertThat(findings(with("toegekend", "/producten/0/redenAfwijzing", "7")))
                .containsExactly(tuple("invalid", "/producten/0/redenAfwijzing"));
    }

    @Test
    void aProductInOnderzoekHasNoRedenAfwijzing() {
        assertThat(findings(with("in-onderzoek", "/producten/0/redenAfwijzing", "7")))
                .containsExactly(tuple("invalid", "/producten/0/redenAfwijzing"));
    }

    @Test
    void aRejectedProductHasNoOmvangOrDates() {
        ObjectNode doc = with("deels-toegekend", "/producten/1/omvang", MAPPER.valueToTree(new Omvang(60, "01", "2")));
        set(doc, "/producten/1/ingangsdatum", "2026-04-01");

        assertThat(findings(doc))
                .containsExactly(
                        tuple("invalid", "/producten/1/omvang"), tuple("invalid", "/producten/1/ingangsdatum"));
    }

    // ---------------------------------------------------------------- rules across the beschikking

    @ParameterizedTest(name = "{0} with besluit {1}")
    @CsvSource({
        "toegekend, deels-toegekend",
        "toegekend, afgewezen",
        "deels-toegekend, toegekend",
        "deels-toegekend, afgewezen",
        "afgewezen, in-onderzoek",
        "in-onderzoek, afgewezen",
    })
    void aBesluitThatContradictsTheProductOutcomesIsInvalid(String example, String besluit) {
        assertThat(findings(with(example, "/besluit", besluit))).contains(tuple("invalid", "/besluit"));
    }

    @Test
    void aRejectionMayLeaveSomeProductsInOnderzoek() {
        ObjectNode doc = example("afgewezen");
        ObjectNode tweede = ((ArrayNode) doc.get("producten")).addObject();
        tweede.put("referentieAanbieder", "t2w6y9b3d7g1k5m8-2");
        tweede.put("uitkomst", "in-onderzoek");
        tweede.put("productcategorie", "08");

        assertThat(findings(doc)).isEmpty();
    }

    @Test
    void aGrantNeedsAContactadres() {
        assertThat(findings(without("toegekend", "/contactadres"))).containsExactly(tuple("required", "/contactadres"));
    }

    @Test
    void aReferentieAanbiederOfAnotherAanvraagIsInvalid() {
        assertThat(findings(with("toegekend", "/producten/0/referentieAanbieder", "t2w6y9b3d7g1k5m8-1")))
                .containsExactly(tuple("invalid", "/producten/0/referentieAanbieder"));
    }

    @Test
    void aReferentieAanbiederWithoutProductNumberIsInvalid() {
        assertThat(findings(with("toegekend", "/producten/0/referentieAanbieder", "k3v9x2m7q4t8w1b5")))
                .containsExactly(tuple("invalid", "/producten/0/referentieAanbieder"));
    }

    @Test
    void eachRequestedProductIsDecidedOnOnce() {
        assertThat(findings(with("deels-toegekend", "/producten/1/referentieAanbieder", "r8d4f6h1j3p7c2n5-1")))
                .containsExactly(tuple("invalid", "/producten/1/referentieAanbieder"));
    }

    @Test
    void aProductTheGemeenteGrantsUnaskedHasNoReferentieAanbieder() {
        ObjectNode doc = example("toegekend");
        ObjectNode extra = ((ArrayNode) doc.get("producten")).addObject();
        extra.put("uitkomst", "toegekend");
        extra.put("productcategorie", "08");
        extra.put("ingangsdatum", "2026-04-01");

        ProductBesluit product =
                parse(doc).beschikking().orElseThrow().producten().get(1);
        assertThat(product.referentieAanbieder()).isEmpty();
        assertThat(product.categorie()).isEqualTo("08");
    }

    @Test
    void onlyARequestedProductCanBeRejected() {
        assertThat(findings(without("afgewezen", "/producten/0/referentieAanbieder")))
                .containsExactly(tuple("required", "/producten/0/referentieAanbieder"));
    }

    @Test
    void theSameProductIsNotGrantedTwiceForOverlappingPeriods() {
        ObjectNode doc = example("toegekend");
        ObjectNode dubbel = ((ArrayNode) doc.get("producten")).addObject();
        dubbel.put("uitkomst", "toegekend");
        dubbel.put("productcategorie", "02");
        dubbel.put("productcode", "02A01");
        dubbel.set("omvang", MAPPER.valueToTree(new Omvang(60, "01", "2")));
        dubbel.put("ingangsdatum", "2026-06-01");

        assertThat(findings(doc)).containsExactly(tuple("invalid", "/producten/1"));
    }

    // ---------------------------------------------------------------- the format

    @Test
    void theFormatIsNamedForThePartnerConfigurationAndAcceptsJson() {
        assertThat(format.type()).isEqualTo("beschikking-json");
        assertThat(format.contentTypes()).containsExactly("application/json");
    }

    @Test
    void everyErrorIsRetourcode0001AndTheMessageNamesTheRule() {
        List<Finding> findings =
                parse(without("toegekend", "/producten/0/omvang")).findings();
        ObjectNode twee = without("toegekend", "/producten/0/omvang");
        remove(twee, "/afgiftedatum");

        assertThat(BeschikkingFormat.retourcodes(findings)).containsExactly("0001");
        assertThat(findings)
                .singleElement()
                .satisfies(f -> assertThat(f.message()).contains("CD041"));
        assertThat(BeschikkingFormat.retourcodes(parse(twee).findings())).containsExactly("0001");
        assertThat(BeschikkingFormat.retourcodes(List.of())).containsExactly("0200");
    }

    // ---------------------------------------------------------------- helpers, also for BeschikkingSchemaTest

    private Parsed parse(JsonNode doc) {
        return format.parse(bytes(doc), GEMEENTE);
    }

    /** The findings as (code, pointer), all errors unless a test says otherwise. */
    private List<org.assertj.core.groups.Tuple> findings(JsonNode doc) {
        Parsed parsed = parse(doc);
        assertThat(parsed.findings()).allMatch(Finding::isError);
        assertThat(parsed.beschikking().isPresent()).isEqualTo(parsed.findings().isEmpty());
        return parsed.findings().stream()
                .map(f -> tuple(f.code(), f.expression()))
                .toList();
    }

    static byte[] exampleBytes(String name) {
        try (InputStream in = BeschikkingJsonFormatTest.class.getResourceAsStream("/beschikking/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no example " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode example(String name) {
        try {
            return (ObjectNode) MAPPER.readTree(exampleBytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode doc) {
        try {
            return MAPPER.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example with the value at the pointer set (added or replaced); value may be a JsonNode or null. */
    static ObjectNode with(String name, String pointer, Object value) {
        ObjectNode doc = example(name);
        set(doc, pointer, value);
        return doc;
    }

    static ObjectNode without(String name, String pointer) {
        ObjectNode doc = example(name);
        remove(doc, pointer);
        return doc;
    }

    static void set(ObjectNode doc, String pointer, Object value) {
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = doc.at(p.head());
        JsonNode node = MAPPER.valueToTree(value);
        if (parent instanceof ArrayNode array) {
            array.set(p.last().getMatchingIndex(), node);
        } else {
            ((ObjectNode) parent).set(p.last().getMatchingProperty(), node);
        }
    }

    static void remove(ObjectNode doc, String pointer) {
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = doc.at(p.head());
        if (parent instanceof ArrayNode array) {
            array.remove(p.last().getMatchingIndex());
        } else {
            ((ObjectNode) parent).remove(p.last().getMatchingProperty());
        }
    }
}
