package nl.wmogateway.plan;

import java.util.Arrays;
import java.util.Optional;

/**
 * The life domains (resultaatgebieden) a plan is organised by. Codes are those of the gateway's
 * CodeSystem {@value #SYSTEM}.
 */
public enum Leefgebied {
    REGIE_EN_STRUCTUUR("regie-structuur", "Regie en structuur in het dagelijks leven"),
    SOCIAAL_NETWERK("sociaal-netwerk", "Sociaal netwerk en sociaal functioneren"),
    THUISADMINISTRATIE("thuisadministratie", "Thuisadministratie"),
    DAGBESTEDING("dagbesteding", "Zinvolle dagbesteding en arbeidsparticipatie"),
    ZELFZORG("zelfzorg", "Zelfzorg"),
    MANTELZORGONDERSTEUNING("mantelzorgondersteuning", "Mantelzorgondersteuning"),
    HUISHOUDEN("huishouden", "Huishouden"),
    MOBILITEIT("mobiliteit", "Mobiliteit en vervoer");

    public static final String SYSTEM = "https://wmo-gateway.nl/fhir/CodeSystem/leefgebied";

    private final String code;
    private final String omschrijving;

    Leefgebied(String code, String omschrijving) {
        this.code = code;
        this.omschrijving = omschrijving;
    }

    public String code() {
        return code;
    }

    public String omschrijving() {
        return omschrijving;
    }

    public static Optional<Leefgebied> fromCode(String code) {
        return Arrays.stream(values()).filter(l -> l.code.equals(code)).findFirst();
    }
}
