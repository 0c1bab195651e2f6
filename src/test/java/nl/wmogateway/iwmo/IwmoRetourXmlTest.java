package nl.wmogateway.iwmo;

import static nl.wmogateway.iwmo.TestXml.childNames;
import static nl.wmogateway.iwmo.TestXml.count;
import static nl.wmogateway.iwmo.TestXml.parse;
import static nl.wmogateway.iwmo.TestXml.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import nl.wmogateway.iwmo.IwmoRetourXml.InvalidRetourException;
import nl.wmogateway.plan.TestPlans;

class IwmoRetourXmlTest {

    private static final Path PROJECT_XSDS = Path.of("src/main/resources/schema/iwmo-retour");
    private static final IwmoHeader WMO301_HEADER = Wmo301WriterTest.HEADER;
    private static final IwmoHeader WMO319_HEADER = Wmo319WriterTest.HEADER;
    private static final LocalDate DAGTEKENING_RETOUR = LocalDate.of(2025, 3, 17);

    private static IwmoRetour geaccepteerd301() {
        return IwmoRetour.voorWmo301(WMO301_HEADER, "AGB-302-0001", DAGTEKENING_RETOUR, List.of(), List.of());
    }

    private static IwmoRetour afgekeurd301() {
        return IwmoRetour.voorWmo301(WMO301_HEADER, "AGB-302-0002", DAGTEKENING_RETOUR, List.of("0200"), List.of(
                KlasseRetour.client(TestPlans.BSN, "0200"),
                KlasseRetour.toegewezenProduct(4711, "0200"),
                KlasseRetour.toegewezenProduct(4712, "9332", "9379")));
    }

    private static IwmoRetour afgekeurd319() {
        return IwmoRetour.voorWmo319(WMO319_HEADER, "AGB-320-0001", DAGTEKENING_RETOUR, List.of("0200"),
                List.of(KlasseRetour.antwoord(TestPlans.REFERENTIE_BEGELEIDING, "9360")));
    }

    @Test
    void anAcceptedRetourOnA301IsOnlyAHeaderWithoutRetourcodes() {
        byte[] xml = IwmoRetourXml.write(geaccepteerd301());

        Document doc = parse(xml);
        assertThat(childNames(doc, "/wmo302:Bericht")).containsExactly("Header");
        assertThat(count(doc, "//wmo302:RetourCodes")).isZero();
        assertThat(projectXsdErrors("WMO302", xml)).isEmpty();
    }

    @Test
    void theRetourHeaderRepeatsTheHeenberichtWithTheRetoursOwnCode() {
        Document doc = parse(IwmoRetourXml.write(afgekeurd301()));

        assertThat(childNames(doc, "//wmo302:Header")).containsExactly("BerichtCode", "BerichtVersie",
                "BerichtSubversie", "Afzender", "Ontvanger", "BerichtIdentificatie", "XsdVersie", "IdentificatieRetour",
                "DagtekeningRetour", "XsdVersieRetour", "RetourCodes");
        assertThat(text(doc, "//wmo302:Header/wmo302:BerichtCode")).isEqualTo("415");
        assertThat(text(doc, "//wmo302:Header/wmo302:Afzender")).isEqualTo("0153");
        assertThat(text(doc, "//wmo302:Header/wmo302:Ontvanger")).isEqualTo("12345678");
        assertThat(text(doc, "//wmo302:BerichtIdentificatie/iwmo:Identificatie")).isEqualTo("GEM0153-0301");
        assertThat(text(doc, "//wmo302:BerichtIdentificatie/iwmo:Dagtekening")).isEqualTo("2025-03-14");
        assertThat(text(doc, "//wmo302:Header/wmo302:IdentificatieRetour")).isEqualTo("AGB-302-0002");
        assertThat(text(doc, "//wmo302:Header/wmo302:DagtekeningRetour")).isEqualTo("2025-03-17");
        assertThat(text(doc, "//wmo302:XsdVersieRetour/iwmo:BerichtXsdVersie")).isEqualTo("1.0.0");
        assertThat(text(doc, "//wmo302:Header/wmo302:RetourCodes/wmo302:RetourCode")).isEqualTo("0200");
    }

    @Test
    void aRejectedClassIsEchoedByItsKeyWithItsRetourcodesAndTheOthersWith0200() {
        byte[] xml = IwmoRetourXml.write(afgekeurd301());

        Document doc = parse(xml);
        assertThat(childNames(doc, "//wmo302:Client")).containsExactly("Bsn", "ToegewezenProducten", "RetourCodes");
        assertThat(text(doc, "//wmo302:Client/wmo302:Bsn")).isEqualTo(TestPlans.BSN);
        assertThat(text(doc, "//wmo302:Client/wmo302:RetourCodes/wmo302:RetourCode")).isEqualTo("0200");
        assertThat(text(doc, "//wmo302:ToegewezenProduct[wmo302:ToewijzingNummer='4711']//wmo302:RetourCode"))
                .isEqualTo("0200");
        assertThat(count(doc, "//wmo302:ToegewezenProduct[wmo302:ToewijzingNummer='4712']//wmo302:RetourCode"))
                .isEqualTo(2);
        assertThat(projectXsdErrors("WMO302", xml)).isEmpty();
    }

    @Test
    void aRejected301RetourSurvivesTheRoundTrip() {
        IwmoRetour retour = afgekeurd301();

        assertThat(IwmoRetourXml.parse(IwmoRetourXml.write(retour))).isEqualTo(retour);
    }

    @Test
    void anAccepted301RetourSurvivesTheRoundTrip() {
        IwmoRetour retour = geaccepteerd301();

        assertThat(IwmoRetourXml.parse(IwmoRetourXml.write(retour))).isEqualTo(retour);
    }

    @Test
    void aTechnicallyRejectedRetourHasOnlyTheHeaderWith0001AndSurvivesTheRoundTrip() {
        IwmoRetour retour = IwmoRetour.voorWmo301(WMO301_HEADER, "AGB-302-0003", DAGTEKENING_RETOUR, List.of("0001"),
                List.of());

        byte[] xml = IwmoRetourXml.write(retour);

        assertThat(childNames(parse(xml), "/wmo302:Bericht")).containsExactly("Header");
        assertThat(IwmoRetourXml.parse(xml)).isEqualTo(retour);
    }

    @Test
    void aRetourOnA319EchoesTheAntwoordAndIsValidAgainstTheProjectXsd() {
        byte[] xml = IwmoRetourXml.write(afgekeurd319());

        Document doc = parse(xml);
        assertThat(text(doc, "/wmo320:Bericht/wmo320:Header/wmo320:BerichtCode")).isEqualTo("483");
        assertThat(text(doc, "//wmo320:Antwoord/wmo320:ReferentieAanbieder")).isEqualTo(TestPlans.REFERENTIE_BEGELEIDING);
        assertThat(text(doc, "//wmo320:Antwoord/wmo320:RetourCodes/wmo320:RetourCode")).isEqualTo("9360");
        assertThat(projectXsdErrors("WMO320", xml)).isEmpty();
    }

    @Test
    void a320RetourSurvivesTheRoundTrip() {
        IwmoRetour retour = afgekeurd319();

        IwmoRetour gelezen = IwmoRetourXml.parse(IwmoRetourXml.write(retour));

        assertThat(gelezen).isEqualTo(retour);
        assertThat(gelezen.origineleBerichtCode()).isEqualTo("482");
    }

    @Test
    void aRetourWithOnlyNoRemarkAndNotAssessedCodesIsAccepted() {
        IwmoRetour retour = IwmoRetour.voorWmo301(WMO301_HEADER, "R1", DAGTEKENING_RETOUR, List.of("0200"), List.of(
                KlasseRetour.client(TestPlans.BSN, "0200"), KlasseRetour.toegewezenProduct(4711, "0233")));

        assertThat(retour.geaccepteerd()).isTrue();
        assertThat(geaccepteerd301().geaccepteerd()).isTrue();
    }

    @Test
    void aRetourWithARuleCodeIsNotAccepted() {
        assertThat(afgekeurd301().geaccepteerd()).isFalse();
        assertThat(afgekeurd301().afkeurcodes()).containsExactly("9332", "9379");
        assertThat(IwmoRetour.voorWmo319(WMO319_HEADER, "R1", DAGTEKENING_RETOUR, List.of("0001"), List.of())
                .geaccepteerd()).isFalse();
    }

    @Test
    void aRetourFromTheRulesOnACorrectToewijzingIsAccepted() {
        IwmoRules.Beoordeling beoordeling = IwmoRules.wmo301(WMO301_HEADER, TestPlans.client(), Wmo301WriterTest.ADRES,
                List.of(Wmo301WriterTest.begeleiding()), WMO301_HEADER.dagtekening());

        IwmoRetour retour = IwmoRetour.voor(beoordeling, "R1", DAGTEKENING_RETOUR);

        assertThat(retour.geaccepteerd()).isTrue();
        assertThat(retour.berichtCode()).isEqualTo("415");
        assertThat(IwmoRetourXml.parse(IwmoRetourXml.write(retour))).isEqualTo(retour);
    }

    @Test
    void parsingRefusesAnExternalEntity(@TempDir Path dir) throws IOException {
        Path geheim = Files.writeString(dir.resolve("geheim.txt"), "999911120");
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE Bericht [<!ENTITY xxe SYSTEM \"" + geheim.toUri() + "\">]>\n"
                + new String(IwmoRetourXml.write(geaccepteerd301()), StandardCharsets.UTF_8)
                .replaceFirst("<\\?xml[^>]*>\\n", "")
                .replace("GEM0153-0301", "&xxe;");

        assertThatThrownBy(() -> IwmoRetourXml.parse(xml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRetourException.class)
                .hasMessageContaining("DOCTYPE")
                .hasMessageNotContaining("999911120");
    }

    @Test
    void parsingRefusesInternalEntityExpansion() {
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lol [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>"
                + "<wmo302:Bericht xmlns:wmo302=\"" + IwmoRetourXml.NS_WMO302 + "\">&lol2;</wmo302:Bericht>";

        assertThatThrownBy(() -> IwmoRetourXml.parse(xml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRetourException.class)
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void parsingRefusesXmlThatIsNotWellFormed() {
        byte[] kapot = "<wmo302:Bericht xmlns:wmo302=\"x\"><wmo302:Header>".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> IwmoRetourXml.parse(kapot))
                .isInstanceOf(InvalidRetourException.class)
                .hasMessageStartingWith("Not well-formed XML at line 1");
    }

    @Test
    void parsingRefusesEmptyInput() {
        assertThatThrownBy(() -> IwmoRetourXml.parse(new byte[0])).isInstanceOf(InvalidRetourException.class);
    }

    @Test
    void parsingRefusesARetourThatDoesNotMatchTheProjectXsd() {
        String xml = new String(IwmoRetourXml.write(afgekeurd301()), StandardCharsets.UTF_8)
                .replace("<wmo302:BerichtCode>415<", "<wmo302:BerichtCode>414<");

        assertThatThrownBy(() -> IwmoRetourXml.parse(xml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRetourException.class)
                .hasMessageContaining("Not a valid WMO302 (project XSD /schema/iwmo-retour/WMO302.xsd)")
                .hasMessageContaining("414");
    }

    @Test
    void parsingRefusesAnUnknownRetourcode() {
        String xml = new String(IwmoRetourXml.write(afgekeurd301()), StandardCharsets.UTF_8)
                .replace(">9379<", ">9999<");

        assertThatThrownBy(() -> IwmoRetourXml.parse(xml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRetourException.class)
                .hasMessageContaining("9999");
    }

    @Test
    void parsingRefusesARetourDatedBeforeItsHeenbericht() {
        String xml = new String(IwmoRetourXml.write(afgekeurd301()), StandardCharsets.UTF_8)
                .replace(">2025-03-17<", ">2025-03-13<");

        assertThatThrownBy(() -> IwmoRetourXml.parse(xml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRetourException.class)
                .hasMessageStartingWith("Invalid iWmo retour WMO302: Header/DagtekeningRetour 2025-03-13 lies before");
    }

    @Test
    void parsingAcceptsTheWhitespaceTheXsdAllowsAroundDatesAndNumbers() {
        String xml = new String(IwmoRetourXml.write(afgekeurd301()), StandardCharsets.UTF_8)
                .replace(">2025-03-17<", "> 2025-03-17\n<")
                .replace(">4712<", ">\n  4712 <");

        assertThat(IwmoRetourXml.parse(xml.getBytes(StandardCharsets.UTF_8))).isEqualTo(afgekeurd301());
    }

    @Test
    void parsingRefusesAHeenberichtAsRetour() {
        byte[] wmo319 = new Wmo319Writer(Wmo301WriterTest.clockOn(WMO319_HEADER.dagtekening()))
                .write(WMO319_HEADER, "r1", "2", Optional.empty());

        assertThatThrownBy(() -> IwmoRetourXml.parse(wmo319))
                .isInstanceOf(InvalidRetourException.class)
                .hasMessageContaining("Not an iWmo retour: root element is {" + Wmo319Writer.NS_WMO319 + "}Bericht");
    }

    @Test
    void aRetourWithClassesInTheWrongShapeCannotBeMade() {
        assertThatThrownBy(() -> IwmoRetour.voorWmo301(WMO301_HEADER, "R1", DAGTEKENING_RETOUR, List.of("0200"),
                List.of(KlasseRetour.toegewezenProduct(4711, "9332"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be one Client followed by at least one ToegewezenProduct");
    }

    @Test
    void aRetourWithAnUnknownCodeOrAnEarlyDagtekeningCannotBeMade() {
        assertThatThrownBy(() -> IwmoRetour.voorWmo319(WMO319_HEADER, "R1", WMO319_HEADER.dagtekening().minusDays(1),
                List.of("1234"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Header/RetourCodes '1234' is not an iWmo 3.2 retourcode")
                .hasMessageContaining("Header/DagtekeningRetour 2025-03-13 lies before the heenbericht's Dagtekening");
    }

    @Test
    void aRetourMustNameTheRightHeenberichtCode() {
        assertThatThrownBy(() -> new IwmoRetour(IwmoRetour.WMO302, WMO301_HEADER, "482", "R1", DAGTEKENING_RETOUR,
                List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("origineleBerichtCode '482' must be 414 for a WMO302");
    }

    @Test
    void theProjectXsdsSayTheyAreNotTheOfficialOnes() throws IOException {
        for (String xsd : List.of("WMO302.xsd", "WMO320.xsd", "retour-basistypen.xsd")) {
            assertThat(Files.readString(PROJECT_XSDS.resolve(xsd)))
                    .as(xsd)
                    .contains("Wmo Gateway's own rendering of the iWmo 3.2 retour structure; not the official XSD");
        }
    }

    /** Validates against the XSD files as they lie in the source tree, resolving the import from disk. */
    private static List<String> projectXsdErrors(String bericht, byte[] xml) {
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
            Schema schema = factory.newSchema(PROJECT_XSDS.resolve(bericht + ".xsd").toFile());
            return IwmoSchemas.errors(schema, xml);
        } catch (Exception e) {
            throw new AssertionError("cannot validate against project XSD " + bericht + ": " + e.getMessage(), e);
        }
    }
}
