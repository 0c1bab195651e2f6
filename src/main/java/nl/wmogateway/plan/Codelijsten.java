package nl.wmogateway.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The iWmo 3.2 code lists of a plan's content that the gateway writes (productcategorie,
 * eenheid, frequentie, geslacht, verwijzer), with their official descriptions, taken from the
 * enumerations in the iWmo basisschema. Each map is unmodifiable and iterates in code order.
 *
 * <p>The eenheid and frequentie codes themselves are constants on {@link Omvang}; this class adds
 * their meaning and {@link #omschrijving(Omvang)}, the one place where an omvang is put into
 * Dutch words for people to read.
 */
public final class Codelijsten {

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
            VERWIJZER_GEMEENTE,
            "Gemeente",
            VERWIJZER_HUISARTS,
            "Huisarts",
            "03",
            "Jeugdarts",
            "04",
            "Gecertificeerde instelling",
            VERWIJZER_MEDISCH_SPECIALIST,
            "Medisch specialist",
            VERWIJZER_ZELFVERWIJZER,
            "Zelfverwijzer/geen verwijzer",
            "08",
            "Rechter, Officier van Justitie, functionaris Justitiele jeugdinrichting");

    /** Geslacht (COD046): code to description. */
    public static final Map<String, String> GESLACHTEN = ordered(
            "0", "Onbekend",
            "1", "Mannelijk",
            "2", "Vrouwelijk");

    /**
     * The omvang in Dutch words, as a consulent would write it: "180 minuten per week",
     * "1 uur per dag", "4 dagdelen per week", "12 stuks in totaal".
     *
     * @throws IllegalArgumentException if the eenheid or frequentie is not an iWmo code
     */
    public static String omschrijving(Omvang omvang) {
        return omvang.volume() + " " + eenheidInWoorden(omvang) + " " + frequentieInWoorden(omvang.frequentie());
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
            default ->
                throw new IllegalArgumentException("Omvang.eenheid '" + omvang.eenheid()
                        + "' is not an iWmo eenheid (WJ756): expected one of " + EENHEDEN.keySet());
        };
    }

    private static String frequentieInWoorden(String frequentie) {
        return switch (frequentie) {
            case Omvang.FREQUENTIE_PER_DAG -> "per dag";
            case Omvang.FREQUENTIE_PER_WEEK -> "per week";
            case Omvang.FREQUENTIE_PER_MAAND -> "per maand";
            case Omvang.FREQUENTIE_TOTAAL -> "in totaal";
            default ->
                throw new IllegalArgumentException("Omvang.frequentie '" + frequentie
                        + "' is not an iWmo frequentie (WMO757): expected one of " + FREQUENTIES.keySet());
        };
    }

    private Codelijsten() {}

    private static Map<String, String> ordered(String... codesAndDescriptions) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < codesAndDescriptions.length; i += 2) {
            map.put(codesAndDescriptions[i], codesAndDescriptions[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
