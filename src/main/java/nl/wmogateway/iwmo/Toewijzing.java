package nl.wmogateway.iwmo;

import java.time.LocalDate;
import java.util.Optional;
import nl.wmogateway.plan.Omvang;

/**
 * One ToegewezenProduct of a WMO301.
 *
 * @param toewijzingNummer    unique per gemeente (TR332); a changed toewijzing keeps its number
 * @param referentieAanbieder the ReferentieAanbieder of the WMO315 product it answers (TR379: only then)
 * @param categorie           iWmo productcategorie
 * @param code                the gemeente's productcode
 * @param omvang              required when code is present (TR411), absent otherwise (TR412)
 * @param ingangsdatum        start
 * @param einddatum           end; empty when open-ended
 * @param redenWijziging      WMO002, when this replaces an earlier toewijzing with the same number
 * @param commentaar          free text (e.g. the evaluation date of an open-ended toewijzing)
 */
public record Toewijzing(long toewijzingNummer, Optional<String> referentieAanbieder, String categorie,
                         Optional<String> code, Optional<Omvang> omvang, LocalDate ingangsdatum,
                         Optional<LocalDate> einddatum, Optional<String> redenWijziging, Optional<String> commentaar) {
}
