package nl.wmogateway.plan;

import java.util.Optional;

/** The care organisation (aanbieder) sending the plan: AGB code (8 digits), optional URA, name. */
public record Zorgorganisatie(String agbCode, Optional<String> uraNummer, String naam) {}
