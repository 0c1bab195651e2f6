package nl.wmogateway.plan;

/**
 * iWmo Omvang: volume, eenheid (WJ756) and frequentie (WMO757); 180 minutes per week is
 * {@code new Omvang(180, "01", "2")}.
 */
public record Omvang(int volume, String eenheid, String frequentie) {

    public static final String EENHEID_MINUUT = "01";
    public static final String EENHEID_UUR = "04";
    public static final String EENHEID_ETMAAL = "14";
    public static final String EENHEID_DAGDEEL = "16";
    public static final String EENHEID_STUKS_OUTPUT = "82";
    public static final String EENHEID_EURO = "83";
    public static final String EENHEID_STUKS_INSPANNING = "84";

    public static final String FREQUENTIE_PER_DAG = "1";
    public static final String FREQUENTIE_PER_WEEK = "2";
    public static final String FREQUENTIE_PER_MAAND = "4";
    public static final String FREQUENTIE_TOTAAL = "6";
}
