package nl.wmogateway.iwmo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One berichtklasse of a heenbericht as its retour echoes it: which class, its key, the
 * ReferentieAanbieder of the product it is about (if any), and the retourcodes for it.
 *
 * <p>Used in both directions: {@link IwmoRetour#klassen()} lists every class a retour echoed, in
 * the order of the message; and when a retour is written ({@link IwmoRetourXml#retour}), a
 * KlasseRetour says which codes a class gets (an empty {@code sleutel} means every class of that
 * name).
 *
 * @param klasse              Client, Relatie, Contact or ToegewezenProduct (WMO302); Client or
 *                            AangevraagdProduct (WMO316); Antwoord (WMO320)
 * @param sleutel             the class's key in the heenbericht: the Bsn of the Client, the Nummer of a
 *                            Relatie, the ToewijzingNummer of a ToegewezenProduct, the
 *                            ReferentieAanbieder of an AangevraagdProduct or Antwoord; a Contact has none
 * @param referentieAanbieder the aanbieder's reference of the product the class is about: the
 *                            ReferentieAanbieder of a ToegewezenProduct, AangevraagdProduct or Antwoord
 * @param retourcodes         0200 no remark, 0233 not assessed, otherwise the code of the rule the class broke
 */
public record KlasseRetour(
        String klasse, Optional<String> sleutel, Optional<String> referentieAanbieder, List<String> retourcodes) {

    /** A Relatie of the Client in a WMO301 / WMO302, keyed by its Nummer. */
    public static final String RELATIE = "Relatie";
    /** A requested product in a WMO315 / WMO316, keyed by its ReferentieAanbieder. */
    public static final String AANGEVRAAGD_PRODUCT = "AangevraagdProduct";

    public KlasseRetour {
        Objects.requireNonNull(klasse, "klasse");
        Objects.requireNonNull(sleutel, "sleutel");
        Objects.requireNonNull(referentieAanbieder, "referentieAanbieder");
        retourcodes = List.copyOf(retourcodes);
    }

    /** A class without a separate ReferentieAanbieder, or one keyed by it (Antwoord, AangevraagdProduct). */
    public KlasseRetour(String klasse, Optional<String> sleutel, List<String> retourcodes) {
        this(klasse, sleutel, isGekeyedOpReferentie(klasse) ? sleutel : Optional.empty(), retourcodes);
    }

    /** The Client class, keyed by its Bsn. */
    public static KlasseRetour client(String bsn, String... retourcodes) {
        return new KlasseRetour(IwmoRules.KLASSE_CLIENT, Optional.of(bsn), List.of(retourcodes));
    }

    /** A ToegewezenProduct class of a WMO302, keyed by its ToewijzingNummer. */
    public static KlasseRetour toegewezenProduct(long toewijzingNummer, String... retourcodes) {
        return new KlasseRetour(
                IwmoRules.KLASSE_TOEGEWEZEN_PRODUCT,
                Optional.of(Long.toString(toewijzingNummer)),
                List.of(retourcodes));
    }

    /** An AangevraagdProduct class of a WMO316, keyed by its ReferentieAanbieder. */
    public static KlasseRetour aangevraagdProduct(String referentieAanbieder, String... retourcodes) {
        return new KlasseRetour(AANGEVRAAGD_PRODUCT, Optional.of(referentieAanbieder), List.of(retourcodes));
    }

    /** The Antwoord class of a WMO320, keyed by its ReferentieAanbieder. */
    public static KlasseRetour antwoord(String referentieAanbieder, String... retourcodes) {
        return new KlasseRetour(IwmoRules.KLASSE_ANTWOORD, Optional.of(referentieAanbieder), List.of(retourcodes));
    }

    /** True for the classes that are about one product: ToegewezenProduct, AangevraagdProduct, Antwoord. */
    public boolean isProduct() {
        return IwmoRules.KLASSE_TOEGEWEZEN_PRODUCT.equals(klasse) || isGekeyedOpReferentie(klasse);
    }

    /** The ToewijzingNummer of a ToegewezenProduct. */
    public Optional<Long> toewijzingNummer() {
        return IwmoRules.KLASSE_TOEGEWEZEN_PRODUCT.equals(klasse) ? sleutel.map(Long::parseLong) : Optional.empty();
    }

    /** True when every code says "no remark" (0200), "not assessed" (0233) or 8001. */
    public boolean geaccepteerd() {
        return retourcodes.stream().allMatch(IwmoRetour::isAcceptatiecode);
    }

    private static boolean isGekeyedOpReferentie(String klasse) {
        return IwmoRules.KLASSE_ANTWOORD.equals(klasse) || AANGEVRAAGD_PRODUCT.equals(klasse);
    }
}
