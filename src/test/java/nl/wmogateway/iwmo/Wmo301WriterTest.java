package nl.wmogateway.iwmo;

import static nl.wmogateway.iwmo.TestXml.childNames;
import static nl.wmogateway.iwmo.TestXml.count;
import static nl.wmogateway.iwmo.TestXml.parse;
import static nl.wmogateway.iwmo.TestXml.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import nl.wmogateway.besluit.Contactadres;
import nl.wmogateway.plan.Client;
import nl.wmogateway.plan.Client.Geslacht;
import nl.wmogateway.plan.Omvang;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.plan.TestPlans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

class Wmo301WriterTest {

    static final LocalDate DAGTEKENING = LocalDate.of(2025, 3, 14);
    static final IwmoHeader HEADER =
            new IwmoHeader(TestPlans.GEMEENTECODE_ENSCHEDE, TestPlans.AGB_ZORGORGANISATIE, "GEM0153-0301", DAGTEKENING);
    static final LocalDateTime MOMENT = LocalDateTime.of(2025, 3, 14, 9, 30, 5);
    static final Contactadres ADRES = new Contactadres(
            "01",
            "Hengelosestraat",
            12,
            Optional.of("A"),
            Optional.empty(),
            "7514AE",
            "Enschede",
            "NL",
            Optional.of("0534812345"));

    private static final String BEGELEIDING = "//wmo301:ToegewezenProduct[wmo301:ToewijzingNummer='4711']";
    private static final String HUISHOUDEN = "//wmo301:ToegewezenProduct[wmo301:ToewijzingNummer='4712']";
    private static final String CONTACT = "//wmo301:Contactgegevens/wmo301:Contact";

    private final Wmo301Writer writer = new Wmo301Writer(clockOn(DAGTEKENING));

    /** Individuele begeleiding, 180 minutes per week for one year, honouring the plan's first verzoek. */
    static Toewijzing begeleiding() {
        return new Toewijzing(
                4711,
                Optional.of(TestPlans.REFERENTIE_BEGELEIDING),
                "02",
                Optional.of("02A01"),
                Optional.of(new Omvang(180, Omvang.EENHEID_MINUUT, Omvang.FREQUENTIE_PER_WEEK)),
                LocalDate.of(2025, 4, 1),
                Optional.of(LocalDate.of(2026, 3, 31)),
                Optional.empty(),
                Optional.of("Evaluatie op 1 april 2026"));
    }

    /** Huishoudelijke ondersteuning, 8 hours a month, open-ended (passend beschikken). */
    static Toewijzing huishoudenOpenEinde() {
        return new Toewijzing(
                4712,
                Optional.of(TestPlans.REFERENTIE_HUISHOUDEN),
                "01",
                Optional.of("01A01"),
                Optional.of(new Omvang(8, Omvang.EENHEID_UUR, Omvang.FREQUENTIE_PER_MAAND)),
                LocalDate.of(2025, 4, 1),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    static Clock clockOn(LocalDate dag) {
        ZoneId amsterdam = ZoneId.of("Europe/Amsterdam");
        return Clock.fixed(ZonedDateTime.of(dag.atTime(12, 0), amsterdam).toInstant(), amsterdam);
    }

    private byte[] write(Toewijzing... toewijzingen) {
        return writer.write(HEADER, TestPlans.example(), ADRES, List.of(toewijzingen), MOMENT);
    }

    @Test
    void theExampleIsValidAgainstTheOfficialWmo301Xsd() {
        byte[] xml = write(begeleiding(), huishoudenOpenEinde());

        assertThat(IwmoSchemas.errors("WMO301", xml)).isEmpty();
    }

    @Test
    void aToewijzingWithOnlyRequiredFieldsIsValidAgainstTheOfficialXsd() {
        Toewijzing taakgericht = new Toewijzing(
                0,
                Optional.empty(),
                "06",
                Optional.empty(),
                Optional.empty(),
                LocalDate.of(2025, 4, 1),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        Contactadres zonderTelefoon = new Contactadres(
                "03", "Markt", 1, Optional.empty(), Optional.empty(), "7511GA", "Enschede", "NL", Optional.empty());

        byte[] xml = writer.write(HEADER, TestPlans.minimal(), zonderTelefoon, List.of(taakgericht), MOMENT);

        assertThat(IwmoSchemas.errors("WMO301", xml)).isEmpty();
        assertThat(childNames(parse(xml), "//wmo301:ToegewezenProduct"))
                .containsExactly("ToewijzingNummer", "Product", "Toewijzingsdatum", "Toewijzingstijd", "Ingangsdatum");
    }

    @Test
    void theHeaderGoesFromTheGemeenteToTheAanbieder() {
        Document doc = parse(write(begeleiding()));

        assertThat(text(doc, "/wmo301:Bericht/wmo301:Header/wmo301:BerichtCode"))
                .isEqualTo("414");
        assertThat(text(doc, "//wmo301:Header/wmo301:BerichtVersie")).isEqualTo("3");
        assertThat(text(doc, "//wmo301:Header/wmo301:BerichtSubversie")).isEqualTo("2");
        assertThat(text(doc, "//wmo301:Header/wmo301:Afzender")).isEqualTo("0153");
        assertThat(text(doc, "//wmo301:Header/wmo301:Ontvanger")).isEqualTo("12345678");
        assertThat(text(doc, "//wmo301:BerichtIdentificatie/iwmo:Identificatie"))
                .isEqualTo("GEM0153-0301");
        assertThat(text(doc, "//wmo301:BerichtIdentificatie/iwmo:Dagtekening")).isEqualTo("2025-03-14");
        assertThat(text(doc, "//wmo301:XsdVersie/iwmo:BasisschemaXsdVersie")).isEqualTo("1.0.0");
        assertThat(text(doc, "//wmo301:XsdVersie/iwmo:BerichtXsdVersie")).isEqualTo("1.0.0");
    }

    @Test
    void theClientHasAFullNameWithNaamGebruikEigenNaam() {
        Document doc = parse(write(begeleiding()));

        assertThat(text(doc, "//wmo301:Client/wmo301:Bsn")).isEqualTo(TestPlans.BSN);
        assertThat(text(doc, "//wmo301:Client/wmo301:Geboortedatum/iwmo:Datum")).isEqualTo("1938-04-12");
        assertThat(text(doc, "//wmo301:Client/wmo301:Geslacht")).isEqualTo("2");
        assertThat(childNames(doc, "//wmo301:Client/wmo301:Naam"))
                .containsExactly("Geslachtsnaam", "Voornamen", "Voorletters", "NaamGebruik");
        assertThat(text(doc, "//wmo301:Naam/iwmo:Geslachtsnaam/iwmo:Achternaam"))
                .isEqualTo("Vries");
        assertThat(text(doc, "//wmo301:Naam/iwmo:Geslachtsnaam/iwmo:Voorvoegsel"))
                .isEqualTo("de");
        assertThat(text(doc, "//wmo301:Naam/iwmo:NaamGebruik")).isEqualTo("1");
    }

    @Test
    void theContactCarriesTheAddressAndTheTelephoneNumberInSchemaOrder() {
        Document doc = parse(write(begeleiding()));

        assertThat(childNames(doc, CONTACT)).containsExactly("Soort", "Adres", "Telefoon");
        assertThat(text(doc, CONTACT + "/wmo301:Soort")).isEqualTo("01");
        assertThat(childNames(doc, CONTACT + "/wmo301:Adres"))
                .containsExactly("Huis", "Postcode", "Straatnaam", "Plaatsnaam", "LandCode");
        assertThat(childNames(doc, CONTACT + "/wmo301:Adres/iwmo:Huis")).containsExactly("Huisnummer", "Huisletter");
        assertThat(text(doc, CONTACT + "/wmo301:Adres/iwmo:Huis/iwmo:Huisnummer"))
                .isEqualTo("12");
        assertThat(text(doc, CONTACT + "/wmo301:Adres/iwmo:Postcode")).isEqualTo("7514AE");
        assertThat(text(doc, CONTACT + "/wmo301:Adres/iwmo:LandCode")).isEqualTo("NL");
        assertThat(text(doc, CONTACT + "/wmo301:Telefoon/iwmo:Telefoon01/iwmo:Telefoonnummer"))
                .isEqualTo("0534812345");
        assertThat(text(doc, CONTACT + "/wmo301:Telefoon/iwmo:Telefoon01/iwmo:Landnummer"))
                .isEqualTo("0031");
    }

    @Test
    void anAddressWithoutTelephoneHasNoTelefoonElement() {
        Contactadres zonderTelefoon = new Contactadres(
                "01",
                "Hengelosestraat",
                12,
                Optional.empty(),
                Optional.of("bis"),
                "7514AE",
                "Enschede",
                "NL",
                Optional.of(" "));

        byte[] xml = writer.write(HEADER, TestPlans.example(), zonderTelefoon, List.of(begeleiding()), MOMENT);

        assertThat(childNames(parse(xml), CONTACT)).containsExactly("Soort", "Adres");
        assertThat(text(parse(xml), CONTACT + "/wmo301:Adres/iwmo:Huis/iwmo:HuisnummerToevoeging"))
                .isEqualTo("bis");
        assertThat(IwmoSchemas.errors("WMO301", xml)).isEmpty();
    }

    @Test
    void anOpenEndedToewijzingHasNoEinddatum() {
        byte[] xml = write(huishoudenOpenEinde());

        assertThat(count(parse(xml), HUISHOUDEN + "/wmo301:Einddatum")).isZero();
        assertThat(text(parse(xml), HUISHOUDEN + "/wmo301:Ingangsdatum")).isEqualTo("2025-04-01");
        assertThat(IwmoSchemas.errors("WMO301", xml)).isEmpty();
    }

    @Test
    void aProductPerWeekWithoutEinddatumIsRefusedForCd076TheCallerAppliesTheGemeentesPolicyFirst() {
        Toewijzing b = begeleiding();

        assertThatThrownBy(() -> write(with(b, b.code(), b.omvang(), Optional.empty(), b.redenWijziging())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CD076");
    }

    @Test
    void theOmvangIsVolumeEenheidAndFrequentie() {
        Document doc = parse(write(begeleiding()));

        assertThat(text(doc, BEGELEIDING + "/wmo301:Omvang/iwmo:Volume")).isEqualTo("180");
        assertThat(text(doc, BEGELEIDING + "/wmo301:Omvang/iwmo:Eenheid")).isEqualTo("01");
        assertThat(text(doc, BEGELEIDING + "/wmo301:Omvang/iwmo:Frequentie")).isEqualTo("2");
        assertThat(text(doc, BEGELEIDING + "/wmo301:Einddatum")).isEqualTo("2026-03-31");
    }

    @Test
    void aToegewezenProductHasItsElementsInSchemaOrder() {
        assertThat(childNames(parse(write(begeleiding())), BEGELEIDING))
                .containsExactly(
                        "ToewijzingNummer",
                        "ReferentieAanbieder",
                        "Product",
                        "Toewijzingsdatum",
                        "Toewijzingstijd",
                        "Ingangsdatum",
                        "Einddatum",
                        "Omvang",
                        "Commentaar");
    }

    @Test
    void toewijzingsdatumAndToewijzingstijdComeFromTheMomentWithoutZoneAndWithSeconds() {
        Document doc = parse(writer.write(
                HEADER,
                TestPlans.example(),
                ADRES,
                List.of(begeleiding()),
                LocalDateTime.of(2025, 3, 14, 9, 30, 0, 123_000_000)));

        assertThat(text(doc, BEGELEIDING + "/wmo301:Toewijzingsdatum")).isEqualTo("2025-03-14");
        assertThat(text(doc, BEGELEIDING + "/wmo301:Toewijzingstijd")).isEqualTo("09:30:00");
    }

    @Test
    void theReferentieAanbiederOfTheHonouredVerzoekIsCarried() {
        assertThat(text(parse(write(begeleiding())), BEGELEIDING + "/wmo301:ReferentieAanbieder"))
                .isEqualTo(TestPlans.REFERENTIE_BEGELEIDING);
    }

    @Test
    void aChangedToewijzingCarriesRedenWijzigingAndKeepsItsToewijzingNummer() {
        Toewijzing eerst = begeleiding();
        Toewijzing verkort = new Toewijzing(
                eerst.toewijzingNummer(),
                Optional.empty(),
                eerst.categorie(),
                eerst.code(),
                eerst.omvang(),
                eerst.ingangsdatum(),
                Optional.of(LocalDate.of(2025, 12, 31)),
                Optional.of("05"),
                Optional.of("Herbeoordeling: doelen eerder bereikt"));

        byte[] xml = write(verkort);

        Document doc = parse(xml);
        assertThat(text(doc, BEGELEIDING + "/wmo301:RedenWijziging")).isEqualTo("05");
        assertThat(text(doc, BEGELEIDING + "/wmo301:Einddatum")).isEqualTo("2025-12-31");
        assertThat(count(doc, "//wmo301:ToegewezenProduct")).isEqualTo(1);
        assertThat(IwmoSchemas.errors("WMO301", xml)).isEmpty();
    }

    @Test
    void aDeletedToewijzingEndsOnItsIngangsdatumWithRedenWijziging13() {
        Toewijzing eerst = begeleiding();
        Toewijzing verwijderd = new Toewijzing(
                eerst.toewijzingNummer(),
                Optional.empty(),
                eerst.categorie(),
                eerst.code(),
                eerst.omvang(),
                eerst.ingangsdatum(),
                Optional.of(eerst.ingangsdatum()),
                Optional.of("13"),
                Optional.empty());

        byte[] xml = write(verwijderd);

        assertThat(text(parse(xml), BEGELEIDING + "/wmo301:RedenWijziging")).isEqualTo("13");
        assertThat(IwmoSchemas.errors("WMO301", xml)).isEmpty();
    }

    @Test
    void theMessageIsUtf8WithAnXmlDeclarationAndTheOfficialPrefixes() {
        String text = new String(write(begeleiding()), StandardCharsets.UTF_8);

        assertThat(text).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wmo301:Bericht");
        assertThat(text).contains("xmlns:iwmo=\"" + IwmoXml.NS_IWMO + "\"").endsWith("</wmo301:Bericht>\n");
    }

    @Test
    void theSameInputAlwaysGivesTheSameBytes() {
        assertThat(write(begeleiding(), huishoudenOpenEinde())).isEqualTo(write(begeleiding(), huishoudenOpenEinde()));
    }

    static Stream<Arguments> inputTheAanbiederWouldReject() {
        Toewijzing b = begeleiding();
        return Stream.of(
                Arguments.of(
                        "ToegewezenProduct[1]/Omvang is required when Product/Code is given (CD041)",
                        List.of(with(b, b.code(), Optional.empty(), b.einddatum(), b.redenWijziging()))),
                Arguments.of(
                        "ToegewezenProduct[1]/Omvang must be empty when Product/Code is empty (CD080)",
                        List.of(with(b, Optional.empty(), b.omvang(), b.einddatum(), b.redenWijziging()))),
                Arguments.of(
                        "ToegewezenProduct[1]/Einddatum 2025-03-31 lies before Ingangsdatum 2025-04-01 (CS003)",
                        List.of(with(
                                b, b.code(), b.omvang(), Optional.of(LocalDate.of(2025, 3, 31)), b.redenWijziging()))),
                Arguments.of(
                        "ToegewezenProduct[2]/ToewijzingNummer 4711 occurs more than once in the message (TR101)",
                        List.of(b, b)),
                Arguments.of(
                        "ToegewezenProduct[1]/ToewijzingNummer 1000000000 must be between 0 and 999999999",
                        List.of(new Toewijzing(
                                1_000_000_000L,
                                b.referentieAanbieder(),
                                b.categorie(),
                                b.code(),
                                b.omvang(),
                                b.ingangsdatum(),
                                b.einddatum(),
                                b.redenWijziging(),
                                b.commentaar()))),
                Arguments.of(
                        "ToegewezenProduct[1]/RedenWijziging '15' is not an iWmo reden wijziging (WMO002)",
                        List.of(with(b, b.code(), b.omvang(), b.einddatum(), Optional.of("15")))),
                Arguments.of(
                        "ToegewezenProduct[1]/RedenWijziging 01 (administratieve correctie, vervallen) must not "
                                + "be used; use 14 (CS336)",
                        List.of(with(b, b.code(), b.omvang(), b.einddatum(), Optional.of("01")))),
                Arguments.of(
                        "ToegewezenProduct[1]/RedenWijziging 13 (verwijderd) requires Einddatum equal to "
                                + "Ingangsdatum (CS335)",
                        List.of(with(b, b.code(), b.omvang(), b.einddatum(), Optional.of("13")))),
                Arguments.of(
                        "ToegewezenProduct[1]/Product/Code is 6 characters, at most 5",
                        List.of(with(b, Optional.of("02A01X"), b.omvang(), b.einddatum(), b.redenWijziging()))),
                Arguments.of(
                        "ToegewezenProduct[1]/Product/Categorie '19' is not an iWmo productcategorie",
                        List.of(new Toewijzing(
                                4711,
                                Optional.empty(),
                                "19",
                                b.code(),
                                b.omvang(),
                                b.ingangsdatum(),
                                b.einddatum(),
                                Optional.empty(),
                                Optional.empty()))),
                Arguments.of(
                        "ToegewezenProduct[1]/ReferentieAanbieder is 37 characters, at most 36",
                        List.of(new Toewijzing(
                                4711,
                                Optional.of("r".repeat(37)),
                                "02",
                                b.code(),
                                b.omvang(),
                                b.ingangsdatum(),
                                b.einddatum(),
                                Optional.empty(),
                                Optional.empty()))),
                Arguments.of(
                        "ToegewezenProduct[1]/Commentaar is 1001 characters, at most 1000",
                        List.of(new Toewijzing(
                                4711,
                                Optional.empty(),
                                "02",
                                b.code(),
                                b.omvang(),
                                b.ingangsdatum(),
                                b.einddatum(),
                                Optional.empty(),
                                Optional.of("c".repeat(1001))))),
                Arguments.of(
                        "ToegewezenProduct[1]/Omvang/Frequentie 1 is not allowed with Eenheid 16: use 2, 4 or 6 "
                                + "(CS338)",
                        List.of(new Toewijzing(
                                4711,
                                Optional.empty(),
                                "07",
                                Optional.of("07A01"),
                                Optional.of(new Omvang(2, Omvang.EENHEID_DAGDEEL, Omvang.FREQUENTIE_PER_DAG)),
                                b.ingangsdatum(),
                                b.einddatum(),
                                Optional.empty(),
                                Optional.empty()))),
                Arguments.of(
                        "ToegewezenProduct[2] overlaps ToegewezenProduct[1] for the same product (TR302)",
                        List.of(
                                b,
                                new Toewijzing(
                                        4799,
                                        Optional.empty(),
                                        "02",
                                        Optional.of("02A01"),
                                        b.omvang(),
                                        LocalDate.of(2025, 10, 1),
                                        Optional.of(LocalDate.of(2026, 9, 30)),
                                        Optional.empty(),
                                        Optional.empty()))),
                Arguments.of("ToegewezenProducten needs at least one Toewijzing", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputTheAanbiederWouldReject")
    void aToewijzingTheAanbiederWouldRejectIsRefusedNamingThePathAndRule(
            String expected, List<Toewijzing> toewijzingen) {
        assertThatThrownBy(() -> writer.write(HEADER, TestPlans.example(), ADRES, toewijzingen, MOMENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot write iWmo WMO301 for plan " + TestPlans.PLAN_ID + ": ")
                .hasMessageContaining(expected);
    }

    static Stream<Arguments> addressesTheAanbiederWouldReject() {
        return Stream.of(
                Arguments.of(
                        "Client/Contactgegevens/Contact/Adres/Postcode '7514 AE' is not a Dutch postcode",
                        adres(
                                "01",
                                "Hengelosestraat",
                                Optional.of("A"),
                                Optional.empty(),
                                "7514 AE",
                                "NL",
                                Optional.empty())),
                Arguments.of(
                        "Client/Contactgegevens/Contact/Soort '04': a client needs a Contact with Soort 01, 02 or 03 "
                                + "(TR061)",
                        adres(
                                "04",
                                "Hengelosestraat",
                                Optional.empty(),
                                Optional.empty(),
                                "7514AE",
                                "NL",
                                Optional.empty())),
                Arguments.of(
                        "Client/Contactgegevens/Contact/Soort '05' is not an iWmo adressoort (COD757)",
                        adres(
                                "05",
                                "Hengelosestraat",
                                Optional.empty(),
                                Optional.empty(),
                                "7514AE",
                                "NL",
                                Optional.empty())),
                Arguments.of(
                        "Client/Contactgegevens/Contact/Adres/Straatnaam is 25 characters, at most 24",
                        adres(
                                "01",
                                "s".repeat(25),
                                Optional.empty(),
                                Optional.empty(),
                                "7514AE",
                                "NL",
                                Optional.empty())),
                Arguments.of(
                        "Client/Contactgegevens/Contact/Adres/Huis/Huisletter is 2 characters, at most 1",
                        adres("01", "Markt", Optional.of("AB"), Optional.empty(), "7514AE", "NL", Optional.empty())),
                Arguments.of(
                        "Client/Contactgegevens/Contact/Adres/Huis/HuisnummerToevoeging is 5 characters, at most 4",
                        adres("01", "Markt", Optional.empty(), Optional.of("bis-2"), "7514AE", "NL", Optional.empty())),
                Arguments.of(
                        "Client/Contactgegevens/Contact/Adres/LandCode 'XX' is not an iWmo landcode",
                        adres("01", "Markt", Optional.empty(), Optional.empty(), "7514AE", "XX", Optional.empty())),
                Arguments.of(
                        "Client/Contactgegevens/Contact/Telefoon/Telefoon01/Telefoonnummer '+31534812345' must be "
                                + "1 to 15 digits",
                        adres(
                                "01",
                                "Markt",
                                Optional.empty(),
                                Optional.empty(),
                                "7514AE",
                                "NL",
                                Optional.of("+31534812345"))),
                Arguments.of(
                        "Client/Contactgegevens/Contact/Adres/Huis/Huisnummer 100000 must be between 0 and 99999",
                        new Contactadres(
                                "01",
                                "Markt",
                                100_000,
                                Optional.empty(),
                                Optional.empty(),
                                "7514AE",
                                "Enschede",
                                "NL",
                                Optional.empty())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("addressesTheAanbiederWouldReject")
    void anAddressTheAanbiederWouldRejectIsRefused(String expected, Contactadres adres) {
        assertThatThrownBy(() -> writer.write(HEADER, TestPlans.example(), adres, List.of(begeleiding()), MOMENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void aForeignPostcodeIsNotHeldToTheDutchFormat() {
        Contactadres duits =
                adres("01", "Bahnhofstrasse", Optional.empty(), Optional.empty(), "48599", "DE", Optional.empty());

        byte[] xml = writer.write(HEADER, TestPlans.example(), duits, List.of(begeleiding()), MOMENT);

        assertThat(IwmoSchemas.errors("WMO301", xml)).isEmpty();
    }

    @Test
    void aDagtekeningAfterTodayIsRefused() {
        IwmoHeader morgen = new IwmoHeader("0153", "12345678", "GEM1", DAGTEKENING.plusDays(1));

        assertThatThrownBy(() -> writer.write(morgen, TestPlans.example(), ADRES, List.of(begeleiding()), MOMENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "Header/BerichtIdentificatie/Dagtekening 2025-03-15 lies after today (2025-03-14) "
                                + "(TR135)");
    }

    @Test
    void aHeaderWithTheAanbiederAsAfzenderIsRefused() {
        IwmoHeader omgekeerd = new IwmoHeader("12345678", "0153", "1234567890123", DAGTEKENING);

        assertThatThrownBy(() -> writer.write(omgekeerd, TestPlans.example(), ADRES, List.of(begeleiding()), MOMENT))
                .hasMessageContaining("Header/Afzender (gemeentecode) '12345678' must be 4 digits")
                .hasMessageContaining("Header/Ontvanger (AGB code) '0153' must be 8 digits")
                .hasMessageContaining("Header/BerichtIdentificatie/Identificatie is 13 characters, at most 12");
    }

    @Test
    void aClientWithAnInvalidBsnIsRefused() {
        Ondersteuningsplan plan = TestPlans.withClient(new Client(
                "123456789",
                LocalDate.of(1938, 4, 12),
                Geslacht.VROUW,
                "Vries",
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));

        assertThatThrownBy(() -> writer.write(HEADER, plan, ADRES, List.of(begeleiding()), MOMENT))
                .hasMessageContaining(
                        "Client/Bsn '123456789' is not a valid BSN: 9 digits passing the 11-proef (CS002)");
    }

    @Test
    void aMissingAddressIsRefused() {
        assertThatThrownBy(() -> writer.write(HEADER, TestPlans.example(), null, List.of(begeleiding()), MOMENT))
                .hasMessageContaining("Client/Contactgegevens/Contact is missing");
    }

    @Test
    void everyProblemIsReportedInOneException() {
        Toewijzing b = begeleiding();
        List<Toewijzing> fout =
                List.of(with(b, b.code(), Optional.empty(), Optional.of(LocalDate.of(2025, 1, 1)), Optional.of("99")));
        Contactadres adres = adres("01", "Markt", Optional.empty(), Optional.empty(), "1234", "NL", Optional.empty());

        assertThatThrownBy(() -> writer.write(HEADER, TestPlans.example(), adres, fout, MOMENT))
                .hasMessageContaining("(CD041)")
                .hasMessageContaining("(CS003)")
                .hasMessageContaining("RedenWijziging '99'")
                .hasMessageContaining("(CS089)");
    }

    private static Toewijzing with(
            Toewijzing b,
            Optional<String> code,
            Optional<Omvang> omvang,
            Optional<LocalDate> einddatum,
            Optional<String> redenWijziging) {
        return new Toewijzing(
                b.toewijzingNummer(),
                b.referentieAanbieder(),
                b.categorie(),
                code,
                omvang,
                b.ingangsdatum(),
                einddatum,
                redenWijziging,
                b.commentaar());
    }

    private static Contactadres adres(
            String soort,
            String straat,
            Optional<String> huisletter,
            Optional<String> toevoeging,
            String postcode,
            String land,
            Optional<String> telefoon) {
        return new Contactadres(soort, straat, 12, huisletter, toevoeging, postcode, "Enschede", land, telefoon);
    }
}
