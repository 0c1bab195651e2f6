package nl.wmogateway.besluit;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Optional;
import nl.wmogateway.plan.Omvang;

/**
 * The decision on one product.
 *
 * @param referentieAanbieder the ReferentieAanbieder of the requested product this decides on; empty
 *                            for a product the gemeente grants that was not requested
 * @param uitkomst            granted, rejected or still being investigated
 * @param categorie           iWmo productcategorie (2 digits)
 * @param code                the gemeente's productcode (max 5 characters)
 * @param omvang              the granted volume; required when granted with a productcode (iWmo CD041)
 * @param ingangsdatum        start of the toewijzing; required when granted
 * @param einddatum           end of the toewijzing; empty when open-ended (passend beschikken)
 * @param evaluatiedatum      the evaluation moment, for an open-ended or multi-year grant
 * @param redenAfwijzing      iWmo WJ759 RedenAfwijzingVerzoek, when rejected
 * @param toewijzingNummer    the gemeente's ToewijzingNummer for a granted product (iWmo: the gemeente
 *                            assigns it; the care organisation uses it in every later message)
 * @param toewijzingsmoment   the gemeente's Toewijzingsdatum and -tijd, when it gave them
 */
public record ProductBesluit(
        Optional<String> referentieAanbieder,
        Uitkomst uitkomst,
        String categorie,
        Optional<String> code,
        Optional<Omvang> omvang,
        Optional<LocalDate> ingangsdatum,
        Optional<LocalDate> einddatum,
        Optional<LocalDate> evaluatiedatum,
        Optional<String> redenAfwijzing,
        Optional<Long> toewijzingNummer,
        Optional<LocalDateTime> toewijzingsmoment) {

    public ProductBesluit {
        toewijzingNummer = toewijzingNummer == null ? Optional.empty() : toewijzingNummer;
        toewijzingsmoment = toewijzingsmoment == null ? Optional.empty() : toewijzingsmoment;
    }

    /** A decision without the gemeente's toewijzing number and moment. */
    public ProductBesluit(
            Optional<String> referentieAanbieder,
            Uitkomst uitkomst,
            String categorie,
            Optional<String> code,
            Optional<Omvang> omvang,
            Optional<LocalDate> ingangsdatum,
            Optional<LocalDate> einddatum,
            Optional<LocalDate> evaluatiedatum,
            Optional<String> redenAfwijzing) {
        this(
                referentieAanbieder,
                uitkomst,
                categorie,
                code,
                omvang,
                ingangsdatum,
                einddatum,
                evaluatiedatum,
                redenAfwijzing,
                Optional.empty(),
                Optional.empty());
    }

    /** The outcome for one product. */
    public enum Uitkomst {
        TOEGEKEND,
        AFGEWEZEN,
        IN_ONDERZOEK
    }
}
