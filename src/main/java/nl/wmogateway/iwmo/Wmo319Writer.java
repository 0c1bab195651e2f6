package nl.wmogateway.iwmo;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A gemeente's answer to a verzoek om toewijzing (WMO315) or verzoek om wijziging (WMO317) that it
 * does not (yet) honour, as an iWmo 3.2 WMO319 antwoordbericht (BerichtCode 482) from the gemeente
 * (Afzender) to the aanbieder (Ontvanger). One Antwoord per message, as the XSD allows only one;
 * a granted verzoek is answered with a WMO301 instead.
 *
 * <p>RedenAfwijzingVerzoek is required when VerzoekAntwoord is 1 (afgewezen, CD085) and must be
 * empty when it is 2 (in onderzoek, CD086): the official XSD makes it optional, the XSLT rules
 * reject the message with 0001 otherwise. Input is checked against the XSD, those two rules and
 * TR135 (Dagtekening not after today); all problems are reported together in one
 * {@link IllegalArgumentException}. Not checked, because they need state: TR355, TR359, TR360,
 * TR365; run {@link IwmoRules#wmo319} with a {@link IwmoRules.Historie} for those.
 */
public final class Wmo319Writer {

    public static final String NS_WMO319 = IwmoCodes.namespace("wmo319");
    public static final String BERICHT_CODE = "482";

    /** VerzoekAntwoord (WJ760): code to description. */
    public static final Map<String, String> VERZOEK_ANTWOORDEN = ordered(
            IwmoRules.VERZOEK_AFGEWEZEN, "Verzoek afgewezen",
            IwmoRules.AANVRAAG_IN_ONDERZOEK, "Aanvraag in onderzoek");

    /** RedenAfwijzingVerzoek (WJ759): code to description. */
    public static final Map<String, String> REDENEN_AFWIJZING = ordered(
            "1", "Geen wijziging, maar nieuwe aanvraag",
            "2", "Past niet binnen budget",
            "3", "Geen contract",
            "4", "Past niet binnen contract",
            "5", "Andere gemeente",
            "6", "Stapeling",
            "7", "Zorginhoudelijke afkeur",
            "8", "Woonplaatsbeginsel",
            "9", "Leeftijdsgrens is bereikt");

    private static final int MAX_REFERENTIE = 36;

    private final Clock clock;

    /** A writer that takes "today" (for TR135) from the Dutch calendar. */
    public Wmo319Writer() {
        this(Clock.system(ZoneId.of("Europe/Amsterdam")));
    }

    /** A writer that takes "today" from {@code clock}, e.g. a fixed clock in tests. */
    public Wmo319Writer(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The WMO319.
     *
     * @param header                Afzender the gemeentecode, Ontvanger the aanbieder's AGB code
     * @param referentieAanbieder   the ReferentieAanbieder of the verzoek this answers
     * @param verzoekAntwoord       WJ760: {@code "1"} verzoek afgewezen, {@code "2"} aanvraag in onderzoek
     * @param redenAfwijzingVerzoek WJ759 {@code "1"} to {@code "9"}; present exactly when {@code verzoekAntwoord} is 1
     * @throws IllegalArgumentException listing every problem, when the aanbieder would reject the
     *                                  message or the XSD would not accept it
     */
    public byte[] write(
            IwmoHeader header,
            String referentieAanbieder,
            String verzoekAntwoord,
            Optional<String> redenAfwijzingVerzoek) {
        Objects.requireNonNull(redenAfwijzingVerzoek, "redenAfwijzingVerzoek");
        Optional<String> reden = IwmoXml.present(redenAfwijzingVerzoek);
        Problems p = new Problems();
        p.gemeenteHeader(header);
        p.line("Antwoord/ReferentieAanbieder", referentieAanbieder, MAX_REFERENTIE);
        p.code("Antwoord/VerzoekAntwoord", verzoekAntwoord, VERZOEK_ANTWOORDEN.keySet(), "verzoek antwoord (WJ760)");
        reden.ifPresent(v -> p.code(
                "Antwoord/RedenAfwijzingVerzoek", v, REDENEN_AFWIJZING.keySet(), "reden afwijzing verzoek (WJ759)"));
        if (header != null) {
            p.addAll(IwmoRules.wmo319(header, referentieAanbieder, verzoekAntwoord, reden, LocalDate.now(clock))
                    .meldingen());
        }
        p.failIfAny("Cannot write iWmo WMO319");

        return IwmoXml.bericht("wmo319", NS_WMO319, xml -> {
            xml.start(NS_WMO319, "Header");
            xml.header(BERICHT_CODE, header);
            xml.end();
            xml.start(NS_WMO319, "Antwoord");
            xml.leaf(NS_WMO319, "ReferentieAanbieder", referentieAanbieder);
            xml.leaf(NS_WMO319, "VerzoekAntwoord", verzoekAntwoord);
            xml.optionalLeaf(NS_WMO319, "RedenAfwijzingVerzoek", reden);
            xml.end();
        });
    }

    private static Map<String, String> ordered(String... codesAndDescriptions) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < codesAndDescriptions.length; i += 2) {
            map.put(codesAndDescriptions[i], codesAndDescriptions[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
