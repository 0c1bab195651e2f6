package nl.wmogateway.plan;

import java.time.LocalDate;
import java.util.Optional;

/**
 * CRvB step 3: what support is needed on one leefgebied, stated as the goal it should reach.
 *
 * @param leefgebied   the life domain
 * @param omschrijving the goal / support need in words
 * @param streefdatum  when the goal should be reached, when given
 */
public record Doel(Leefgebied leefgebied, String omschrijving, Optional<LocalDate> streefdatum) {}
