package nl.wmogateway.plan;

import java.util.Optional;

/**
 * The care professional who wrote the plan.
 *
 * @param naam      display name
 * @param rol       role as text (e.g. "wijkverpleegkundige"), from PractitionerRole.code
 * @param bigNummer BIG registration number, when given
 * @param agbCode   personal AGB code, when given
 * @param uziNummer UZI person number, when given
 */
public record Professional(
        String naam,
        Optional<String> rol,
        Optional<String> bigNummer,
        Optional<String> agbCode,
        Optional<String> uziNummer) {}
