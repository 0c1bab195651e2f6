package nl.wmogateway.beschikking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import nl.wmogateway.iwmo.IwmoSchemas;
import nl.wmogateway.plan.Omvang;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeschikkingIwmoFormatTest {

    private static final String GEMEENTE = "0153";
    private static final Optional<String> NUMMER = Optional.of("260012345");
    private static final String PRODUCT_2 = "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]";

    private final BeschikkingIwmoFormat format = new BeschikkingIwmoFormat();

    // ---------------------------------------------------------------- WMO301

    @Test
    void aWmo301GrantsTheProductsThatAnswerTheAanvraag() {
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
                        Optional.of(new Omvang(180, "01", "2")),
                        Optional.of(LocalDate.of(2026, 4, 1)),
                        Optional.of(LocalDate.of(2031, 3, 31)),
                        Optional.empty(),
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
                Optional.empty(),
                Optional.empty());

        assertThat(format.parse(fixture("wmo301-toegekend.xml"), GEMEENTE, NUMMER)
                        .beschikking())
                .contains(expected);
    }

    @Test
    void anEarlierToewijzingInTheWmo301SnapshotIsLeftOutWithAWarning() {
        Parsed parsed = format.parse(fixture("wmo301-toegekend.xml"), GEMEENTE, NUMMER);

        assertThat(parsed.findings()).singleElement().satisfies(f -> {
            assertThat(f.isError()).isFalse();
            assertThat(f.code()).isEqualTo("informational");
            assertThat(f.expression()).isEqualTo("/Bericht/Client/ToegewezenProducten/ToegewezenProduct[1]");
        });
    }

    @Test
    void theBrpAddressIsChosenOverACorrespondenceAddressListedBeforeIt() {
        Contactadres adres = format.parse(fixture("wmo301-toegekend.xml"), GEMEENTE, NUMMER)
                .beschikking()
                .orElseThrow()
                .contactadres()
                .orElseThrow();

        assertThat(adres.soort()).isEqualTo("01");
        assertThat(adres.straatnaam()).isEqualTo("Haaksbergerstraat");
    }

    @Test
    void onlyTheAanvraagOfTheMostRecentToewijzingFormsTheBeschikking() {
        String xml = text("wmo301-toegekend.xml")
                .replace(
                        "<wmo301:ToewijzingNummer>88123</wmo301:ToewijzingNummer>",
                        "<wmo301:ToewijzingNummer>88123</wmo301:ToewijzingNummer>\n"
                                + "        <wmo301:ReferentieAanbieder>t2w6y9b3d7g1k5m8-1</wmo301:ReferentieAanbieder>");

        Parsed parsed = format.parse(xml.getBytes(StandardCharsets.UTF_8), GEMEENTE, NUMMER);

        assertThat(parsed.beschikking().orElseThrow().requestId()).isEqualTo("k3v9x2m7q4t8w1b5");
        assertThat(parsed.beschikking().orElseThrow().producten()).hasSize(1);
        assertThat(parsed.findings())
                .singleElement()
                .extracting(Finding::message)
                .asString()
                .contains("t2w6y9b3d7g1k5m8");
    }

    @Test
    void withoutTheBeschikkingnummerHeaderAWmo301IsRefused() {
        Parsed parsed = format.parse(fixture("wmo301-toegekend.xml"), GEMEENTE);

        assertThat(parsed.beschikking()).isEmpty();
        assertThat(errors(parsed)).containsExactly(tuple("required", "header:Wmo-Beschikkingnummer"));
    }

    @Test
    void aBeschikkingnummerHeaderThatIsNotANumberIsInvalid() {
        Parsed parsed = format.parse(fixture("wmo301-toegekend.xml"), GEMEENTE, Optional.of("B-2026-12"));

        assertThat(errors(parsed)).containsExactly(tuple("invalid", "header:Wmo-Beschikkingnummer"));
    }

    @Test
    void aMessageFromAnotherGemeenteIsASecurityFinding() {
        Parsed parsed = format.parse(fixture("wmo301-toegekend.xml"), "0363", NUMMER);

        assertThat(parsed.beschikking()).isEmpty();
        assertThat(errors(parsed)).containsExactly(tuple("security", "/Bericht/Header/Afzender"));
    }

    @Test
    void aProductcodeWithoutOmvangIsTr411() {
        String xml = text("wmo301-toegekend.xml")
                .replaceFirst("(?s)(<wmo301:ToewijzingNummer>90417.*?)<wmo301:Omvang>.*?</wmo301:Omvang>", "$1");

        assertThat(errors(parse(xml))).containsExactly(tuple("required", PRODUCT_2 + "/Omvang"));
    }

    @Test
    void anOmvangWithoutProductcodeIsTr412() {
        String xml = text("wmo301-toegekend.xml").replace("<iwmo:Code>02A01</iwmo:Code>", "");

        assertThat(errors(parse(xml))).containsExactly(tuple("invalid", PRODUCT_2 + "/Omvang"));
    }

    @Test
    void anEinddatumBeforeTheIngangsdatumIsCs003() {
        String xml = text("wmo301-toegekend.xml")
                .replace(
                        "<wmo301:Einddatum>2031-03-31</wmo301:Einddatum>",
                        "<wmo301:Einddatum>2026-03-01</wmo301:Einddatum>");

        assertThat(errors(parse(xml))).containsExactly(tuple("invalid", PRODUCT_2 + "/Einddatum"));
    }

    @Test
    void aCodeOutsideItsIwmoListIsInvalidAtItsXPath() {
        String xml = text("wmo301-toegekend.xml")
                .replace(
                        "<iwmo:Volume>180</iwmo:Volume>\n          <iwmo:Eenheid>01",
                        "<iwmo:Volume>180</iwmo:Volume>\n          <iwmo:Eenheid>02");

        assertThat(errors(parse(xml))).containsExactly(tuple("invalid", PRODUCT_2 + "/Omvang/Eenheid"));
    }

    @Test
    void aDutchPostcodeWithASpaceIsCs089() {
        String xml = text("wmo301-toegekend.xml").replace("7513EM", "7513 EM");

        assertThat(errors(parse(xml)))
                .containsExactly(tuple("invalid", "/Bericht/Client/Contactgegevens/Contact[2]/Adres/Postcode"));
    }

    @Test
    void aBsnThatFailsTheElfproefIsCs002() {
        String xml = text("wmo301-toegekend.xml").replace("999911120", "999911121");

        assertThat(errors(parse(xml))).containsExactly(tuple("invalid", "/Bericht/Client/Bsn"));
    }

    @Test
    void aWmo301ThatAnswersNoGatewayAanvraagIsRefused() {
        String xml = text("wmo301-toegekend.xml").replace("k3v9x2m7q4t8w1b5-1", "VOT-2026-0042");

        assertThat(errors(parse(xml))).containsExactly(tuple("required", "/Bericht/Client/ToegewezenProducten"));
    }

    @Test
    void ourWmo301FixtureIsValidAgainstTheOfficialXsd() {
        assertThat(IwmoSchemas.errors("WMO301", fixture("wmo301-toegekend.xml")))
                .isEmpty();
    }

    // ---------------------------------------------------------------- WMO319

    @Test
    void aWmo319RejectionIsARejectedProductWithItsReason() {
        Beschikking expected = new Beschikking(
                "r8d4f6h1j3p7c2n5",
                260012345L,
                Besluit.AFGEWEZEN,
                LocalDate.of(2026, 3, 24),
                List.of(new ProductBesluit(
                        Optional.of("r8d4f6h1j3p7c2n5-2"),
                        Uitkomst.AFGEWEZEN,
                        BeschikkingIwmoFormat.CATEGORIE_ONBEKEND,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of("7"))),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        Parsed parsed = format.parse(fixture("wmo319-afgewezen.xml"), GEMEENTE, NUMMER);

        assertThat(parsed.findings()).isEmpty();
        assertThat(parsed.beschikking()).contains(expected);
    }

    @Test
    void aWmo319InOnderzoekIsABeschikkingInOnderzoek() {
        String xml = text("wmo319-afgewezen.xml")
                .replace(
                        "<wmo319:VerzoekAntwoord>1</wmo319:VerzoekAntwoord>",
                        "<wmo319:VerzoekAntwoord>2</wmo319:VerzoekAntwoord>")
                .replace("<wmo319:RedenAfwijzingVerzoek>7</wmo319:RedenAfwijzingVerzoek>", "");

        Beschikking beschikking = parse(xml).beschikking().orElseThrow();

        assertThat(beschikking.besluit()).isEqualTo(Besluit.IN_ONDERZOEK);
        assertThat(beschikking.producten())
                .singleElement()
                .extracting(ProductBesluit::uitkomst)
                .isEqualTo(Uitkomst.IN_ONDERZOEK);
    }

    @Test
    void aWmo319RejectionWithoutReasonIsRefused() {
        String xml = text("wmo319-afgewezen.xml")
                .replace("<wmo319:RedenAfwijzingVerzoek>7</wmo319:RedenAfwijzingVerzoek>", "");

        assertThat(errors(parse(xml))).containsExactly(tuple("required", "/Bericht/Antwoord/RedenAfwijzingVerzoek"));
    }

    @Test
    void aWmo319ForAReferentieThatIsNotTheGatewaysIsRefused() {
        String xml = text("wmo319-afgewezen.xml").replace("r8d4f6h1j3p7c2n5-2", "VOT-2026-0042");

        assertThat(errors(parse(xml))).containsExactly(tuple("invalid", "/Bericht/Antwoord/ReferentieAanbieder"));
    }

    @Test
    void aMissingElementIsReportedWhereItBelongs() {
        String xml = text("wmo319-afgewezen.xml").replace("<wmo319:VerzoekAntwoord>1</wmo319:VerzoekAntwoord>", "");

        assertThat(errors(parse(xml))).containsExactly(tuple("required", "/Bericht/Antwoord/VerzoekAntwoord"));
    }

    @Test
    void anElementInTheWrongNamespaceIsNotRead() {
        String xml = text("wmo319-afgewezen.xml")
                .replace(
                        "<wmo319:VerzoekAntwoord>1</wmo319:VerzoekAntwoord>",
                        "<iwmo:VerzoekAntwoord>1</iwmo:VerzoekAntwoord>");

        assertThat(errors(parse(xml))).containsExactly(tuple("required", "/Bericht/Antwoord/VerzoekAntwoord"));
    }

    @Test
    void ourWmo319FixtureIsValidAgainstTheOfficialXsd() {
        assertThat(IwmoSchemas.errors("WMO319", fixture("wmo319-afgewezen.xml")))
                .isEmpty();
    }

    // ---------------------------------------------------------------- the official examples

    @Test
    void theOfficialWmo301ExampleMapsOnceItsReferentieIsTheGateways() throws IOException {
        String xml = official("WMO301.xml")
                .replace("<wmo301:ReferentieAanbieder>42420002<", "<wmo301:ReferentieAanbieder>k3v9x2m7q4t8w1b5-1<");

        Parsed parsed = format.parse(xml.getBytes(StandardCharsets.UTF_8), "0384", NUMMER);

        assertThat(parsed.findings()).isEmpty();
        Beschikking beschikking = parsed.beschikking().orElseThrow();
        assertThat(beschikking.afgiftedatum()).isEqualTo(LocalDate.of(2023, 8, 13));
        assertThat(beschikking.producten()).singleElement().satisfies(p -> {
            assertThat(p.categorie()).isEqualTo("01");
            assertThat(p.code()).contains("01A01");
            assertThat(p.omvang()).contains(new Omvang(10, "01", "1"));
            assertThat(p.einddatum()).contains(LocalDate.of(2023, 12, 31));
        });
        assertThat(beschikking.contactadres()).hasValueSatisfying(a -> {
            assertThat(a.landcode()).isEqualTo("AD");
            assertThat(a.huisnummer()).isEqualTo(100);
            assertThat(a.huisnummerToevoeging()).contains("BAL");
        });
    }

    @Test
    void theOfficialWmo301ExampleAsItIsAnswersNoGatewayAanvraag() throws IOException {
        Parsed parsed = format.parse(official("WMO301.xml").getBytes(StandardCharsets.UTF_8), "0384", NUMMER);

        assertThat(errors(parsed)).containsExactly(tuple("required", "/Bericht/Client/ToegewezenProducten"));
    }

    @Test
    void theOfficialWmo319ExampleMapsOnceItsReferentieIsTheGateways() throws IOException {
        String xml = official("WMO319.xml").replace(">9003<", ">t2w6y9b3d7g1k5m8-1<");

        Beschikking beschikking = format.parse(xml.getBytes(StandardCharsets.UTF_8), "0384", NUMMER)
                .beschikking()
                .orElseThrow();

        assertThat(beschikking.requestId()).isEqualTo("t2w6y9b3d7g1k5m8");
        assertThat(beschikking.besluit()).isEqualTo(Besluit.AFGEWEZEN);
        assertThat(beschikking.afgiftedatum()).isEqualTo(LocalDate.of(2023, 4, 2));
        assertThat(beschikking.producten().get(0).redenAfwijzing()).contains("7");
    }

    // ---------------------------------------------------------------- unreadable and hostile bodies

    @Test
    void aDoctypeWithAnExternalEntityIsRefusedWithoutReadingTheFile(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "GEHEIM-7f3a");
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE Bericht [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + text("wmo319-afgewezen.xml")
                        .substring(text("wmo319-afgewezen.xml").indexOf("<wmo319:Bericht"))
                        .replace("r8d4f6h1j3p7c2n5-2", "&xxe;");

        Parsed parsed = format.parse(xml.getBytes(StandardCharsets.UTF_8), GEMEENTE, NUMMER);

        assertThat(parsed.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("0001");
            assertThat(f.message()).contains("DOCTYPE").doesNotContain("GEHEIM");
        });
    }

    @Test
    void anEntityExpansionBombIsRefused() {
        String xml =
                "<?xml version=\"1.0\"?>\n<!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
                        + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n<lol>&c;</lol>";

        assertThat(parse(xml).findings()).extracting(Finding::code).containsExactly("0001");
    }

    @Test
    void malformedXmlGivesOneUnreadableFindingAndNoException() {
        Parsed parsed = parse(text("wmo319-afgewezen.xml").replace("</wmo319:Antwoord>", ""));

        assertThat(parsed.readable()).isFalse();
        assertThat(parsed.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("0001");
            assertThat(f.message()).contains("line");
        });
    }

    @Test
    void anotherIwmoMessageIsNotABeschikking() {
        String xml = text("wmo319-afgewezen.xml").replace("/wmo319/schema", "/wmo315/schema");

        assertThat(parse(xml).findings()).extracting(Finding::code).containsExactly("0001");
    }

    @Test
    void anAbsurdlyDeepDocumentIsRefused() {
        String xml = "<a>".repeat(10_000) + "</a>".repeat(10_000);

        assertThat(parse(xml).findings()).extracting(Finding::code).containsExactly("0001");
    }

    @Test
    void theFormatIsNamedForThePartnerConfigurationAndAcceptsXml() {
        assertThat(format.type()).isEqualTo("iwmo-xml");
        assertThat(format.contentTypes()).containsExactlyInAnyOrder("application/xml", "text/xml");
    }

    // ---------------------------------------------------------------- helpers

    private Parsed parse(String xml) {
        return format.parse(xml.getBytes(StandardCharsets.UTF_8), GEMEENTE, NUMMER);
    }

    private static List<org.assertj.core.groups.Tuple> errors(Parsed parsed) {
        return parsed.findings().stream()
                .filter(Finding::isError)
                .map(f -> tuple(f.code(), f.expression()))
                .toList();
    }

    private static byte[] fixture(String name) {
        try (InputStream in = BeschikkingIwmoFormatTest.class.getResourceAsStream("/beschikking/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String name) {
        return new String(fixture(name), StandardCharsets.UTF_8);
    }

    /** An official iWmo example from the shared reference folder; skips the test when it is not there. */
    private static String official(String name) throws IOException {
        Path file = Path.of(System.getProperty("wmo.shared.dir", "../shared"), "reference", "iwmo", "examples", name);
        assumeTrue(
                Files.isRegularFile(file),
                () -> "official iWmo example not found at " + file.toAbsolutePath() + "; skipping");
        return Files.readString(file);
    }
}
