package nl.wmogateway.iwmo;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An iWmo 3.2 retour on a WMO301 (the WMO302, BerichtCode 415) or on a WMO319 (the WMO320,
 * BerichtCode 483), as the aanbieder sends it back within 3 werkdagen (OP090).
 *
 * <p>Structure (invulinstructie IV031): the Header repeats the heenbericht's header unchanged
 * (Afzender stays the gemeente) with the retour's own BerichtCode, and adds IdentificatieRetour,
 * DagtekeningRetour, XsdVersieRetour and optional RetourCodes. What follows depends on the
 * outcome:
 * <ul>
 *   <li>accepted: only the Header, without retourcodes ({@code headerRetourcodes} and
 *       {@code klassen} empty);</li>
 *   <li>rejected by an in-message rule (XSLT level): only the Header with 0001;</li>
 *   <li>rejected at Header level (e.g. TR135): only the Header with that rule's code;</li>
 *   <li>a class rejected by a berichtoverstijgende rule: Header 0200, and every class of the
 *       heenbericht echoed with its codes (0200 no remark, 0233 not assessed, or the rule's code).</li>
 * </ul>
 *
 * <p>A record that exists is valid: the constructor refuses anything the project's retour XSD
 * would, listing every problem in one {@link IllegalArgumentException}. See {@link IwmoRetourXml}
 * for the XML, which is the gateway's own rendering (the official retour XSDs are not available).
 *
 * @param berichtsoort         {@value #WMO302} or {@value #WMO320}
 * @param origineel            the heenbericht's header: Afzender (gemeentecode), Ontvanger (AGB code),
 *                             Identificatie and Dagtekening
 * @param origineleBerichtCode the heenbericht's BerichtCode, 414 for a WMO302 and 482 for a WMO320
 *                             (the XML carries the retour's own code; this pairs the retour with
 *                             its heenbericht by code and identificatie)
 * @param identificatieRetour  the retour's own identification, 1 to 12 characters
 * @param dagtekeningRetour    the retour's date, not before the heenbericht's Dagtekening
 * @param headerRetourcodes    the Header's codes; empty when the heenbericht was accepted
 * @param klassen              the echoed classes, empty unless a class was rejected
 */
public record IwmoRetour(String berichtsoort, IwmoHeader origineel, String origineleBerichtCode,
                         String identificatieRetour, LocalDate dagtekeningRetour, List<String> headerRetourcodes,
                         List<KlasseRetour> klassen) {

    /** Retour on a WMO301 toewijzing. */
    public static final String WMO302 = "WMO302";
    /** Retour on a WMO319 antwoordbericht. */
    public static final String WMO320 = "WMO320";

    /** Retourcode: Bericht is afgekeurd om technische redenen. */
    public static final String TECHNISCH_AFGEKEURD = "0001";
    /** Retourcode: Geen opmerking over deze berichtklasse. */
    public static final String GEEN_OPMERKING = "0200";
    /** Retourcode: Berichtklasse is niet beoordeeld. */
    public static final String NIET_BEOORDEELD = "0233";

    /** Every retourcode iWmo 3.2 allows (the basisschema's LDT_RetourCode, a subset of WJ001). */
    public static final Set<String> RETOURCODES = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(
            "0001", "0200", "0233", "0611", "8001", "8017", "8021", "8187", "8214", "8848", "9019", "9056", "9063",
            "9069", "9071", "9074", "9307", "9308", "9319", "9321", "9322", "9326", "9332", "9333", "9338", "9339",
            "9340", "9341", "9346", "9347", "9349", "9350", "9351", "9355", "9357", "9359", "9360", "9361", "9365",
            "9366", "9367", "9369", "9373", "9374", "9375", "9379", "9384", "9385", "9387", "9388", "9389", "9390",
            "9411", "9412", "9413", "9414", "9415", "S300", "S329")));

    private static final Pattern BSN = Pattern.compile("[0-9]{9}");
    private static final Pattern NUMMER = Pattern.compile("0|[1-9][0-9]{0,8}");
    private static final int MAX_IDENTIFICATIE = 12;
    private static final int MAX_REFERENTIE = 36;

    public IwmoRetour {
        Problems p = new Problems();
        if (!WMO302.equals(berichtsoort) && !WMO320.equals(berichtsoort)) {
            p.add("berichtsoort '" + berichtsoort + "' must be " + WMO302 + " or " + WMO320);
        } else if (!heenberichtCode(berichtsoort).equals(origineleBerichtCode)) {
            p.add("origineleBerichtCode '" + origineleBerichtCode + "' must be " + heenberichtCode(berichtsoort)
                    + " for a " + berichtsoort);
        }
        p.gemeenteHeader(origineel);
        p.line("Header/IdentificatieRetour", identificatieRetour, MAX_IDENTIFICATIE);
        p.required("Header/DagtekeningRetour", dagtekeningRetour);
        if (dagtekeningRetour != null && origineel != null && origineel.dagtekening() != null
                && dagtekeningRetour.isBefore(origineel.dagtekening())) {
            p.add("Header/DagtekeningRetour " + dagtekeningRetour + " lies before the heenbericht's Dagtekening "
                    + origineel.dagtekening());
        }
        if (headerRetourcodes == null) {
            p.add("Header/RetourCodes is missing; use an empty list for none");
        } else {
            retourcodes(p, "Header/RetourCodes", headerRetourcodes);
        }
        if (klassen == null) {
            p.add("klassen is missing; use an empty list for none");
        } else if (!klassen.isEmpty() && WMO302.equals(berichtsoort)) {
            wmo302Klassen(p, klassen);
        } else if (!klassen.isEmpty() && WMO320.equals(berichtsoort)) {
            wmo320Klassen(p, klassen);
        }
        p.failIfAny("Invalid iWmo retour " + berichtsoort);
        headerRetourcodes = List.copyOf(headerRetourcodes);
        klassen = List.copyOf(klassen);
    }

    /**
     * The retour the receiver of a WMO301 or WMO319 sends for {@code beoordeling}: the codes
     * {@link IwmoRules} found, placed as IV031 prescribes.
     */
    public static IwmoRetour voor(IwmoRules.Beoordeling beoordeling, String identificatieRetour,
                                  LocalDate dagtekeningRetour) {
        String berichtsoort = IwmoRules.WMO319.equals(beoordeling.berichtsoort()) ? WMO320 : WMO302;
        return new IwmoRetour(berichtsoort, beoordeling.header(), heenberichtCode(berichtsoort), identificatieRetour,
                dagtekeningRetour, beoordeling.headerRetourcodes(), beoordeling.klassen());
    }

    /**
     * A WMO302 on the WMO301 with {@code heenbericht} as its header, with the given codes: e.g.
     * {@code voorWmo301(h, "R1", dag, List.of(), List.of())} for an accepted toewijzing, or Header
     * 0200 with {@link KlasseRetour#client} and {@link KlasseRetour#toegewezenProduct} classes for a
     * rejection found against the gateway's own records.
     */
    public static IwmoRetour voorWmo301(IwmoHeader heenbericht, String identificatieRetour, LocalDate dagtekeningRetour,
                                        List<String> headerRetourcodes, List<KlasseRetour> klassen) {
        return new IwmoRetour(WMO302, heenbericht, heenberichtCode(WMO302), identificatieRetour, dagtekeningRetour,
                headerRetourcodes, klassen);
    }

    /** A WMO320 on the WMO319 with {@code heenbericht} as its header, with the given codes. */
    public static IwmoRetour voorWmo319(IwmoHeader heenbericht, String identificatieRetour, LocalDate dagtekeningRetour,
                                        List<String> headerRetourcodes, List<KlasseRetour> klassen) {
        return new IwmoRetour(WMO320, heenbericht, heenberichtCode(WMO320), identificatieRetour, dagtekeningRetour,
                headerRetourcodes, klassen);
    }

    /** The retour's own BerichtCode: 415 for a WMO302, 483 for a WMO320. */
    public String berichtCode() {
        return WMO302.equals(berichtsoort) ? "415" : "483";
    }

    /** True when every code, in the Header and in each class, is 0200 or 0233 (also when there are none). */
    public boolean geaccepteerd() {
        return afkeurcodes().isEmpty();
    }

    /** The codes other than 0200 and 0233, in order of appearance, without repeats. */
    public List<String> afkeurcodes() {
        Set<String> codes = new LinkedHashSet<>();
        Stream.concat(headerRetourcodes.stream(), klassen.stream().flatMap(k -> k.retourcodes().stream()))
                .filter(code -> !isAcceptatiecode(code))
                .forEach(codes::add);
        return List.copyOf(codes);
    }

    static boolean isAcceptatiecode(String code) {
        return GEEN_OPMERKING.equals(code) || NIET_BEOORDEELD.equals(code);
    }

    static String heenberichtCode(String berichtsoort) {
        return WMO302.equals(berichtsoort) ? "414" : "482";
    }

    private static void retourcodes(Problems p, String path, List<String> codes) {
        for (String code : codes) {
            if (!RETOURCODES.contains(code)) {
                p.add(path + " '" + code + "' is not an iWmo 3.2 retourcode");
            }
        }
    }

    /** One Client, keyed by its Bsn, followed by at least one ToegewezenProduct keyed by its ToewijzingNummer. */
    private static void wmo302Klassen(Problems p, List<KlasseRetour> klassen) {
        List<String> volgorde = new ArrayList<>();
        for (int i = 0; i < klassen.size(); i++) {
            KlasseRetour k = klassen.get(i);
            if (k == null) {
                p.add("klassen[" + (i + 1) + "] is missing");
                continue;
            }
            volgorde.add(k.klasse());
            String path = k.klasse() + "[" + (i + 1) + "]";
            if (i == 0 && IwmoRules.KLASSE_CLIENT.equals(k.klasse())) {
                sleutel(p, path + "/Bsn", k.sleutel(), BSN, "9 digits");
            } else if (i > 0 && IwmoRules.KLASSE_TOEGEWEZEN_PRODUCT.equals(k.klasse())) {
                sleutel(p, path + "/ToewijzingNummer", k.sleutel(), NUMMER, "a number from 0 to 999999999");
            }
            klasseRetourcodes(p, path, k);
        }
        boolean clientEerst = !volgorde.isEmpty() && IwmoRules.KLASSE_CLIENT.equals(volgorde.get(0));
        boolean dan = volgorde.size() > 1 && volgorde.subList(1, volgorde.size()).stream()
                .allMatch(IwmoRules.KLASSE_TOEGEWEZEN_PRODUCT::equals);
        if (!clientEerst || !dan) {
            p.add("klassen " + volgorde + " must be one Client followed by at least one ToegewezenProduct");
        }
    }

    private static void wmo320Klassen(Problems p, List<KlasseRetour> klassen) {
        KlasseRetour k = klassen.get(0);
        if (klassen.size() != 1 || k == null || !IwmoRules.KLASSE_ANTWOORD.equals(k.klasse())) {
            p.add("klassen must be exactly one Antwoord");
            return;
        }
        if (k.sleutel().isEmpty()) {
            p.add("Antwoord/ReferentieAanbieder is missing");
        } else {
            p.line("Antwoord/ReferentieAanbieder", k.sleutel().get(), MAX_REFERENTIE);
        }
        klasseRetourcodes(p, "Antwoord", k);
    }

    private static void sleutel(Problems p, String path, Optional<String> sleutel, Pattern pattern, String expected) {
        p.matches(path, sleutel.orElse(null), pattern, expected);
    }

    private static void klasseRetourcodes(Problems p, String path, KlasseRetour k) {
        if (k.retourcodes().isEmpty()) {
            p.add(path + "/RetourCodes needs at least one RetourCode");
        }
        retourcodes(p, path + "/RetourCodes", k.retourcodes());
    }
}
