package nl.wmogateway.iwmo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import nl.wmogateway.plan.AangevraagdProduct;
import nl.wmogateway.plan.Client;
import nl.wmogateway.plan.Client.Geslacht;
import nl.wmogateway.plan.Codelijsten;
import nl.wmogateway.plan.Omvang;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.plan.RenderContext;
import nl.wmogateway.plan.TestPlans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class Wmo315RenderingTest {

    private static final String BEGELEIDING =
            "//wmo315:AangevraagdProduct[wmo315:ReferentieAanbieder='" + TestPlans.REFERENTIE_BEGELEIDING + "']";
    private static final String HUISHOUDEN =
            "//wmo315:AangevraagdProduct[wmo315:ReferentieAanbieder='" + TestPlans.REFERENTIE_HUISHOUDEN + "']";

    private final Wmo315Rendering rendering = new Wmo315Rendering();

    @Test
    void theExampleIsValidAgainstTheOfficialWmo315Xsd() {
        byte[] xml = rendering.render(TestPlans.example(), TestPlans.context());

        assertThat(IwmoSchemas.errors("WMO315", xml)).isEmpty();
    }

    @Test
    void aPlanWithOnlyRequiredFieldsIsValidAgainstTheOfficialXsd() {
        byte[] xml = rendering.render(TestPlans.minimal(), TestPlans.context());

        assertThat(IwmoSchemas.errors("WMO315", xml)).isEmpty();
    }

    @Test
    void theHeaderComesFromTheZorgorganisatieTheGemeenteAndTheContext() {
        Document doc = parse(rendering.render(TestPlans.example(), TestPlans.context()));

        assertThat(text(doc, "/wmo315:Bericht/wmo315:Header/wmo315:BerichtCode"))
                .isEqualTo("444");
        assertThat(text(doc, "//wmo315:Header/wmo315:BerichtVersie")).isEqualTo("3");
        assertThat(text(doc, "//wmo315:Header/wmo315:BerichtSubversie")).isEqualTo("2");
        assertThat(text(doc, "//wmo315:Header/wmo315:Afzender")).isEqualTo("12345678");
        assertThat(text(doc, "//wmo315:Header/wmo315:Ontvanger")).isEqualTo("0153");
        assertThat(text(doc, "//wmo315:BerichtIdentificatie/iwmo:Identificatie"))
                .isEqualTo("WG0000000042");
        assertThat(text(doc, "//wmo315:BerichtIdentificatie/iwmo:Dagtekening")).isEqualTo("2025-03-12");
        assertThat(text(doc, "//wmo315:XsdVersie/iwmo:BasisschemaXsdVersie")).isEqualTo("1.0.0");
        assertThat(text(doc, "//wmo315:XsdVersie/iwmo:BerichtXsdVersie")).isEqualTo("1.0.0");
    }

    @Test
    void theClientIsNamedInSchemaOrder() {
        Document doc = parse(rendering.render(TestPlans.example(), TestPlans.context()));

        assertThat(text(doc, "//wmo315:Client/wmo315:Bsn")).isEqualTo("999911120");
        assertThat(text(doc, "//wmo315:Client/wmo315:Geboortedatum/iwmo:Datum")).isEqualTo("1938-04-12");
        assertThat(text(doc, "//wmo315:Client/wmo315:Geslacht")).isEqualTo("2");
        assertThat(childNames(doc, "//wmo315:Client/wmo315:Naam"))
                .containsExactly("Geslachtsnaam", "Voornamen", "Voorletters");
        assertThat(text(doc, "//wmo315:Naam/iwmo:Geslachtsnaam/iwmo:Achternaam"))
                .isEqualTo("Vries");
        assertThat(text(doc, "//wmo315:Naam/iwmo:Geslachtsnaam/iwmo:Voorvoegsel"))
                .isEqualTo("de");
        assertThat(text(doc, "//wmo315:Naam/iwmo:Voornamen")).isEqualTo("Geertruida Johanna");
        assertThat(text(doc, "//wmo315:Naam/iwmo:Voorletters")).isEqualTo("GJ");
    }

    @Test
    void eachMaatwerkvoorzieningBecomesOneAangevraagdProduct() {
        Document doc = parse(rendering.render(TestPlans.example(), TestPlans.context()));

        assertThat(nodes(doc, "//wmo315:AangevraagdeProducten/wmo315:AangevraagdProduct")
                        .getLength())
                .isEqualTo(2);
        assertThat(text(doc, BEGELEIDING + "/wmo315:Product/iwmo:Categorie")).isEqualTo("02");
        assertThat(text(doc, BEGELEIDING + "/wmo315:Product/iwmo:Code")).isEqualTo("02A01");
        assertThat(text(doc, HUISHOUDEN + "/wmo315:Product/iwmo:Categorie")).isEqualTo("01");
        assertThat(text(doc, HUISHOUDEN + "/wmo315:Product/iwmo:Code")).isEqualTo("01A01");
    }

    @Test
    void anOpenEndedProductPerWeekGetsATechnicalEndDateFiveYearsOnByDefault() {
        Document doc = parse(rendering.render(TestPlans.example(), TestPlans.context()));

        assertThat(text(doc, BEGELEIDING + "/wmo315:ToewijzingIngangsdatum")).isEqualTo("2025-04-01");
        assertThat(text(doc, BEGELEIDING + "/wmo315:ToewijzingEinddatum")).isEqualTo("2030-03-31");
        assertThat(text(doc, BEGELEIDING + "/wmo315:Omvang/iwmo:Frequentie")).isEqualTo("2");
        assertThat(text(doc, BEGELEIDING + "/wmo315:Commentaar"))
                .startsWith("Gevraagd zonder einddatum, ToewijzingEinddatum is technisch")
                .endsWith("Ondersteuningsplan " + TestPlans.PLAN_ID);
    }

    @Test
    void aGemeenteMayWantAnOpenEndedProductPerWeekAsAVolumePerMonthInstead() {
        RenderContext perMonth = new RenderContext(
                "WG1",
                LocalDate.of(2025, 3, 12),
                "06",
                new nl.wmogateway.plan.OpenEndedPolicy(nl.wmogateway.plan.OpenEndedPolicy.Mode.PER_MONTH, null));
        Document doc = parse(rendering.render(TestPlans.example(), perMonth));

        assertThat(nodes(doc, BEGELEIDING + "/wmo315:ToewijzingEinddatum").getLength())
                .isZero();
        assertThat(text(doc, BEGELEIDING + "/wmo315:Omvang/iwmo:Frequentie")).isEqualTo("4");
        assertThat(text(doc, BEGELEIDING + "/wmo315:Commentaar")).isEqualTo("Ondersteuningsplan " + TestPlans.PLAN_ID);
    }

    @Test
    void aProductWithAnEinddatumCarriesItWithoutTimeZone() {
        Document doc = parse(rendering.render(TestPlans.example(), TestPlans.context()));

        assertThat(text(doc, HUISHOUDEN + "/wmo315:ToewijzingEinddatum")).isEqualTo("2026-03-31");
    }

    @Test
    void theOmvangIsVolumeEenheidAndFrequentie() {
        Document doc = parse(rendering.render(TestPlans.example(), TestPlans.context()));

        assertThat(text(doc, BEGELEIDING + "/wmo315:Omvang/iwmo:Volume")).isEqualTo("180");
        assertThat(text(doc, BEGELEIDING + "/wmo315:Omvang/iwmo:Eenheid")).isEqualTo("01");
        assertThat(text(doc, BEGELEIDING + "/wmo315:Omvang/iwmo:Frequentie")).isEqualTo("2");
    }

    @Test
    void theVerwijzerTypeAndTheHuisartsAgbCodeComeFromTheContext() {
        RenderContext huisarts = new RenderContext(
                "WG1",
                LocalDate.of(2025, 3, 12),
                Codelijsten.VERWIJZER_HUISARTS,
                null,
                new nl.wmogateway.plan.Verwijzer(
                        Codelijsten.VERWIJZER_HUISARTS, Optional.empty(), Optional.of("01012345")));

        byte[] xml = rendering.render(TestPlans.example(), huisarts);

        Document doc = parse(xml);
        assertThat(text(doc, BEGELEIDING + "/wmo315:Verwijzer/iwmo:Type")).isEqualTo("02");
        assertThat(text(doc, BEGELEIDING + "/wmo315:Verwijzer/iwmo:ZorgverlenerCode"))
                .isEqualTo("01012345");
        assertThat(nodes(doc, BEGELEIDING + "/wmo315:Verwijzer/iwmo:Naam").getLength())
                .isZero();
        assertThat(IwmoSchemas.errors("WMO315", xml)).isEmpty();
        OfficialRuleSets.assertPasses(xml, "a WMO315 referred by a huisarts");
    }

    @Test
    void aHuisartsWithoutAgbCodeIsNamed() {
        RenderContext huisarts = new RenderContext(
                "WG1",
                LocalDate.of(2025, 3, 12),
                Codelijsten.VERWIJZER_HUISARTS,
                null,
                new nl.wmogateway.plan.Verwijzer(
                        Codelijsten.VERWIJZER_HUISARTS, Optional.of("Huisartsenpraktijk De Linde"), Optional.empty()));

        byte[] xml = rendering.render(TestPlans.example(), huisarts);

        assertThat(text(parse(xml), BEGELEIDING + "/wmo315:Verwijzer/iwmo:Naam"))
                .isEqualTo("Huisartsenpraktijk De Linde");
        OfficialRuleSets.assertPasses(xml, "a WMO315 referred by a named huisarts");
    }

    @Test
    void aHuisartsWithNeitherNameNorAgbCodeIsRefusedForCd067() {
        RenderContext huisarts = new RenderContext("WG1", LocalDate.of(2025, 3, 12), Codelijsten.VERWIJZER_HUISARTS);

        assertThatThrownBy(() -> rendering.render(TestPlans.example(), huisarts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CD067");
    }

    @Test
    void eachProductPointsBackToThePlanInItsCommentaar() {
        Document doc = parse(rendering.render(TestPlans.example(), TestPlans.context()));

        assertThat(text(doc, HUISHOUDEN + "/wmo315:Commentaar")).isEqualTo("Ondersteuningsplan " + TestPlans.PLAN_ID);
        assertThat(nodes(doc, "//wmo315:Client/wmo315:Commentaar").getLength()).isZero();
    }

    @Test
    void aVeryLongPlanIdIsCutToTheCommentaarLimitWithoutSplittingACharacter() {
        // an emoji (two UTF-16 units) straddles the cut position
        String planId = "x".repeat(Wmo315Rendering.MAX_COMMENTAAR - "Ondersteuningsplan ".length() - 2)
                + "\uD83D\uDE00".repeat(10);
        byte[] xml = rendering.render(TestPlans.withPlanId(planId), TestPlans.context());

        String commentaar = text(parse(xml), HUISHOUDEN + "/wmo315:Commentaar");
        assertThat(commentaar.codePointCount(0, commentaar.length())).isEqualTo(Wmo315Rendering.MAX_COMMENTAAR);
        assertThat(commentaar).startsWith("Ondersteuningsplan xxx").endsWith("\uD83D\uDE00\u2026");
        assertThat(IwmoSchemas.errors("WMO315", xml)).isEmpty();
    }

    @Test
    void aNameWithDiacriticsAndTwoHundredCharacterVoornamenIsValid() {
        String voornamen = "Anne-Françoise Maëlle Zoë Ðorđe Łucja Renée Chloë Noémie Inès Hélène Björn Søren "
                + "Ångström Øystein Çağla Žofie Şükrü";
        voornamen = (voornamen + " " + voornamen).substring(0, 199) + "é";
        Client client = new Client(
                "111222333",
                LocalDate.of(1950, 1, 31),
                Geslacht.MAN,
                "Çelik-Ďurovičová",
                Optional.of("van 't"),
                Optional.of(voornamen),
                Optional.of("ÉÖÅŁ"));
        assertThat(voornamen.codePointCount(0, voornamen.length())).isEqualTo(200);

        byte[] xml = rendering.render(TestPlans.withClient(client), TestPlans.context());

        assertThat(IwmoSchemas.errors("WMO315", xml)).isEmpty();
        assertThat(text(parse(xml), "//wmo315:Naam/iwmo:Voornamen")).isEqualTo(voornamen);
    }

    @Test
    void theMessageIsUtf8WithAnXmlDeclaration() {
        Client client = client("Müller", Optional.empty(), Optional.of("Jürgen"), Optional.empty());

        byte[] xml = rendering.render(TestPlans.withClient(client), TestPlans.context());

        String text = new String(xml, StandardCharsets.UTF_8);
        assertThat(text).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wmo315:Bericht");
        assertThat(text).contains("<iwmo:Achternaam>Müller</iwmo:Achternaam>");
    }

    @Test
    void blankOptionalNamePartsAreLeftOut() {
        Client client = client("Jansen", Optional.of(" "), Optional.of(""), Optional.empty());

        byte[] xml = rendering.render(TestPlans.withClient(client), TestPlans.context());

        assertThat(childNames(parse(xml), "//wmo315:Client/wmo315:Naam")).containsExactly("Geslachtsnaam");
        assertThat(childNames(parse(xml), "//wmo315:Naam/iwmo:Geslachtsnaam")).containsExactly("Achternaam");
    }

    static Stream<Arguments> plansIwmoWouldReject() {
        AangevraagdProduct begeleiding = TestPlans.individueleBegeleiding();
        return Stream.of(
                Arguments.of(
                        "Client/Naam/Geslachtsnaam/Achternaam is 201 characters, at most 200",
                        TestPlans.withClient(
                                client("a".repeat(201), Optional.empty(), Optional.empty(), Optional.empty()))),
                Arguments.of(
                        "Client/Naam/Voornamen is 201 characters, at most 200",
                        TestPlans.withClient(
                                client("Vries", Optional.empty(), Optional.of("é".repeat(201)), Optional.empty()))),
                Arguments.of(
                        "Client/Naam/Geslachtsnaam/Voorvoegsel is 11 characters, at most 10",
                        TestPlans.withClient(
                                client("Vries", Optional.of("van der den"), Optional.empty(), Optional.empty()))),
                Arguments.of(
                        "Client/Naam/Voorletters 'G.J.' must be 1 to 6 letters",
                        TestPlans.withClient(client("Vries", Optional.empty(), Optional.empty(), Optional.of("G.J.")))),
                Arguments.of(
                        "Client/Naam/Voorletters 'ABCDEFG' must be 1 to 6 letters",
                        TestPlans.withClient(
                                client("Vries", Optional.empty(), Optional.empty(), Optional.of("ABCDEFG")))),
                Arguments.of(
                        "Client/Naam/Geslachtsnaam/Achternaam contains a line break",
                        TestPlans.withClient(
                                client("de\nVries", Optional.empty(), Optional.empty(), Optional.empty()))),
                Arguments.of(
                        "Client/Naam/Geslachtsnaam/Achternaam contains U+0007",
                        TestPlans.withClient(
                                client("Vries\u0007", Optional.empty(), Optional.empty(), Optional.empty()))),
                Arguments.of(
                        "Client/Bsn '123456789' is not a valid BSN",
                        TestPlans.withClient(new Client(
                                "123456789",
                                LocalDate.of(1938, 4, 12),
                                Geslacht.VROUW,
                                "Vries",
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty()))),
                Arguments.of(
                        "Client/Geboortedatum 1900-01-01 must lie within 120 years before the Dagtekening",
                        TestPlans.withClient(new Client(
                                TestPlans.BSN,
                                LocalDate.of(1900, 1, 1),
                                Geslacht.VROUW,
                                "Vries",
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty()))),
                Arguments.of(
                        "AangevraagdProduct[1]/ReferentieAanbieder is 37 characters, at most 36",
                        TestPlans.withMaatwerkvoorzieningen(product(
                                begeleiding,
                                "r".repeat(37),
                                "02",
                                begeleiding.code(),
                                begeleiding.omvang(),
                                begeleiding.einddatum()))),
                Arguments.of(
                        "AangevraagdProduct[1]/Product/Code is 6 characters, at most 5",
                        TestPlans.withMaatwerkvoorzieningen(product(
                                begeleiding,
                                "r1",
                                "02",
                                Optional.of("02A01X"),
                                begeleiding.omvang(),
                                begeleiding.einddatum()))),
                Arguments.of(
                        "AangevraagdProduct[1]/Product/Categorie '19' is not an iWmo productcategorie",
                        TestPlans.withMaatwerkvoorzieningen(product(
                                begeleiding,
                                "r1",
                                "19",
                                begeleiding.code(),
                                begeleiding.omvang(),
                                begeleiding.einddatum()))),
                Arguments.of(
                        "AangevraagdProduct[1]/Omvang/Eenheid '02' is not an iWmo eenheid",
                        TestPlans.withMaatwerkvoorzieningen(product(
                                begeleiding,
                                "r1",
                                "02",
                                begeleiding.code(),
                                Optional.of(new Omvang(3, "02", "2")),
                                begeleiding.einddatum()))),
                Arguments.of(
                        "AangevraagdProduct[1]/Omvang/Frequentie '3' is not an iWmo frequentie",
                        TestPlans.withMaatwerkvoorzieningen(product(
                                begeleiding,
                                "r1",
                                "02",
                                begeleiding.code(),
                                Optional.of(new Omvang(3, "01", "3")),
                                begeleiding.einddatum()))),
                Arguments.of(
                        "AangevraagdProduct[1]/Omvang/Volume 100000000 must be between 0 and 99999999",
                        TestPlans.withMaatwerkvoorzieningen(product(
                                begeleiding,
                                "r1",
                                "02",
                                begeleiding.code(),
                                Optional.of(new Omvang(100_000_000, "01", "2")),
                                begeleiding.einddatum()))),
                Arguments.of(
                        "AangevraagdProduct[1]/Omvang is required when Product/Code is given (CD041)",
                        TestPlans.withMaatwerkvoorzieningen(product(
                                begeleiding,
                                "r1",
                                "02",
                                begeleiding.code(),
                                Optional.empty(),
                                begeleiding.einddatum()))),
                Arguments.of(
                        "AangevraagdProduct[1]/ToewijzingEinddatum 2025-03-31 lies before ToewijzingIngangsdatum 2025-04-01",
                        TestPlans.withMaatwerkvoorzieningen(product(
                                begeleiding,
                                "r1",
                                "02",
                                begeleiding.code(),
                                begeleiding.omvang(),
                                Optional.of(LocalDate.of(2025, 3, 31))))),
                Arguments.of(
                        "AangevraagdProduct[2]/ReferentieAanbieder '" + TestPlans.REFERENTIE_BEGELEIDING
                                + "' occurs more than once",
                        TestPlans.withMaatwerkvoorzieningen(begeleiding, begeleiding)),
                Arguments.of(
                        "AangevraagdProduct[1]/Omvang must be empty when Product/Code is empty (CD095)",
                        TestPlans.withMaatwerkvoorzieningen(new AangevraagdProduct(
                                begeleiding.referentieAanbieder(),
                                begeleiding.categorie(),
                                Optional.empty(),
                                begeleiding.omschrijving(),
                                begeleiding.omvang(),
                                begeleiding.ingangsdatum(),
                                begeleiding.einddatum(),
                                begeleiding.evaluatiedatum(),
                                begeleiding.motivering()))),
                Arguments.of(
                        "AangevraagdProduct[1]/Omvang/Frequentie must be 2, 4 or 6 with Eenheid 16 (CS343)",
                        TestPlans.withMaatwerkvoorzieningen(new AangevraagdProduct(
                                begeleiding.referentieAanbieder(),
                                begeleiding.categorie(),
                                begeleiding.code(),
                                begeleiding.omschrijving(),
                                Optional.of(new Omvang(2, Omvang.EENHEID_DAGDEEL, Omvang.FREQUENTIE_PER_DAG)),
                                begeleiding.ingangsdatum(),
                                begeleiding.einddatum(),
                                begeleiding.evaluatiedatum(),
                                begeleiding.motivering()))),
                Arguments.of(
                        "AangevraagdProduct[2] and AangevraagdProduct[1] ask for the same product in overlapping periods",
                        TestPlans.withMaatwerkvoorzieningen(
                                begeleiding,
                                new AangevraagdProduct(
                                        begeleiding.referentieAanbieder().replace("-1", "-9"),
                                        begeleiding.categorie(),
                                        begeleiding.code(),
                                        begeleiding.omschrijving(),
                                        begeleiding.omvang(),
                                        begeleiding.ingangsdatum().plusMonths(1),
                                        Optional.empty(),
                                        begeleiding.evaluatiedatum(),
                                        begeleiding.motivering()))),
                Arguments.of(
                        "AangevraagdeProducten needs at least one maatwerkvoorziening",
                        TestPlans.withMaatwerkvoorzieningen()),
                Arguments.of(
                        "Header/Ontvanger (gemeentecode) '153' must be 4 digits",
                        TestPlans.withGemeente("153", "Enschede")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plansIwmoWouldReject")
    void aPlanIwmoWouldRejectIsRefusedNamingTheField(String expectedProblem, Ondersteuningsplan plan) {
        assertThatThrownBy(() -> rendering.render(plan, TestPlans.context()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot render plan " + plan.requestId() + " as iWmo WMO315: ")
                .hasMessageContaining(expectedProblem);
    }

    @Test
    void aVerwijzerTypeOutsideCod327IsRefused() {
        RenderContext context = new RenderContext("WG1", LocalDate.of(2025, 3, 12), "07");

        assertThatThrownBy(() -> rendering.render(TestPlans.example(), context))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Verwijzer/Type '07' is not an iWmo verwijzer type (COD327)");
    }

    @Test
    void everyProblemIsReportedInOneException() {
        Client client = new Client(
                "123456789",
                LocalDate.of(1938, 4, 12),
                Geslacht.VROUW,
                "a".repeat(201),
                Optional.empty(),
                Optional.empty(),
                Optional.of("G.J."));

        assertThatThrownBy(() -> rendering.render(TestPlans.withClient(client), TestPlans.context()))
                .hasMessageContaining("Client/Bsn")
                .hasMessageContaining("Client/Naam/Geslachtsnaam/Achternaam")
                .hasMessageContaining("Client/Naam/Voorletters");
    }

    @Test
    void theSamePlanAlwaysGivesTheSameBytes() {
        byte[] first = rendering.render(TestPlans.example(), TestPlans.context());
        byte[] second = new Wmo315Rendering().render(TestPlans.example(), TestPlans.context());

        assertThat(second).isEqualTo(first);
    }

    private static Client client(
            String achternaam, Optional<String> voorvoegsel, Optional<String> voornamen, Optional<String> voorletters) {
        return new Client(
                TestPlans.BSN,
                LocalDate.of(1938, 4, 12),
                Geslacht.VROUW,
                achternaam,
                voorvoegsel,
                voornamen,
                voorletters);
    }

    private static AangevraagdProduct product(
            AangevraagdProduct base,
            String referentie,
            String categorie,
            Optional<String> code,
            Optional<Omvang> omvang,
            Optional<LocalDate> einddatum) {
        return new AangevraagdProduct(
                referentie,
                categorie,
                code,
                base.omschrijving(),
                omvang,
                base.ingangsdatum(),
                einddatum,
                base.evaluatiedatum(),
                base.motivering());
    }

    private static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage(), e);
        }
    }

    private static String text(Document doc, String xpath) {
        NodeList found = nodes(doc, xpath);
        assertThat(found.getLength()).as("exactly one node at %s", xpath).isEqualTo(1);
        return found.item(0).getTextContent();
    }

    private static List<String> childNames(Document doc, String xpath) {
        NodeList children = nodes(doc, xpath + "/*");
        return IntStream.range(0, children.getLength())
                .mapToObj(i -> children.item(i).getLocalName())
                .toList();
    }

    private static NodeList nodes(Document doc, String xpath) {
        try {
            XPath x = XPathFactory.newInstance().newXPath();
            x.setNamespaceContext(NAMESPACES);
            return (NodeList) x.evaluate(xpath, doc, XPathConstants.NODESET);
        } catch (Exception e) {
            throw new AssertionError("bad XPath " + xpath, e);
        }
    }

    private static final NamespaceContext NAMESPACES = new NamespaceContext() {
        @Override
        public String getNamespaceURI(String prefix) {
            return switch (prefix) {
                case "wmo315" -> Wmo315Rendering.NS_WMO315;
                case "iwmo" -> Wmo315Rendering.NS_IWMO;
                default -> XMLConstants.NULL_NS_URI;
            };
        }

        @Override
        public String getPrefix(String namespaceURI) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Iterator<String> getPrefixes(String namespaceURI) {
            throw new UnsupportedOperationException();
        }
    };
}
