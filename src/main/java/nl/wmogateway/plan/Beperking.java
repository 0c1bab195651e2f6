package nl.wmogateway.plan;

import java.util.Optional;

/**
 * CRvB step 2: a limitation in self-reliance or participation on one leefgebied.
 *
 * @param leefgebied   the life domain
 * @param omschrijving the limitation in words
 * @param zrmScore     zelfredzaamheidsmatrix score 1-5 for this domain, when measured
 */
public record Beperking(Leefgebied leefgebied, String omschrijving, Optional<Integer> zrmScore) {}
