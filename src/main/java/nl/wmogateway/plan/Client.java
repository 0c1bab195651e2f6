package nl.wmogateway.plan;

import java.time.LocalDate;
import java.util.Optional;

/**
 * The client (inwoner) the plan is about.
 *
 * @param bsn          burgerservicenummer, 9 digits, passes the 11-proef
 * @param geboortedatum date of birth
 * @param geslacht     sex as the iWmo COD046 list codes it
 * @param achternaam   own family name without prefix
 * @param voorvoegsel  family name prefix ("de", "van der")
 * @param voornamen    given names, space separated
 * @param voorletters  initials, letters only, at most 6
 */
public record Client(
        String bsn,
        LocalDate geboortedatum,
        Geslacht geslacht,
        String achternaam,
        Optional<String> voorvoegsel,
        Optional<String> voornamen,
        Optional<String> voorletters) {

    /** iWmo COD046. */
    public enum Geslacht {
        ONBEKEND("0"),
        MAN("1"),
        VROUW("2");

        private final String code;

        Geslacht(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
