package nl.wmogateway.iwmo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.wmogateway.besluit.Contactadres;
import nl.wmogateway.iwmo.IwmoRules.Beoordeling;
import nl.wmogateway.iwmo.IwmoRules.Historie;
import nl.wmogateway.iwmo.IwmoRules.RuleFinding;
import nl.wmogateway.plan.Client;
import nl.wmogateway.plan.Client.Geslacht;
import nl.wmogateway.plan.Omvang;
import nl.wmogateway.plan.TestPlans;
import org.junit.jupiter.api.Test;

class IwmoRulesTest {

    private static final LocalDate VANDAAG = Wmo301WriterTest.DAGTEKENING;
    private static final IwmoHeader HEADER = Wmo301WriterTest.HEADER;
    private static final Contactadres ADRES = Wmo301WriterTest.ADRES;
    private static final Client CLIENT = TestPlans.client();
    private static final Historie HISTORIE = new Historie(
            Set.of(TestPlans.REFERENTIE_BEGELEIDING, TestPlans.REFERENTIE_HUISHOUDEN), Map.of(4711L, TestPlans.BSN),
            Set.of(), Map.of());

    private static Beoordeling wmo301(Toewijzing... toewijzingen) {
        return IwmoRules.wmo301(HEADER, CLIENT, ADRES, List.of(toewijzingen), VANDAAG);
    }

    private static Beoordeling wmo301(Historie historie, Toewijzing... toewijzingen) {
        return IwmoRules.wmo301(HEADER, CLIENT, ADRES, List.of(toewijzingen), VANDAAG, historie);
    }

    private static Toewijzing begeleiding() {
        return Wmo301WriterTest.begeleiding();
    }

    private static Toewijzing huishouden() {
        return Wmo301WriterTest.huishoudenOpenEinde();
    }

    private static Toewijzing with(
            Toewijzing t,
            long nummer,
            Optional<String> referentie,
            Optional<String> code,
            Optional<Omvang> omvang,
            Optional<LocalDate> einddatum,
            Optional<String> reden) {
        return new Toewijzing(
                nummer, referentie, t.categorie(), code, omvang, t.ingangsdatum(), einddatum, reden, t.commentaar());
    }

    private static List<String> regels(Beoordeling beoordeling) {
        return beoordeling.findings().stream().map(RuleFinding::regel).toList();
    }

    @Test
    void aCorrectToewijzingIsApprovedAndItsRetourHasNoCodesAtAll() {
        Beoordeling beoordeling = wmo301(HISTORIE, begeleiding(), huishouden());

        assertThat(beoordeling.goedgekeurd()).isTrue();
        assertThat(beoordeling.headerRetourcodes()).isEmpty();
        assertThat(beoordeling.klassen()).isEmpty();
    }

    @Test
    void anInvalidBsnRejectsTheWholeMessageWith0001InTheHeaderOnly() {
        Client client = new Client(
                "123456789",
                LocalDate.of(1938, 4, 12),
                Geslacht.VROUW,
                "Vries",
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        Beoordeling beoordeling = IwmoRules.wmo301(HEADER, client, ADRES, List.of(begeleiding()), VANDAAG);

        assertThat(regels(beoordeling)).containsExactly("CS002");
        assertThat(beoordeling.findings().get(0).klasse()).isEqualTo(IwmoRules.KLASSE_CLIENT);
        assertThat(beoordeling.headerRetourcodes()).containsExactly("0001");
        assertThat(beoordeling.klassen()).isEmpty();
    }

    @Test
    void aClientBornMoreThan120YearsBeforeTheDagtekeningBreaksTR002() {
        Client client = new Client(
                TestPlans.BSN,
                VANDAAG.minusYears(120).minusDays(1),
                Geslacht.MAN,
                "Oud",
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        assertThat(regels(IwmoRules.wmo301(HEADER, client, ADRES, List.of(begeleiding()), VANDAAG)))
                .containsExactly("TR002");
    }

    @Test
    void anEinddatumBeforeTheIngangsdatumBreaksCS003() {
        Toewijzing b = begeleiding();

        Beoordeling beoordeling = wmo301(with(
                b,
                4711,
                b.referentieAanbieder(),
                b.code(),
                b.omvang(),
                Optional.of(b.ingangsdatum().minusDays(1)),
                Optional.empty()));

        assertThat(regels(beoordeling)).containsExactly("CS003");
        assertThat(beoordeling.headerRetourcodes()).containsExactly("0001");
    }

    @Test
    void anOpenEndedToewijzingPerWeekBreaksCD076() {
        Toewijzing b = begeleiding();

        assertThat(regels(wmo301(with(
                        b, 4711, b.referentieAanbieder(), b.code(), b.omvang(), Optional.empty(), Optional.empty()))))
                .containsExactly("CD076");
    }

    @Test
    void anOpenEndedToewijzingPerMaandIsAllowed() {
        assertThat(wmo301(huishouden()).goedgekeurd()).isTrue();
    }

    @Test
    void aProductCodeWithoutOmvangBreaksCD041() {
        Toewijzing b = begeleiding();

        assertThat(regels(wmo301(with(
                        b,
                        4711,
                        b.referentieAanbieder(),
                        b.code(),
                        Optional.empty(),
                        b.einddatum(),
                        Optional.empty()))))
                .containsExactly("CD041");
    }

    @Test
    void anOmvangWithoutProductCodeBreaksCD080() {
        Toewijzing b = begeleiding();

        assertThat(regels(wmo301(with(
                        b,
                        4711,
                        b.referentieAanbieder(),
                        Optional.empty(),
                        b.omvang(),
                        b.einddatum(),
                        Optional.empty()))))
                .containsExactly("CD080");
    }

    @Test
    void anOmvangWithoutProductCodeIsAllowedForAToewijzingThatEndedBefore2021() {
        Toewijzing oud = new Toewijzing(
                17,
                Optional.empty(),
                "02",
                Optional.empty(),
                Optional.of(new Omvang(3, Omvang.EENHEID_UUR, Omvang.FREQUENTIE_PER_WEEK)),
                LocalDate.of(2020, 1, 1),
                Optional.of(LocalDate.of(2020, 12, 31)),
                Optional.empty(),
                Optional.empty());

        assertThat(wmo301(oud).goedgekeurd()).isTrue();
    }

    @Test
    void aDagdeelPerDagBreaksCS338() {
        Toewijzing dagbesteding = new Toewijzing(
                18,
                Optional.empty(),
                "07",
                Optional.of("07A01"),
                Optional.of(new Omvang(1, Omvang.EENHEID_DAGDEEL, Omvang.FREQUENTIE_PER_DAG)),
                LocalDate.of(2025, 4, 1),
                Optional.of(LocalDate.of(2025, 12, 31)),
                Optional.empty(),
                Optional.empty());

        assertThat(regels(wmo301(dagbesteding))).containsExactly("CS338");
    }

    @Test
    void redenWijziging13WithAnEinddatumAfterTheIngangsdatumBreaksCS335() {
        Toewijzing b = begeleiding();

        assertThat(regels(wmo301(
                        with(b, 4711, Optional.empty(), b.code(), b.omvang(), b.einddatum(), Optional.of("13")))))
                .containsExactly("CS335");
    }

    @Test
    void redenWijziging01BreaksCS336() {
        Toewijzing b = begeleiding();

        assertThat(regels(wmo301(
                        with(b, 4711, Optional.empty(), b.code(), b.omvang(), b.einddatum(), Optional.of("01")))))
                .containsExactly("CS336");
    }

    @Test
    void aToewijzingNummerTwiceInOneMessageBreaksTR101NotTR332() {
        Toewijzing b = begeleiding();
        Toewijzing ander = with(
                huishouden(),
                4711,
                Optional.empty(),
                Optional.of("01A01"),
                huishouden().omvang(),
                Optional.empty(),
                Optional.empty());

        Beoordeling beoordeling = wmo301(b, ander);

        assertThat(regels(beoordeling)).containsExactly("TR101");
        assertThat(beoordeling.headerRetourcodes()).containsExactly("0001");
    }

    @Test
    void theSameProductTwiceInOverlappingPeriodsBreaksTR302() {
        Toewijzing b = begeleiding();
        Toewijzing tweede = new Toewijzing(
                4799,
                Optional.empty(),
                "02",
                Optional.of("02A01"),
                b.omvang(),
                LocalDate.of(2026, 3, 31),
                Optional.of(LocalDate.of(2026, 12, 31)),
                Optional.empty(),
                Optional.empty());

        assertThat(regels(wmo301(b, tweede))).containsExactly("TR302");
    }

    @Test
    void theSameProductInConsecutivePeriodsIsAllowed() {
        Toewijzing b = begeleiding();
        Toewijzing vervolg = new Toewijzing(
                4799,
                Optional.empty(),
                "02",
                Optional.of("02A01"),
                b.omvang(),
                LocalDate.of(2026, 4, 1),
                Optional.of(LocalDate.of(2026, 12, 31)),
                Optional.empty(),
                Optional.empty());

        assertThat(wmo301(b, vervolg).goedgekeurd()).isTrue();
    }

    @Test
    void aDeletedToewijzingDoesNotCountForTR302() {
        Toewijzing b = begeleiding();
        Toewijzing verwijderd = new Toewijzing(
                4700,
                Optional.empty(),
                "02",
                Optional.of("02A01"),
                b.omvang(),
                b.ingangsdatum(),
                Optional.of(b.ingangsdatum()),
                Optional.of("13"),
                Optional.empty());

        assertThat(wmo301(verwijderd, b).goedgekeurd()).isTrue();
    }

    @Test
    void anAddressOfSoort04AloneBreaksTR061() {
        Contactadres tijdelijk = new Contactadres(
                "04", "Markt", 1, Optional.empty(), Optional.empty(), "7511GA", "Enschede", "NL", Optional.empty());

        assertThat(regels(IwmoRules.wmo301(HEADER, CLIENT, tijdelijk, List.of(begeleiding()), VANDAAG)))
                .containsExactly("TR061");
    }

    @Test
    void aDutchAddressWithAForeignPostcodeBreaksCS089() {
        Contactadres adres = new Contactadres(
                "01", "Markt", 1, Optional.empty(), Optional.empty(), "0511GA", "Enschede", "NL", Optional.empty());

        assertThat(regels(IwmoRules.wmo301(HEADER, CLIENT, adres, List.of(begeleiding()), VANDAAG)))
                .containsExactly("CS089");
    }

    @Test
    void aLowerCaseDutchPostcodePassesCS089AsTheOfficialXsltAcceptsIt() {
        Contactadres adres = new Contactadres(
                "01", "Markt", 1, Optional.empty(), Optional.empty(), "7511ga", "Enschede", "NL", Optional.empty());

        assertThat(IwmoRules.wmo301(HEADER, CLIENT, adres, List.of(begeleiding()), VANDAAG)
                        .goedgekeurd())
                .isTrue();
    }

    @Test
    void aContactWithoutPostcodeOrTelephoneBreaksCD034AndTR006() {
        Contactadres adres = new Contactadres(
                "01", "Markt", 1, Optional.empty(), Optional.empty(), " ", "Enschede", "NL", Optional.empty());

        assertThat(regels(IwmoRules.wmo301(HEADER, CLIENT, adres, List.of(begeleiding()), VANDAAG)))
                .containsExactly("CD034", "TR006");
    }

    @Test
    void aDagtekeningAfterTodayRejectsTheHeaderWith8848() {
        IwmoHeader morgen = new IwmoHeader("0153", "12345678", "GEM1", VANDAAG.plusDays(1));

        Beoordeling beoordeling = IwmoRules.wmo301(morgen, CLIENT, ADRES, List.of(begeleiding()), VANDAAG);

        assertThat(regels(beoordeling)).containsExactly("TR135");
        assertThat(beoordeling.headerRetourcodes()).containsExactly("8848");
        assertThat(beoordeling.klassen()).isEmpty();
    }

    @Test
    void aTechnicalErrorOutranksAHeaderError() {
        IwmoHeader morgen = new IwmoHeader("0153", "12345678", "GEM1", VANDAAG.plusDays(1));
        Toewijzing b = begeleiding();
        Toewijzing zonderOmvang =
                with(b, 4711, b.referentieAanbieder(), b.code(), Optional.empty(), b.einddatum(), Optional.empty());

        Beoordeling beoordeling = IwmoRules.wmo301(morgen, CLIENT, ADRES, List.of(zonderOmvang), VANDAAG);

        assertThat(regels(beoordeling)).containsExactly("TR135", "CD041");
        assertThat(beoordeling.headerRetourcodes()).containsExactly("0001");
    }

    @Test
    void aToewijzingNummerGivenEarlierToAnotherClientBreaksTR332OnThatProductOnly() {
        Historie historie = new Historie(HISTORIE.verzoeken(), Map.of(4712L, "111222333"), Set.of(), Map.of());

        Beoordeling beoordeling = wmo301(historie, begeleiding(), huishouden());

        assertThat(regels(beoordeling)).containsExactly("TR332");
        assertThat(beoordeling.headerRetourcodes()).containsExactly("0200");
        assertThat(beoordeling.klassen())
                .containsExactly(
                        KlasseRetour.client(TestPlans.BSN, "0200"),
                        KlasseRetour.toegewezenProduct(4711, "0200"),
                        KlasseRetour.toegewezenProduct(4712, "9332"));
    }

    @Test
    void aChangedToewijzingForTheSameClientKeepsItsNumberWithoutBreakingTR332() {
        Toewijzing b = begeleiding();
        Toewijzing verlengd = with(
                b,
                4711,
                Optional.empty(),
                b.code(),
                b.omvang(),
                Optional.of(LocalDate.of(2026, 9, 30)),
                Optional.of("04"));

        assertThat(wmo301(HISTORIE, verlengd).goedgekeurd()).isTrue();
    }

    @Test
    void aReferentieAanbiederThatNoVerzoekCarriedBreaksTR379() {
        Toewijzing b = begeleiding();
        Toewijzing onbekend =
                with(b, 4711, Optional.of("ONBEKEND-1"), b.code(), b.omvang(), b.einddatum(), Optional.empty());

        Beoordeling beoordeling = wmo301(HISTORIE, onbekend);

        assertThat(regels(beoordeling)).containsExactly("TR379");
        assertThat(beoordeling.klassen())
                .containsExactly(
                        KlasseRetour.client(TestPlans.BSN, "0200"), KlasseRetour.toegewezenProduct(4711, "9379"));
    }

    @Test
    void withoutHistorieTheBerichtoverstijgendeRulesAreNotChecked() {
        Toewijzing b = begeleiding();
        Toewijzing onbekend =
                with(b, 4711, Optional.of("ONBEKEND-1"), b.code(), b.omvang(), b.einddatum(), Optional.empty());

        assertThat(wmo301(onbekend).goedgekeurd()).isTrue();
    }

    @Test
    void aRejectionWithoutItsReasonBreaksCD085() {
        Beoordeling beoordeling = IwmoRules.wmo319(HEADER, "r1", "1", Optional.empty(), VANDAAG);

        assertThat(regels(beoordeling)).containsExactly("CD085");
        assertThat(beoordeling.headerRetourcodes()).containsExactly("0001");
    }

    @Test
    void anAnswerInOnderzoekWithAReasonBreaksCD086() {
        assertThat(regels(IwmoRules.wmo319(HEADER, "r1", "2", Optional.of("3"), VANDAAG)))
                .containsExactly("CD086");
    }

    @Test
    void anAnswerToAnUnknownVerzoekBreaksTR355OnTheAntwoord() {
        Beoordeling beoordeling = IwmoRules.wmo319(HEADER, "ONBEKEND-1", "1", Optional.of("3"), VANDAAG, HISTORIE);

        assertThat(regels(beoordeling)).containsExactly("TR355");
        assertThat(beoordeling.headerRetourcodes()).containsExactly("0200");
        assertThat(beoordeling.klassen()).containsExactly(KlasseRetour.antwoord("ONBEKEND-1", "9355"));
    }

    @Test
    void anAnswerToAVerzoekAlreadyHonouredBreaksTR359() {
        Historie historie =
                new Historie(HISTORIE.verzoeken(), Map.of(), Set.of(TestPlans.REFERENTIE_BEGELEIDING), Map.of());

        assertThat(regels(IwmoRules.wmo319(
                        HEADER, TestPlans.REFERENTIE_BEGELEIDING, "1", Optional.of("3"), VANDAAG, historie)))
                .containsExactly("TR359");
    }

    @Test
    void aSecondInOnderzoekAnswerBreaksTR360() {
        Historie historie =
                new Historie(HISTORIE.verzoeken(), Map.of(), Set.of(), Map.of(TestPlans.REFERENTIE_BEGELEIDING, "2"));

        assertThat(regels(IwmoRules.wmo319(
                        HEADER, TestPlans.REFERENTIE_BEGELEIDING, "2", Optional.empty(), VANDAAG, historie)))
                .containsExactly("TR360");
    }

    @Test
    void aRejectionAfterAnInOnderzoekAnswerIsAllowed() {
        Historie historie =
                new Historie(HISTORIE.verzoeken(), Map.of(), Set.of(), Map.of(TestPlans.REFERENTIE_BEGELEIDING, "2"));

        assertThat(IwmoRules.wmo319(HEADER, TestPlans.REFERENTIE_BEGELEIDING, "1", Optional.of("7"), VANDAAG, historie)
                        .goedgekeurd())
                .isTrue();
    }

    @Test
    void anAnswerAfterAFinalRejectionBreaksTR365() {
        Historie historie =
                new Historie(HISTORIE.verzoeken(), Map.of(), Set.of(), Map.of(TestPlans.REFERENTIE_BEGELEIDING, "1"));

        assertThat(regels(IwmoRules.wmo319(
                        HEADER, TestPlans.REFERENTIE_BEGELEIDING, "1", Optional.of("7"), VANDAAG, historie)))
                .containsExactly("TR365");
    }

    @Test
    void aRetourBuiltFromABeoordelingCarriesItsCodes() {
        Beoordeling beoordeling = IwmoRules.wmo319(HEADER, "ONBEKEND-1", "1", Optional.of("3"), VANDAAG, HISTORIE);
        byte[] wmo319 =
                new Wmo319Writer(Wmo301WriterTest.clockOn(VANDAAG)).write(HEADER, "ONBEKEND-1", "1", Optional.of("3"));

        IwmoRetour retour = IwmoRetourXml.parse(IwmoRetourXml.retour(wmo319, "RET-1", VANDAAG, beoordeling));

        assertThat(retour.berichtsoort()).isEqualTo(IwmoRetour.WMO320);
        assertThat(retour.heenberichtCode()).isEqualTo("482");
        assertThat(retour.geaccepteerd()).isFalse();
        assertThat(retour.afkeurcodes()).containsExactly("9355");
    }
}
