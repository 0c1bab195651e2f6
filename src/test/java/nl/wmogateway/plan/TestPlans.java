package nl.wmogateway.plan;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.plan.Client.Geslacht;
import nl.wmogateway.plan.EigenMogelijkheden.Mantelzorger;
import nl.wmogateway.plan.Toestemming.Formulier;

/**
 * Plans for tests. {@link #example()} is a realistic samen-indiceren case in Enschede: an older
 * woman with beginning dementia whose husband risks overload, asking for individuele begeleiding
 * (open-ended, with an evaluation date) and huishoudelijke ondersteuning (one year). The other
 * methods vary one thing at a time.
 */
public final class TestPlans {

    public static final String PLAN_ID = "3f1c2a9e-7b4d-4c1e-9a53-0d2e8b6f4a11";
    /** Passes the 11-proef. */
    public static final String BSN = "999911120";

    public static final String AGB_ZORGORGANISATIE = "12345678";
    public static final String GEMEENTECODE_ENSCHEDE = "0153";
    public static final String REFERENTIE_BEGELEIDING = "WG-3f1c2a9e-1";
    public static final String REFERENTIE_HUISHOUDEN = "WG-3f1c2a9e-2";

    private TestPlans() {}

    public static Ondersteuningsplan example() {
        return plan(client(), List.of(individueleBegeleiding(), huishoudelijkeOndersteuning()));
    }

    /** The example with another client. */
    public static Ondersteuningsplan withClient(Client client) {
        return plan(client, example().maatwerkvoorzieningen());
    }

    /** The example asking for other provisions. */
    public static Ondersteuningsplan withMaatwerkvoorzieningen(AangevraagdProduct... producten) {
        return plan(client(), List.of(producten));
    }

    /** The example with another planId, e.g. to test how it travels in a Commentaar. */
    public static Ondersteuningsplan withPlanId(String planId) {
        Ondersteuningsplan p = example();
        return new Ondersteuningsplan(
                planId,
                p.bundleIdentifier(),
                p.ontvangen(),
                p.gemeente(),
                p.zorgorganisatie(),
                p.professional(),
                p.client(),
                p.hulpvraag(),
                p.beperkingen(),
                p.ondersteuningsbehoefte(),
                p.eigenMogelijkheden(),
                p.maatwerkvoorzieningen(),
                p.samenIndiceren(),
                p.toestemming());
    }

    /** The example addressed to another gemeente code, consent included. */
    public static Ondersteuningsplan withGemeente(String gemeentecode, String naam) {
        Ondersteuningsplan p = example();
        Toestemming t = p.toestemming();
        return new Ondersteuningsplan(
                p.requestId(),
                p.bundleIdentifier(),
                p.ontvangen(),
                new Gemeente(gemeentecode, naam),
                p.zorgorganisatie(),
                p.professional(),
                p.client(),
                p.hulpvraag(),
                p.beperkingen(),
                p.ondersteuningsbehoefte(),
                p.eigenMogelijkheden(),
                p.maatwerkvoorzieningen(),
                p.samenIndiceren(),
                new Toestemming(
                        t.consentId(),
                        t.verleendDoor(),
                        t.verleendOp(),
                        t.geldigVan(),
                        t.geldigTot(),
                        t.doel(),
                        gemeentecode,
                        t.formulier()));
    }

    /** Every Optional in the plan empty and no mantelzorgers: the least a complete plan has. */
    public static Ondersteuningsplan minimal() {
        Client client = new Client(
                BSN,
                LocalDate.of(1941, 2, 3),
                Geslacht.ONBEKEND,
                "Jansen",
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        AangevraagdProduct product = new AangevraagdProduct(
                REFERENTIE_BEGELEIDING,
                "02",
                Optional.empty(),
                "Begeleiding",
                Optional.empty(),
                LocalDate.of(2025, 4, 1),
                Optional.empty(),
                Optional.empty(),
                "Zonder begeleiding raakt de structuur in de week verloren.");
        return new Ondersteuningsplan(
                PLAN_ID,
                "https://ecd.example/bundle|b-1",
                Instant.parse("2025-03-11T08:00:00Z"),
                new Gemeente(GEMEENTECODE_ENSCHEDE, "Enschede"),
                new Zorgorganisatie(AGB_ZORGORGANISATIE, Optional.empty(), "Thuiszorg Twente Oost"),
                new Professional("A. Jansen", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                client,
                "Wil thuis blijven wonen.",
                List.of(new Beperking(Leefgebied.REGIE_EN_STRUCTUUR, "Vergeet afspraken.", Optional.empty())),
                List.of(new Doel(Leefgebied.REGIE_EN_STRUCTUUR, "Heeft structuur in de week.", Optional.empty())),
                new EigenMogelijkheden("Weinig.", "Geen netwerk.", "Niets passends gevonden.", List.of()),
                List.of(product),
                new SamenIndiceren("Sinds 2024 betrokken.", "Kan de aanvraag niet zelf doen."),
                new Toestemming(
                        "consent-1",
                        "client",
                        Instant.parse("2025-03-10T10:15:00Z"),
                        LocalDate.of(2025, 3, 10),
                        Optional.empty(),
                        "wmo-aanvraag",
                        GEMEENTECODE_ENSCHEDE,
                        Optional.empty()));
    }

    /**
     * The example as the mapper builds it when a gemeente accepts incomplete plans: CRvB steps 1, 2
     * and 3 and a motivering left out become empty text and empty lists.
     */
    public static Ondersteuningsplan incomplete() {
        Ondersteuningsplan p = example();
        AangevraagdProduct b = individueleBegeleiding();
        AangevraagdProduct zonderMotivering = new AangevraagdProduct(
                b.referentieAanbieder(),
                b.categorie(),
                b.code(),
                b.omschrijving(),
                b.omvang(),
                b.ingangsdatum(),
                b.einddatum(),
                b.evaluatiedatum(),
                "");
        return new Ondersteuningsplan(
                p.requestId(),
                p.bundleIdentifier(),
                p.ontvangen(),
                p.gemeente(),
                p.zorgorganisatie(),
                p.professional(),
                p.client(),
                "",
                List.of(),
                List.of(),
                p.eigenMogelijkheden(),
                List.of(zonderMotivering),
                p.samenIndiceren(),
                p.toestemming());
    }

    public static Client client() {
        return new Client(
                BSN,
                LocalDate.of(1938, 4, 12),
                Geslacht.VROUW,
                "Vries",
                Optional.of("de"),
                Optional.of("Geertruida Johanna"),
                Optional.of("GJ"));
    }

    /** Categorie 02 Begeleiding, 180 minutes per week, open-ended with an evaluation date. */
    public static AangevraagdProduct individueleBegeleiding() {
        return new AangevraagdProduct(
                REFERENTIE_BEGELEIDING,
                "02",
                Optional.of("02A01"),
                "Individuele begeleiding",
                Optional.of(new Omvang(180, Omvang.EENHEID_MINUUT, Omvang.FREQUENTIE_PER_WEEK)),
                LocalDate.of(2025, 4, 1),
                Optional.empty(),
                Optional.of(LocalDate.of(2026, 4, 1)),
                "Mevrouw kan haar week niet meer zelf plannen en haar man kan dat niet blijvend overnemen; "
                        + "de dagbesteding en het Alzheimer Café vullen twee dagdelen, voor de rest is "
                        + "begeleiding bij dagstructuur en plannen nodig.");
    }

    /** Categorie 01 Hulp bij het huishouden, 120 minutes per week, for one year. */
    public static AangevraagdProduct huishoudelijkeOndersteuning() {
        return new AangevraagdProduct(
                REFERENTIE_HUISHOUDEN,
                "01",
                Optional.of("01A01"),
                "Huishoudelijke ondersteuning",
                Optional.of(new Omvang(120, Omvang.EENHEID_MINUUT, Omvang.FREQUENTIE_PER_WEEK)),
                LocalDate.of(2025, 4, 1),
                Optional.of(LocalDate.of(2026, 3, 31)),
                Optional.empty(),
                "Het zware huishouden (stofzuigen, sanitair, bedden) lukt door heupklachten niet meer; "
                        + "dochter doet de boodschappen en de was, de echtgenoot kookt.");
    }

    public static RenderContext context() {
        return new RenderContext("WG0000000042", LocalDate.of(2025, 3, 12), "06");
    }

    private static Ondersteuningsplan plan(Client client, List<AangevraagdProduct> producten) {
        return new Ondersteuningsplan(
                PLAN_ID,
                "https://ecd.thuiszorg-twente.example/fhir/NamingSystem/bundle|b-2025-0042",
                Instant.parse("2025-03-11T08:02:13Z"),
                new Gemeente(GEMEENTECODE_ENSCHEDE, "Enschede"),
                new Zorgorganisatie(AGB_ZORGORGANISATIE, Optional.of("87654321"), "Thuiszorg Twente Oost"),
                new Professional(
                        "Anouk Hendriks",
                        Optional.of("wijkverpleegkundige"),
                        Optional.of("19012345601"),
                        Optional.empty(),
                        Optional.empty()),
                client,
                "Mevrouw wil zo lang mogelijk thuis blijven wonen met haar man. Door beginnende dementie "
                        + "overziet zij haar dag niet meer en het huishouden lukt niet; haar man (84) neemt alles "
                        + "over en raakt overbelast.",
                List.of(
                        new Beperking(
                                Leefgebied.REGIE_EN_STRUCTUUR,
                                "Vergeet afspraken en maaltijden, raakt onrustig zonder vaste dagindeling.",
                                Optional.of(2)),
                        new Beperking(
                                Leefgebied.HUISHOUDEN,
                                "Kan door heupklachten en vergeetachtigheid het huis niet meer schoonhouden.",
                                Optional.of(2)),
                        new Beperking(
                                Leefgebied.MANTELZORGONDERSTEUNING,
                                "Echtgenoot neemt alle taken over en geeft aan het niet lang meer vol te houden.",
                                Optional.empty())),
                List.of(
                        new Doel(
                                Leefgebied.REGIE_EN_STRUCTUUR,
                                "Mevrouw heeft een vaste weekstructuur en weet wat er die dag gebeurt.",
                                Optional.of(LocalDate.of(2025, 10, 1))),
                        new Doel(Leefgebied.HUISHOUDEN, "Het huis is schoon en leefbaar.", Optional.empty()),
                        new Doel(
                                Leefgebied.MANTELZORGONDERSTEUNING,
                                "De echtgenoot is ontlast en kan de zorg blijven dragen.",
                                Optional.empty())),
                new EigenMogelijkheden(
                        "Mevrouw kleedt zich zelf aan en eet zelfstandig als het eten klaarstaat.",
                        "Echtgenoot kookt en doet de was; dochter komt wekelijks en doet de boodschappen.",
                        "Ontmoetingsgroep van de wijkvereniging (twee dagdelen) en Alzheimer Café zijn verkend en "
                                + "worden gebruikt; boodschappenbezorging is geregeld; casemanager dementie via de Zvw.",
                        List.of(new Mantelzorger("partner"), new Mantelzorger("dochter"))),
                producten,
                new SamenIndiceren(
                        "De wijkverpleegkundige komt sinds maart 2023 twee keer per week bij mevrouw thuis "
                                + "(wijkverpleging, Zvw) en kent haar situatie goed.",
                        "Mevrouw overziet de aanvraag door haar dementie niet; haar man is overbelast en wil "
                                + "ontzien worden."),
                new Toestemming(
                        "consent-2025-0311-01",
                        "client",
                        Instant.parse("2025-03-10T10:15:00Z"),
                        LocalDate.of(2025, 3, 10),
                        Optional.of(LocalDate.of(2026, 3, 10)),
                        "wmo-aanvraag",
                        GEMEENTECODE_ENSCHEDE,
                        Optional.of(new Formulier(
                                "Toestemmingsformulier Wmo-aanvraag",
                                "application/pdf",
                                Optional.of("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
                                Optional.of("qUqP5cyxm6YcTAhz05Hph5gvu9M="),
                                Optional.empty()))));
    }
}
