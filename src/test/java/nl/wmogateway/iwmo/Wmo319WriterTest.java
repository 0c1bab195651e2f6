package nl.wmogateway.iwmo;

import static nl.wmogateway.iwmo.TestXml.childNames;
import static nl.wmogateway.iwmo.TestXml.parse;
import static nl.wmogateway.iwmo.TestXml.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Optional;
import java.util.stream.Stream;
import nl.wmogateway.plan.TestPlans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

class Wmo319WriterTest {

    static final LocalDate DAGTEKENING = LocalDate.of(2025, 3, 14);
    static final IwmoHeader HEADER =
            new IwmoHeader(TestPlans.GEMEENTECODE_ENSCHEDE, TestPlans.AGB_ZORGORGANISATIE, "GEM0153-0319", DAGTEKENING);

    private final Wmo319Writer writer = new Wmo319Writer(Wmo301WriterTest.clockOn(DAGTEKENING));

    @Test
    void aRejectionWithItsReasonIsValidAgainstTheOfficialWmo319Xsd() {
        byte[] xml = writer.write(HEADER, TestPlans.REFERENTIE_BEGELEIDING, "1", Optional.of("7"));

        assertThat(IwmoSchemas.errors("WMO319", xml)).isEmpty();
        assertThat(text(parse(xml), "//wmo319:Antwoord/wmo319:RedenAfwijzingVerzoek"))
                .isEqualTo("7");
    }

    @Test
    void anAnswerInOnderzoekIsValidAndCarriesNoReason() {
        byte[] xml = writer.write(HEADER, TestPlans.REFERENTIE_BEGELEIDING, "2", Optional.empty());

        assertThat(IwmoSchemas.errors("WMO319", xml)).isEmpty();
        assertThat(childNames(parse(xml), "//wmo319:Antwoord"))
                .containsExactly("ReferentieAanbieder", "VerzoekAntwoord");
    }

    @Test
    void theHeaderGoesFromTheGemeenteToTheAanbieder() {
        Document doc = parse(writer.write(HEADER, TestPlans.REFERENTIE_BEGELEIDING, "2", Optional.empty()));

        assertThat(text(doc, "/wmo319:Bericht/wmo319:Header/wmo319:BerichtCode"))
                .isEqualTo("482");
        assertThat(text(doc, "//wmo319:Header/wmo319:BerichtVersie")).isEqualTo("3");
        assertThat(text(doc, "//wmo319:Header/wmo319:BerichtSubversie")).isEqualTo("2");
        assertThat(text(doc, "//wmo319:Header/wmo319:Afzender")).isEqualTo("0153");
        assertThat(text(doc, "//wmo319:Header/wmo319:Ontvanger")).isEqualTo("12345678");
        assertThat(text(doc, "//wmo319:BerichtIdentificatie/iwmo:Identificatie"))
                .isEqualTo("GEM0153-0319");
        assertThat(text(doc, "//wmo319:BerichtIdentificatie/iwmo:Dagtekening")).isEqualTo("2025-03-14");
    }

    @Test
    void theAntwoordNamesTheVerzoekByItsReferentieAanbieder() {
        Document doc = parse(writer.write(HEADER, TestPlans.REFERENTIE_HUISHOUDEN, "1", Optional.of("3")));

        assertThat(childNames(doc, "/wmo319:Bericht")).containsExactly("Header", "Antwoord");
        assertThat(text(doc, "//wmo319:Antwoord/wmo319:ReferentieAanbieder"))
                .isEqualTo(TestPlans.REFERENTIE_HUISHOUDEN);
        assertThat(text(doc, "//wmo319:Antwoord/wmo319:VerzoekAntwoord")).isEqualTo("1");
    }

    @Test
    void aBlankReasonCountsAsNoReason() {
        byte[] xml = writer.write(HEADER, TestPlans.REFERENTIE_BEGELEIDING, "2", Optional.of(" "));

        assertThat(childNames(parse(xml), "//wmo319:Antwoord")).doesNotContain("RedenAfwijzingVerzoek");
    }

    @Test
    void theMessageIsUtf8WithAnXmlDeclaration() {
        String text = new String(writer.write(HEADER, "r1", "2", Optional.empty()), StandardCharsets.UTF_8);

        assertThat(text).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wmo319:Bericht");
    }

    static Stream<Arguments> answersTheAanbiederWouldReject() {
        return Stream.of(
                Arguments.of(
                        "Antwoord/RedenAfwijzingVerzoek is required when VerzoekAntwoord is 1 (verzoek afgewezen) "
                                + "(CD085)",
                        HEADER,
                        "r1",
                        "1",
                        Optional.empty()),
                Arguments.of(
                        "Antwoord/RedenAfwijzingVerzoek must be empty when VerzoekAntwoord is 2 (aanvraag in "
                                + "onderzoek) (CD086)",
                        HEADER,
                        "r1",
                        "2",
                        Optional.of("4")),
                Arguments.of(
                        "Antwoord/VerzoekAntwoord '3' is not an iWmo verzoek antwoord (WJ760)",
                        HEADER,
                        "r1",
                        "3",
                        Optional.empty()),
                Arguments.of(
                        "Antwoord/RedenAfwijzingVerzoek '10' is not an iWmo reden afwijzing verzoek (WJ759)",
                        HEADER,
                        "r1",
                        "1",
                        Optional.of("10")),
                Arguments.of(
                        "Antwoord/ReferentieAanbieder is 37 characters, at most 36",
                        HEADER,
                        "r".repeat(37),
                        "2",
                        Optional.empty()),
                Arguments.of("Antwoord/ReferentieAanbieder is missing or blank", HEADER, " ", "2", Optional.empty()),
                Arguments.of(
                        "Header/BerichtIdentificatie/Dagtekening 2025-03-15 lies after today (2025-03-14) (TR135)",
                        new IwmoHeader("0153", "12345678", "GEM1", DAGTEKENING.plusDays(1)),
                        "r1",
                        "2",
                        Optional.empty()),
                Arguments.of(
                        "Header/Afzender (gemeentecode) '12345678' must be 4 digits",
                        new IwmoHeader("12345678", "12345678", "GEM1", DAGTEKENING),
                        "r1",
                        "2",
                        Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answersTheAanbiederWouldReject")
    void anAnswerTheAanbiederWouldRejectIsRefusedNamingThePath(
            String expected, IwmoHeader header, String referentie, String verzoekAntwoord, Optional<String> reden) {
        assertThatThrownBy(() -> writer.write(header, referentie, verzoekAntwoord, reden))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot write iWmo WMO319: ")
                .hasMessageContaining(expected);
    }

    @Test
    void everyProblemIsReportedInOneException() {
        assertThatThrownBy(() -> writer.write(
                        new IwmoHeader("153", "12345678", "GEM1", DAGTEKENING), "r".repeat(40), "1", Optional.empty()))
                .hasMessageContaining("Header/Afzender")
                .hasMessageContaining("Antwoord/ReferentieAanbieder")
                .hasMessageContaining("(CD085)");
    }
}
