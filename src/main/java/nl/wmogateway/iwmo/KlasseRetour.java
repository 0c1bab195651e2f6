package nl.wmogateway.iwmo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One berichtklasse of a heenbericht as its retour echoes it: which class, its key, and the
 * retourcodes for it. {@link IwmoRetour} checks that the classes fit the berichtsoort.
 *
 * @param klasse      "Client" or "ToegewezenProduct" in a WMO302, "Antwoord" in a WMO320
 * @param sleutel     the class's key in the heenbericht: the Bsn of the Client, the ToewijzingNummer
 *                    of a ToegewezenProduct, the ReferentieAanbieder of the Antwoord
 * @param retourcodes at least one: 0200 no remark, 0233 not assessed, otherwise the code of the
 *                    rule the class broke
 */
public record KlasseRetour(String klasse, Optional<String> sleutel, List<String> retourcodes) {

    public KlasseRetour {
        Objects.requireNonNull(klasse, "klasse");
        Objects.requireNonNull(sleutel, "sleutel");
        retourcodes = List.copyOf(retourcodes);
    }

    /** The Client class of a WMO302, keyed by its Bsn. */
    public static KlasseRetour client(String bsn, String... retourcodes) {
        return new KlasseRetour(IwmoRules.KLASSE_CLIENT, Optional.of(bsn), List.of(retourcodes));
    }

    /** A ToegewezenProduct class of a WMO302, keyed by its ToewijzingNummer. */
    public static KlasseRetour toegewezenProduct(long toewijzingNummer, String... retourcodes) {
        return new KlasseRetour(IwmoRules.KLASSE_TOEGEWEZEN_PRODUCT, Optional.of(Long.toString(toewijzingNummer)),
                List.of(retourcodes));
    }

    /** The Antwoord class of a WMO320, keyed by its ReferentieAanbieder. */
    public static KlasseRetour antwoord(String referentieAanbieder, String... retourcodes) {
        return new KlasseRetour(IwmoRules.KLASSE_ANTWOORD, Optional.of(referentieAanbieder), List.of(retourcodes));
    }

    /** True when every code says "no remark" (0200) or "not assessed" (0233). */
    public boolean geaccepteerd() {
        return retourcodes.stream().allMatch(IwmoRetour::isAcceptatiecode);
    }
}
