package nl.wmogateway.iwmo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import nl.wmogateway.plan.Omvang;

/**
 * The iWmo 3.2 code lists the gateway writes, with their official descriptions, taken from the
 * enumerations in the iWmo basisschema. Each map is unmodifiable and iterates in code order.
 *
 * <p>The eenheid and frequentie codes themselves are constants on {@link Omvang}; this class adds
 * their meaning and {@link #omschrijving(Omvang)}, the one place where an omvang is put into
 * Dutch words for people to read.
 */
public final class IwmoCodes {

    /** Productcategorie (WMO020) 01. */
    public static final String PRODUCTCATEGORIE_HULP_BIJ_HET_HUISHOUDEN = "01";
    /** Productcategorie (WMO020) 02, which includes individuele begeleiding. */
    public static final String PRODUCTCATEGORIE_BEGELEIDING = "02";
    /** Productcategorie (WMO020) 04. */
    public static final String PRODUCTCATEGORIE_KORTDUREND_VERBLIJF = "04";
    /** Productcategorie (WMO020) 07. */
    public static final String PRODUCTCATEGORIE_DAGBESTEDING = "07";
    /** Productcategorie (WMO020) 08, which includes vervoer naar de dagbesteding. */
    public static final String PRODUCTCATEGORIE_VERVOERDIENSTEN = "08";

    /** Verwijzer type (COD327) 01: the gemeente referred the client. */
    public static final String VERWIJZER_GEMEENTE = "01";
    /** The iWmo 3.2 basisschema namespace: the children of the composite datatypes (CDT_*). */
    public static final String NS_IWMO = "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema";

    /** The namespace of one iWmo 3.2 message, e.g. {@code namespace("wmo301")}. */
    public static String namespace(String bericht) {
        return "http://www.istandaarden.nl/iwmo/3_2/" + bericht.toLowerCase(java.util.Locale.ROOT) + "/schema";
    }

    /** Retourcode (WJ001) 0001: the message is rejected as a whole, e.g. for a broken TR/CD/CS rule. */
    public static final String RETOURCODE_BERICHT_AFGEKEURD = "0001";
    /** Verwijzer type (COD327) 02. */
    public static final String VERWIJZER_HUISARTS = "02";
    /** Verwijzer type (COD327) 05. */
    public static final String VERWIJZER_MEDISCH_SPECIALIST = "05";
    /** Verwijzer type (COD327) 06: the client came without a referral. */
    public static final String VERWIJZER_ZELFVERWIJZER = "06";

    /** Productcategorie (WMO020): code to description. */
    public static final Map<String, String> PRODUCTCATEGORIEEN = ordered(
            "01", "Hulp bij het huishouden",
            "02", "Begeleiding",
            "03", "Persoonlijke verzorging",
            "04", "Kortdurend verblijf",
            "05", "Woondiensten",
            "06", "Overige ondersteuning gericht op het individu of huishouden/gezin",
            "07", "Dagbesteding",
            "08", "Vervoerdiensten",
            "09", "Overige groepsgerichte ondersteuning",
            "10", "Overige maatwerk arrangementen",
            "11", "Rolstoelen",
            "12", "Vervoervoorzieningen",
            "13", "Woonvoorzieningen",
            "14", "Overige hulpmiddelen",
            "15", "Beschermd wonen",
            "16", "Opvang",
            "17", "Spoedopvang",
            "18", "Overige beschermd wonen en opvang");

    /** Eenheid (WJ756): code to description. */
    public static final Map<String, String> EENHEDEN = ordered(
            Omvang.EENHEID_MINUUT, "Minuut",
            Omvang.EENHEID_UUR, "Uur",
            Omvang.EENHEID_ETMAAL, "Etmaal",
            Omvang.EENHEID_DAGDEEL, "Dagdeel (4 uur)",
            Omvang.EENHEID_STUKS_OUTPUT, "Stuks (output)",
            Omvang.EENHEID_EURO, "Euro's",
            Omvang.EENHEID_STUKS_INSPANNING, "Stuks (inspanning)");

    /** Frequentie (WMO757): code to description. */
    public static final Map<String, String> FREQUENTIES = ordered(
            Omvang.FREQUENTIE_PER_DAG, "Per dag",
            Omvang.FREQUENTIE_PER_WEEK, "Per week",
            Omvang.FREQUENTIE_PER_MAAND, "Per maand",
            Omvang.FREQUENTIE_TOTAAL, "Totaal binnen geldigheidsduur toewijzing");

    /** Verwijzer type (COD327): code to description. Code 07 does not exist in iWmo. */
    public static final Map<String, String> VERWIJZER_TYPES = ordered(
            VERWIJZER_GEMEENTE, "Gemeente",
            VERWIJZER_HUISARTS, "Huisarts",
            "03", "Jeugdarts",
            "04", "Gecertificeerde instelling",
            VERWIJZER_MEDISCH_SPECIALIST, "Medisch specialist",
            VERWIJZER_ZELFVERWIJZER, "Zelfverwijzer/geen verwijzer",
            "08", "Rechter, Officier van Justitie, functionaris Justitiele jeugdinrichting");

    /** Geslacht (COD046): code to description. */
    public static final Map<String, String> GESLACHTEN = ordered(
            "0", "Onbekend",
            "1", "Mannelijk",
            "2", "Vrouwelijk");

    /**
     * Retourcode (WJ001, the subset iWmo 3.2 allows in LDT_RetourCode): code to its official
     * description, for people reading a retour.
     */
    public static final Map<String, String> RETOURCODES = ordered(
            "0001", "Bericht is afgekeurd om technische redenen.",
            "0200", "Geen opmerking over deze berichtklasse.",
            "0233", "Berichtklasse is niet beoordeeld.",
            "0611", "Het ingediende tarief komt niet overeen met het contractuele tarief",
            "8001", "Declaratie is volledig toegewezen.",
            "8017", "Van deze credit prestatie is geen debet prestatie bekend.",
            "8021", "Referentienummer prestatie is reeds aangeleverd.",
            "8187", "De prestatie hoort niet bij deze client.",
            "8214", "DeclaratiePeriode is niet de kalendermaand die volgt op voorgaande DeclaratiePeriode terwijl iedere declaratieperiode zorg geleverd is.",
            "8848", "Dagtekening moet gelijk zijn aan of voor de systeemdatum liggen.",
            "9019", "Het regie bericht kan niet gekoppeld worden aan een toewijzing.",
            "9056", "Identificatie moet per berichtsoort uniek zijn voor de verzendende partij.",
            "9063", "Het bericht kan niet verwerkt worden omdat geen eerder bericht ontvangen is.",
            "9069", "Er is geen actueel startbericht met dezelfde sleutel.",
            "9071", "Het eerdere start bericht kan niet verwijderd worden omdat de zorg al beeindigd is",
            "9074", "Er is al een eerder bericht ontvangen met dezelfde sleutel.",
            "9307", "Begindatum prestatie ligt niet tussen de ingangsdatum en einddatum toewijzing",
            "9308", "Einddatum prestatie ligt niet tussen de ingangsdatum en einddatum toewijzing",
            "9319", "De ProductPeriode valt niet geheel binnen een DeclaratiePeriode.",
            "9321", "Het ingediende volume overschrijdt het toegewezen volume.",
            "9322", "De som van de ingediende volumes overschrijdt het toegewezen volume",
            "9326", "De actuele levering is nog niet gestopt met een Stopbericht.",
            "9332", "Toewijzing heeft geen uniek nummer binnen wettelijk domein.",
            "9333", "Declaratienummer is niet uniek",
            "9338", "Niet iedere prestatie in een declaratiebericht is gerelateerd aan een toegewezen product op basis van het toewijzingnummer",
            "9339", "ProductCategorie in de prestatie is niet gelijk aan ProductCategorie in het ToegewezenProduct.",
            "9340", "ProductCode in de Prestatie is niet gelijk aan ProductCode in het ToegewezenProduct.",
            "9341", "Eenheid in de Prestatie past niet bij Eenheid in het ToegewezenProduct",
            "9346", "Eenheid is ongelijk is aan waarde 83 (Euro's), maar IngediendBedrag is niet gelijk aan GeleverdVolume vermenigvuldigd met (het onafgeronde) ProductTarief.",
            "9347", "ReferentieAanbieder is niet uniek voor de aanbieder binnen het wettelijk domein",
            "9349", "Het VOW bericht bevat niet alle actuele toegewezen producten van de client, hetzij in OngewijzigdProduct, hetzij in TeWijzigenProduct",
            "9350", "OngewijzigdProduct is niet gerelateerd aan een actueel toegewezen product op basis van het toewijzingnummer.",
            "9351", "TeWijzigenProduct is niet gerelateerd aan een actuele toewijzing op basis van ToewijzingNummer.",
            "9355", "ReferentieAanbieder in het antwoordbericht komt niet voor in een eerder verzoek om toewijzing of verzoek om wijziging",
            "9357", "GewensteIngangsdatum is kleiner dan of gelijk aan de dagtekening, maar niet gelijk aan de ingangsdatum van het originele ToegewezenProduct.",
            "9359", "Er is al een toewijzing gestuurd met deze ReferentieAanbieder.",
            "9360", "Er is al een antwoordbericht met deze ReferentieAanbieder, terwijl antwoordbericht in VerzoekAntwoord waarde 2 (aanvraag in onderzoek) heeft.",
            "9361", "Het product komt vaker voor met overlappende zorgperiodes.",
            "9365", "Er is al een antwoordbericht met dezelfde ReferentieAanbieder waar VerzoekAntwoord niet de waarde 'Aanvraag in onderzoek' heeft.",
            "9366", "ProductReferentie komt niet voor in een Declaratiebericht",
            "9367", "De waarde komt niet overeen met de waarde uit heenbericht met gelijke ProductReferentie",
            "9369", "Budget is meegegeven, maar de som van GeleverdVolume in alle ingediende Prestaties passen niet binnen het toegewezen Budget.",
            "9373", "Budget is gewijzigd, maar GewensteIngangsdatum is niet gelijk aan die in de actuele toewijzing",
            "9374", "Er is al een verzoek onderhanden.",
            "9375", "Omvang is gevuld, terwijl Product in toewijzing met ToewijzingNummer leeg is en Einddatum groter dan 31-12-2020 of leeg is",
            "9379", "ReferentieAanbieder refereert niet naar een verzoek om toewijzing of verzoek om wijziging, is onterecht gevuld",
            "9384", "Declaratie op toewijzing met RedenWijziging \"13\" (Verwijderd)",
            "9385", "Toewijzing heeft goedgekeurde declaratieregels",
            "9387", "Begindatum van de ProductPeriode is niet eerste dag van de kalendermaand waarop ProductPeriode betrekking heeft en Ingangsdatum van de toewijzing ligt niet later in deze betreffende maand",
            "9388", "Einddatum van de ProductPeriode is niet laatste dag van de kalendermaand waarop ProductPeriode betrekking heeft en Einddatum van de toewijzing ligt niet eerder in deze betreffende maand.",
            "9389", "Deze prestatie heeft een debetprestatie zonder bijbehorende creditprestatie",
            "9390", "Er is al een Prestatie met gelijk ProductReferentie met waarde Credit",
            "9411", "Omvang is leeg, terwijl Code in Product bij de toewijzing met ToewijzingNummer gevuld is.",
            "9412", "Omvang is niet leeg, terwijl Code in Product bij de toewijzing met ToewijzingNummer leeg is en einddatum groter dan 31-12-2020 of leeg is",
            "9413", "StatusAanlevering is waarde 1 of 2 en RedenBeeindiging heeft waarde 20, terwijl er al een ander StopProduct met hetzelfde Bsn, ToewijzingNummer, Begindatum en RedenBeeindiging waarde 20 is.",
            "9414", "Einddatum is niet >= aan Einddatum uit actuele StopProduct met gelijk Bsn, ToewijzingNummer en Begindatum",
            "9415", "Er is al een StopProduct met gelijk Bsn, ToewijzingNummer, Begindatum en RedenBeeindiging <> waarde 20 en StatusAanlevering heeft waarde 1 of 2.",
            "S300", "Gemeentecode komt niet voor in de lijst van CBS.",
            "S329", "ProductCode hoort niet bij de ProductCategorie.");

    private IwmoCodes() {
    }

    /**
     * The omvang in Dutch words, as a consulent would write it: "180 minuten per week",
     * "1 uur per dag", "4 dagdelen per week", "12 stuks in totaal".
     *
     * @throws IllegalArgumentException if the eenheid or frequentie is not an iWmo code
     */
    public static String omschrijving(Omvang omvang) {
        return omvang.volume() + " " + eenheidInWoorden(omvang) + " " + frequentieInWoorden(omvang.frequentie());
    }

    /** "0001 (Bericht is afgekeurd om technische redenen.)"; a code outside WJ001 says so. */
    public static String retourcodeInWoorden(String code) {
        return code + " (" + RETOURCODES.getOrDefault(code, "geen iWmo 3.2 retourcode") + ")";
    }

    private static String eenheidInWoorden(Omvang omvang) {
        boolean een = omvang.volume() == 1;
        return switch (omvang.eenheid()) {
            case Omvang.EENHEID_MINUUT -> een ? "minuut" : "minuten";
            case Omvang.EENHEID_UUR -> "uur"; // Dutch keeps "uur" after a number: "3 uur"
            case Omvang.EENHEID_ETMAAL -> een ? "etmaal" : "etmalen";
            case Omvang.EENHEID_DAGDEEL -> een ? "dagdeel" : "dagdelen";
            case Omvang.EENHEID_STUKS_OUTPUT, Omvang.EENHEID_STUKS_INSPANNING -> een ? "stuk" : "stuks";
            case Omvang.EENHEID_EURO -> "euro";
            default -> throw new IllegalArgumentException(
                    "Omvang.eenheid '" + omvang.eenheid() + "' is not an iWmo eenheid (WJ756): expected one of "
                            + EENHEDEN.keySet());
        };
    }

    private static String frequentieInWoorden(String frequentie) {
        return switch (frequentie) {
            case Omvang.FREQUENTIE_PER_DAG -> "per dag";
            case Omvang.FREQUENTIE_PER_WEEK -> "per week";
            case Omvang.FREQUENTIE_PER_MAAND -> "per maand";
            case Omvang.FREQUENTIE_TOTAAL -> "in totaal";
            default -> throw new IllegalArgumentException(
                    "Omvang.frequentie '" + frequentie + "' is not an iWmo frequentie (WMO757): expected one of "
                            + FREQUENTIES.keySet());
        };
    }

    private static Map<String, String> ordered(String... codesAndDescriptions) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < codesAndDescriptions.length; i += 2) {
            map.put(codesAndDescriptions[i], codesAndDescriptions[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
