package nl.wmogateway.iwmo;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The three retours the gateway reads and writes, each with the heenbericht it answers: the
 * BerichtCodes, the namespaces, who sends the heenbericht, and which elements are berichtklassen
 * (each echoed with its own RetourCodes) with the element that keys each one.
 */
enum Retoursoort {
    WMO302(
            "415",
            "WMO301",
            "414",
            false,
            Set.of(IwmoRules.KLASSE_CLIENT),
            Map.of(
                    IwmoRules.KLASSE_CLIENT,
                    "Bsn",
                    KlasseRetour.RELATIE,
                    "Nummer",
                    IwmoRules.KLASSE_CONTACT,
                    "",
                    IwmoRules.KLASSE_TOEGEWEZEN_PRODUCT,
                    "ToewijzingNummer")),
    WMO316(
            "445",
            "WMO315",
            "444",
            true,
            Set.of(IwmoRules.KLASSE_CLIENT),
            Map.of(IwmoRules.KLASSE_CLIENT, "Bsn", KlasseRetour.AANGEVRAAGD_PRODUCT, "ReferentieAanbieder")),
    WMO320(
            "483",
            "WMO319",
            "482",
            false,
            Set.of(IwmoRules.KLASSE_ANTWOORD),
            Map.of(IwmoRules.KLASSE_ANTWOORD, "ReferentieAanbieder"));

    final String berichtCode;
    final String heenbericht;
    final String heenberichtCode;
    /** True when the aanbieder sends the heenbericht (Afzender an AGB code), false for the gemeente. */
    final boolean aanbiederIsAfzender;
    /** The classes directly under {@code Bericht}, after the Header. */
    final Set<String> hoofdklassen;
    /** Every berichtklasse, with the local name of its key element ("" for a class without key). */
    final Map<String, String> klassen;

    Retoursoort(
            String berichtCode,
            String heenbericht,
            String heenberichtCode,
            boolean aanbiederIsAfzender,
            Set<String> hoofdklassen,
            Map<String, String> klassen) {
        this.berichtCode = berichtCode;
        this.heenbericht = heenbericht;
        this.heenberichtCode = heenberichtCode;
        this.aanbiederIsAfzender = aanbiederIsAfzender;
        this.hoofdklassen = hoofdklassen;
        this.klassen = klassen;
    }

    String prefix() {
        return name().toLowerCase(Locale.ROOT);
    }

    String namespace() {
        return IwmoCodes.namespace(prefix());
    }

    String heenberichtPrefix() {
        return heenbericht.toLowerCase(Locale.ROOT);
    }

    String heenberichtNamespace() {
        return IwmoCodes.namespace(heenberichtPrefix());
    }

    boolean isKlasse(String localName) {
        return klassen.containsKey(localName);
    }

    static Optional<Retoursoort> byName(String berichtsoort) {
        return Arrays.stream(values())
                .filter(s -> s.name().equals(berichtsoort))
                .findFirst();
    }

    static Optional<Retoursoort> byNamespace(String namespace) {
        return Arrays.stream(values())
                .filter(s -> s.namespace().equals(namespace))
                .findFirst();
    }

    static Optional<Retoursoort> byHeenberichtNamespace(String namespace) {
        return Arrays.stream(values())
                .filter(s -> s.heenberichtNamespace().equals(namespace))
                .findFirst();
    }
}
