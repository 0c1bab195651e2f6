package nl.wmogateway.plan;

import static nl.wmogateway.fixtures.TestBundles.find;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import nl.wmogateway.consent.ConsentGate;
import nl.wmogateway.fhir.PlanBundle;
import nl.wmogateway.fixtures.TestBundles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Timing;
import org.junit.jupiter.api.Test;

class OndersteuningsplanMapperTest {

    private static final String PLAN_ID = "WG-20260302-0001";
    private static final Instant ONTVANGEN = Instant.parse("2026-03-02T09:15:30Z");

    private final OndersteuningsplanMapper mapper = new OndersteuningsplanMapper();

    private Ondersteuningsplan map(Bundle bundle) {
        PlanBundle plan = TestBundles.plan(bundle);
        Toestemming toestemming = ConsentGate.withDefaultRules(TestBundles.clock())
                .decide(plan)
                .toestemming()
                .orElseThrow();
        return mapper.map(plan, PLAN_ID, ONTVANGEN, TestBundles.GEMEENTE_NAAM, toestemming);
    }

    @Test
    void mapsTheRequestsIdentityAndParties() {
        Ondersteuningsplan plan = map(TestBundles.valid());

        assertThat(plan.requestId()).isEqualTo(PLAN_ID);
        assertThat(plan.bundleIdentifier())
                .isEqualTo(TestBundles.BUNDLE_IDENTIFIER_SYSTEM + "|" + TestBundles.BUNDLE_IDENTIFIER_VALUE);
        assertThat(plan.ontvangen()).isEqualTo(ONTVANGEN);
        assertThat(plan.gemeente()).isEqualTo(new Gemeente("0153", "Gemeente Enschede"));
        assertThat(plan.zorgorganisatie())
                .isEqualTo(new Zorgorganisatie("12345678", Optional.of("87654321"), "Thuiszorg Twente Voorbeeld"));
        assertThat(plan.professional())
                .isEqualTo(new Professional(
                        "Anne Jansen",
                        Optional.of("wijkverpleegkundige"),
                        Optional.of("19012345601"),
                        Optional.empty(),
                        Optional.empty()));
        assertThat(plan.toestemming().consentId()).isEqualTo(TestBundles.CONSENT_IDENTIFIER);
    }

    @Test
    void mapsTheClientWithDutchNameParts() {
        Client client = map(TestBundles.valid()).client();

        assertThat(client)
                .isEqualTo(new Client(
                        TestBundles.BSN,
                        LocalDate.of(1941, 5, 17),
                        Client.Geslacht.VROUW,
                        "Vries",
                        Optional.of("de"),
                        Optional.of("Johanna Maria"),
                        Optional.of("JM")));
    }

    @Test
    void derivesVoorlettersFromTheGivenNamesWhenNoInitialsAreGiven() {
        Bundle bundle = TestBundles.valid();
        Patient patient = find(bundle, Patient.class);
        patient.getName().clear();
        patient.addName()
                .setUse(HumanName.NameUse.OFFICIAL)
                .setFamily("Bakker")
                .addGiven("hendrika")
                .addGiven("Anna")
                .addGiven("Wilhelmina")
                .addGiven("Maria")
                .addGiven("Jo")
                .addGiven("Els")
                .addGiven("Ria");
        patient.setGender(Enumerations.AdministrativeGender.MALE);

        Client client = map(bundle).client();

        assertThat(client.achternaam()).isEqualTo("Bakker");
        assertThat(client.voorvoegsel()).isEmpty();
        assertThat(client.voorletters()).contains("HAWMJE");
        assertThat(client.geslacht()).isEqualTo(Client.Geslacht.MAN);
    }

    @Test
    void leavesOutVoorlettersIwmoCannotCarry() {
        Bundle bundle = TestBundles.valid();
        Patient patient = find(bundle, Patient.class);
        patient.getName().clear();
        patient.addName()
                .setUse(HumanName.NameUse.OFFICIAL)
                .setFamily("Chen")
                .addGiven("\u7F8E\u73B2")
                .addGiven("Lin");

        Client client = map(bundle).client();

        assertThat(client.voornamen()).contains("\u7F8E\u73B2 Lin");
        assertThat(client.voorletters()).contains("L");
    }

    @Test
    void mapsAnUnspecifiedGenderToOnbekend() {
        Bundle bundle = TestBundles.valid();
        find(bundle, Patient.class).setGender(Enumerations.AdministrativeGender.OTHER);

        assertThat(map(bundle).client().geslacht()).isEqualTo(Client.Geslacht.ONBEKEND);
    }

    @Test
    void mapsStep1TheHulpvraag() {
        assertThat(map(TestBundles.valid()).hulpvraag()).isEqualTo(TestBundles.HULPVRAAG);
    }

    @Test
    void mapsStep2TheLimitationsPerLeefgebiedWithTheirZrmScore() {
        assertThat(map(TestBundles.valid()).beperkingen())
                .containsExactly(
                        new Beperking(
                                Leefgebied.REGIE_EN_STRUCTUUR,
                                "Vergeet afspraken en mist structuur door dementie",
                                Optional.of(2)),
                        new Beperking(
                                Leefgebied.HUISHOUDEN, "Kan het huishouden niet meer overzien", Optional.empty()));
    }

    @Test
    void mapsStep3TheSupportNeedsAsGoals() {
        assertThat(map(TestBundles.valid()).ondersteuningsbehoefte())
                .containsExactly(
                        new Doel(
                                Leefgebied.REGIE_EN_STRUCTUUR,
                                "Mevrouw heeft een vaste dagstructuur en mist geen afspraken",
                                Optional.of(LocalDate.of(2026, 12, 31))),
                        new Doel(Leefgebied.HUISHOUDEN, "Het huis is schoon en leefbaar", Optional.empty()));
    }

    @Test
    void mapsStep4TheOwnPossibilitiesWithTheMantelzorgersRelationshipOnly() {
        EigenMogelijkheden eigen = map(TestBundles.valid()).eigenMogelijkheden();

        assertThat(eigen)
                .isEqualTo(new EigenMogelijkheden(
                        TestBundles.EIGEN_KRACHT_TEKST,
                        TestBundles.SOCIAAL_NETWERK_TEKST,
                        TestBundles.VOORLIGGEND_VELD_TEKST,
                        java.util.List.of(new EigenMogelijkheden.Mantelzorger("partner"))));
    }

    @Test
    void mapsStep5OneProductPerServiceRequestInActivityOrder() {
        assertThat(map(TestBundles.valid()).maatwerkvoorzieningen())
                .extracting(
                        AangevraagdProduct::referentieAanbieder,
                        AangevraagdProduct::categorie,
                        AangevraagdProduct::code)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(PLAN_ID + "-1", "02", Optional.of("02A01")),
                        org.assertj.core.groups.Tuple.tuple(PLAN_ID + "-2", "01", Optional.of("01A01")));
    }

    @Test
    void maps180MinutesPerWeekToVolume180Eenheid01Frequentie2() {
        AangevraagdProduct begeleiding =
                map(TestBundles.valid()).maatwerkvoorzieningen().get(0);

        assertThat(begeleiding.omvang()).contains(new Omvang(180, "01", "2"));
    }

    @Test
    void mapsAnOpenEndedRequestWithoutEinddatumAndWithItsEvaluatiedatum() {
        AangevraagdProduct begeleiding =
                map(TestBundles.valid()).maatwerkvoorzieningen().get(0);

        assertThat(begeleiding.ingangsdatum()).isEqualTo(LocalDate.of(2026, 4, 1));
        assertThat(begeleiding.einddatum()).isEmpty();
        assertThat(begeleiding.evaluatiedatum()).contains(LocalDate.of(2028, 4, 1));
        assertThat(begeleiding.omschrijving()).isEqualTo("Individuele begeleiding");
        assertThat(begeleiding.motivering()).startsWith("Structuur aanbrengen");
    }

    @Test
    void mapsARequestWithAnEndDate() {
        AangevraagdProduct huishouden =
                map(TestBundles.valid()).maatwerkvoorzieningen().get(1);

        assertThat(huishouden.einddatum()).contains(LocalDate.of(2027, 3, 31));
        assertThat(huishouden.omvang()).contains(new Omvang(120, "01", "2"));
    }

    @Test
    void mapsAVolumeWithoutPeriodUnitAsTotaalBinnenGeldigheidsduur() {
        Bundle bundle = TestBundles.valid();
        ServiceRequest request = TestBundles.serviceRequest(bundle, "01A01");
        Timing.TimingRepeatComponent repeat = request.getOccurrenceTiming().getRepeat();
        repeat.setPeriodUnit(null).setPeriodElement(null).setFrequencyElement(null);

        assertThat(map(bundle).maatwerkvoorzieningen().get(1).omvang()).contains(new Omvang(120, "01", "6"));
    }

    @Test
    void mapsPerDayAndPerMonthFrequencies() {
        Bundle bundle = TestBundles.valid();
        TestBundles.serviceRequest(bundle, "02A01")
                .getOccurrenceTiming()
                .getRepeat()
                .setPeriodUnit(Timing.UnitsOfTime.D);
        TestBundles.serviceRequest(bundle, "01A01")
                .getOccurrenceTiming()
                .getRepeat()
                .setPeriodUnit(Timing.UnitsOfTime.MO);

        assertThat(map(bundle).maatwerkvoorzieningen())
                .extracting(p -> p.omvang().orElseThrow().frequentie())
                .containsExactly("1", "4");
    }

    @Test
    void forwardsNoMedicationAndNoMantelzorgerNameOrContact() {
        String model = map(TestBundles.valid()).toString();

        assertThat(model)
                .doesNotContain(
                        TestBundles.MEDICATIE,
                        "Metoprolol",
                        TestBundles.MANTELZORGER_NAAM,
                        TestBundles.MANTELZORGER_TELEFOON);
    }

    @Test
    void refusesAPlanIdThatWouldMakeReferentieAanbiederLongerThan36Characters() {
        PlanBundle plan = TestBundles.plan();
        Toestemming toestemming = ConsentGate.withDefaultRules(TestBundles.clock())
                .decide(plan)
                .toestemming()
                .orElseThrow();

        assertThatThrownBy(() -> mapper.map(plan, "x".repeat(34), ONTVANGEN, "Gemeente Enschede", toestemming))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("33");
    }
}
