package nl.wmogateway.besluit;

import java.util.Optional;

/**
 * The client's address as the gemeente knows it (BRP), for the iWmo Contact of a WMO301.
 *
 * @param soort               iWmo COD757 AdresSoort: 01 BRP-adres, 02 correspondentie, 03 verblijf
 * @param straatnaam          street (iWmo max 24 characters)
 * @param huisnummer          house number 0..99999
 * @param huisletter          house letter, one character
 * @param huisnummerToevoeging addition, max 4 characters
 * @param postcode            Dutch postcode "1234AB" when landcode is NL
 * @param plaatsnaam          town (max 80 characters)
 * @param landcode            ISO 3166 alpha-2, NL by default
 * @param telefoon            phone number, digits only (max 15)
 */
public record Contactadres(
        String soort,
        String straatnaam,
        int huisnummer,
        Optional<String> huisletter,
        Optional<String> huisnummerToevoeging,
        String postcode,
        String plaatsnaam,
        String landcode,
        Optional<String> telefoon) {}
