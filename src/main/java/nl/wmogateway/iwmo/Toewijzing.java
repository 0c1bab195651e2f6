package nl.wmogateway.iwmo;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Optional;
import nl.wmogateway.plan.Omvang;

/**
 * One ToegewezenProduct of a WMO301.
 *
 * @param toewijzingNummer    unique per gemeente (TR332); a changed toewijzing keeps its number
 * @param referentieAanbieder the ReferentieAanbieder of the WMO315 product it answers (TR379: only then)
 * @param categorie           iWmo productcategorie
 * @param code                the gemeente's productcode
 * @param omvang              required when code is present (CD041), absent otherwise (CD080)
 * @param ingangsdatum        start
 * @param einddatum           end; empty when open-ended
 * @param redenWijziging      WMO002, when this replaces an earlier toewijzing with the same number
 * @param commentaar          free text (e.g. the evaluation date of an open-ended toewijzing)
 * @param moment              the gemeente's Toewijzingsdatum and -tijd, when it gave them; otherwise
 *                            the message's own moment is written
 */
public record Toewijzing(
        long toewijzingNummer,
        Optional<String> referentieAanbieder,
        String categorie,
        Optional<String> code,
        Optional<Omvang> omvang,
        LocalDate ingangsdatum,
        Optional<LocalDate> einddatum,
        Optional<String> redenWijziging,
        Optional<String> commentaar,
        Optional<LocalDateTime> moment) {

    public Toewijzing {
        moment = moment == null ? Optional.empty() : moment;
    }

    /** Without a moment of its own. */
    public Toewijzing(
            long toewijzingNummer,
            Optional<String> referentieAanbieder,
            String categorie,
            Optional<String> code,
            Optional<Omvang> omvang,
            LocalDate ingangsdatum,
            Optional<LocalDate> einddatum,
            Optional<String> redenWijziging,
            Optional<String> commentaar) {
        this(
                toewijzingNummer,
                referentieAanbieder,
                categorie,
                code,
                omvang,
                ingangsdatum,
                einddatum,
                redenWijziging,
                commentaar,
                Optional.empty());
    }
}
