package nl.wmogateway.plan;

import java.util.Optional;
import java.util.Set;

/**
 * Who referred the client, as the WMO315 says it (iWmo Verwijzer), agreed per gemeente. For a
 * huisarts, jeugdarts, gecertificeerde instelling or medisch specialist (types 02 to 05) iWmo needs
 * either the referrer's AGB code (ZorgverlenerCode) or, without it, the name (CD066, CD067); for
 * the other types no ZorgverlenerCode (CD068).
 *
 * @param type             iWmo COD327, e.g. "06" zelfverwijzer/geen verwijzer
 * @param naam             the referring person or organisation (at most 64 characters)
 * @param zorgverlenerCode the referrer's AGB code (8 digits)
 */
public record Verwijzer(String type, Optional<String> naam, Optional<String> zorgverlenerCode) {

    /** The types that name their referrer (CD066 to CD068). */
    public static final Set<String> MET_ZORGVERLENER = Set.of("02", "03", "04", "05");

    public static final int MAX_NAAM = 64;

    public Verwijzer {
        naam = naam == null ? Optional.empty() : naam.filter(s -> !s.isBlank());
        zorgverlenerCode = zorgverlenerCode == null ? Optional.empty() : zorgverlenerCode.filter(s -> !s.isBlank());
    }

    public static Verwijzer ofType(String type) {
        return new Verwijzer(type, Optional.empty(), Optional.empty());
    }

    /** What iWmo's conditions CD066 to CD068 say is wrong with this verwijzer; empty when nothing. */
    public Optional<String> problem() {
        if (MET_ZORGVERLENER.contains(type)) {
            if (zorgverlenerCode.isPresent() && naam.isPresent()) {
                return Optional.of("Verwijzer type " + type + " with a ZorgverlenerCode has no Naam (CD066)");
            }
            if (zorgverlenerCode.isEmpty() && naam.isEmpty()) {
                return Optional.of("Verwijzer type " + type
                        + " needs the referrer's ZorgverlenerCode (AGB) or, without it," + " a Naam (CD067)");
            }
        } else if (zorgverlenerCode.isPresent()) {
            return Optional.of("Verwijzer type " + type + " has no ZorgverlenerCode; only types 02 to 05 do (CD068)");
        }
        if (zorgverlenerCode.filter(c -> !c.matches("[0-9]{8}")).isPresent()) {
            return Optional.of(
                    "Verwijzer ZorgverlenerCode must be an AGB code of 8 digits, got '" + zorgverlenerCode.get() + "'");
        }
        if (naam.filter(n -> n.codePointCount(0, n.length()) > MAX_NAAM).isPresent()) {
            return Optional.of("Verwijzer Naam has at most " + MAX_NAAM + " characters");
        }
        return Optional.empty();
    }
}
