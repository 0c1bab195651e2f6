package nl.wmogateway.plan;

import java.time.LocalDate;
import java.util.Optional;

/**
 * CRvB step 5: one requested maatwerkvoorziening.
 *
 * @param referentieAanbieder the gateway-assigned iWmo ReferentieAanbieder (max 36 characters),
 *                            the key that correlates the gemeente's answer with this request
 * @param categorie           iWmo productcategorie (2 digits, e.g. "01" hulp bij het huishouden)
 * @param code                the gemeente's productcode (max 5 characters), when given
 * @param omschrijving        the provision in words
 * @param omvang              the requested volume; present whenever a productcode is present
 * @param ingangsdatum        requested start date
 * @param einddatum           requested end date; empty when open-ended
 * @param evaluatiedatum      the evaluation moment; required when the request is open-ended
 * @param motivering          why this provision is needed once steps 1-4 are taken into account
 */
public record AangevraagdProduct(
        String referentieAanbieder,
        String categorie,
        Optional<String> code,
        String omschrijving,
        Optional<Omvang> omvang,
        LocalDate ingangsdatum,
        Optional<LocalDate> einddatum,
        Optional<LocalDate> evaluatiedatum,
        String motivering) {}
