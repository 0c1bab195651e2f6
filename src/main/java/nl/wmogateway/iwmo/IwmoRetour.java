package nl.wmogateway.iwmo;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An iWmo 3.2 retour as read: the WMO302 (BerichtCode 415) on a WMO301 toewijzing, the WMO316
 * (445) on a WMO315 verzoek om toewijzing, or the WMO320 (483) on a WMO319 antwoordbericht.
 *
 * <p>The official structure: the Header repeats the heenbericht's header (so the Afzender is
 * still the heenbericht's sender) with the retour's own BerichtCode, and adds
 * IdentificatieRetour, DagtekeningRetour, an optional XsltVersie (of the official validation
 * XSLT used), XsdVersieRetour and optional RetourCodes. Then every class of the heenbericht is
 * echoed in full, each with its own RetourCodes (0200 no remark, 0233 not assessed, otherwise the
 * code of the rule it broke). A retour may also be the Header alone, as the official WMO316
 * example is. This record keeps what the gateway acts on: the header, the codes and each class's
 * key; the rest of the echo is the heenbericht the gateway sent.
 *
 * <p>A record that exists is valid: the constructor refuses anything the official structure
 * would, listing every problem in one {@link IllegalArgumentException}. {@link IwmoRetourXml}
 * reads and writes the XML.
 *
 * @param berichtsoort        {@value #WMO302}, {@value #WMO316} or {@value #WMO320}
 * @param origineel           the heenbericht's header as the retour repeats it
 * @param identificatieRetour the retour's own identification, 1 to 12 characters
 * @param dagtekeningRetour   the retour's date, not before the heenbericht's Dagtekening
 * @param xsltVersie          the version of the official validation XSLT used, when given
 * @param headerRetourcodes   the Header's codes; may be empty
 * @param klassen             every class echoed, in the order of the message; empty for a Header-only retour
 */
public record IwmoRetour(
        String berichtsoort,
        IwmoHeader origineel,
        String identificatieRetour,
        LocalDate dagtekeningRetour,
        Optional<String> xsltVersie,
        List<String> headerRetourcodes,
        List<KlasseRetour> klassen) {

    /** Retour on a WMO301 toewijzing. */
    public static final String WMO302 = "WMO302";
    /** Retour on a WMO315 verzoek om toewijzing. */
    public static final String WMO316 = "WMO316";
    /** Retour on a WMO319 antwoordbericht. */
    public static final String WMO320 = "WMO320";

    /** Retourcode: Bericht is afgekeurd om technische redenen. */
    public static final String TECHNISCH_AFGEKEURD = "0001";
    /** Retourcode: Geen opmerking over deze berichtklasse. */
    public static final String GEEN_OPMERKING = "0200";
    /** Retourcode: Berichtklasse is niet beoordeeld. */
    public static final String NIET_BEOORDEELD = "0233";
    /** Retourcode 8001: a positive outcome (declaratie volledig toegewezen), never a rejection. */
    public static final String VOLLEDIG_TOEGEWEZEN = "8001";

    /** Every retourcode iWmo 3.2 allows (the basisschema's LDT_RetourCode, a subset of WJ001). */
    public static final Set<String> RETOURCODES = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(
            "0001", "0200", "0233", "0611", "8001", "8017", "8021", "8187", "8214", "8848", "9019", "9056", "9063",
            "9069", "9071", "9074", "9307", "9308", "9319", "9321", "9322", "9326", "9332", "9333", "9338", "9339",
            "9340", "9341", "9346", "9347", "9349", "9350", "9351", "9355", "9357", "9359", "9360", "9361", "9365",
            "9366", "9367", "9369", "9373", "9374", "9375", "9379", "9384", "9385", "9387", "9388", "9389", "9390",
            "9411", "9412", "9413", "9414", "9415", "S300", "S329")));

    private static final Pattern GEMEENTECODE = Pattern.compile("[0-9]{4}");
    private static final Pattern AGB_CODE = Pattern.compile("[0-9]{8}");
    static final Pattern VERSIE = Pattern.compile("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");
    private static final int MAX_IDENTIFICATIE = 12;

    public IwmoRetour {
        Problems p = new Problems();
        Optional<Retoursoort> soort = Retoursoort.byName(berichtsoort);
        if (soort.isEmpty()) {
            p.add("berichtsoort '" + berichtsoort + "' must be " + WMO302 + ", " + WMO316 + " or " + WMO320);
        }
        if (origineel == null) {
            p.add("Header is missing");
        } else {
            boolean aanbieder = soort.map(s -> s.aanbiederIsAfzender).orElse(false);
            p.matches(
                    "Header/Afzender",
                    origineel.afzender(),
                    aanbieder ? AGB_CODE : GEMEENTECODE,
                    aanbieder ? "an AGB code of 8 digits" : "a gemeentecode of 4 digits");
            p.matches(
                    "Header/Ontvanger",
                    origineel.ontvanger(),
                    aanbieder ? GEMEENTECODE : AGB_CODE,
                    aanbieder ? "a gemeentecode of 4 digits" : "an AGB code of 8 digits");
            p.line("Header/BerichtIdentificatie/Identificatie", origineel.identificatie(), MAX_IDENTIFICATIE);
            p.required("Header/BerichtIdentificatie/Dagtekening", origineel.dagtekening());
        }
        p.line("Header/IdentificatieRetour", identificatieRetour, MAX_IDENTIFICATIE);
        p.required("Header/DagtekeningRetour", dagtekeningRetour);
        if (dagtekeningRetour != null
                && origineel != null
                && origineel.dagtekening() != null
                && dagtekeningRetour.isBefore(origineel.dagtekening())) {
            p.add("Header/DagtekeningRetour " + dagtekeningRetour + " lies before the heenbericht's Dagtekening "
                    + origineel.dagtekening());
        }
        Objects.requireNonNull(xsltVersie, "xsltVersie");
        xsltVersie
                .filter(v -> !VERSIE.matcher(v).matches())
                .ifPresent(v -> p.add("Header/XsltVersie '" + v + "' must be a version like 1.0.0"));
        if (headerRetourcodes == null) {
            p.add("Header/RetourCodes is missing; use an empty list for none");
        } else {
            retourcodes(p, "Header/RetourCodes", headerRetourcodes);
        }
        if (klassen == null) {
            p.add("klassen is missing; use an empty list for none");
        } else {
            for (int i = 0; i < klassen.size(); i++) {
                KlasseRetour k = klassen.get(i);
                if (k == null) {
                    p.add("klassen[" + (i + 1) + "] is missing");
                    continue;
                }
                // never the Bsn in a message that may end up in a log line
                String path = k.klasse()
                        + (IwmoRules.KLASSE_CLIENT.equals(k.klasse())
                                ? ""
                                : k.sleutel().map(s -> "[" + s + "]").orElse(""));
                if (soort.isPresent() && !soort.get().isKlasse(k.klasse())) {
                    p.add(k.klasse() + " is not a berichtklasse of a " + berichtsoort + ": expected one of "
                            + soort.get().klassen.keySet());
                }
                if (k.retourcodes().isEmpty()) {
                    p.add(path + "/RetourCodes needs at least one RetourCode");
                }
                retourcodes(p, path + "/RetourCodes", k.retourcodes());
            }
        }
        p.failIfAny("Invalid iWmo retour " + berichtsoort);
        headerRetourcodes = List.copyOf(headerRetourcodes);
        klassen = List.copyOf(klassen);
    }

    /** The retour's own BerichtCode: 415, 445 or 483. */
    public String berichtCode() {
        return soort().berichtCode;
    }

    /** The heenbericht it answers: WMO301, WMO315 or WMO319. */
    public String heenbericht() {
        return soort().heenbericht;
    }

    /** The heenbericht's BerichtCode: 414, 444 or 482. */
    public String heenberichtCode() {
        return soort().heenberichtCode;
    }

    /** True when no code, in the Header or in any class, rejects: only 0200, 0233 and 8001 (also when there are none). */
    public boolean geaccepteerd() {
        return afkeurcodes().isEmpty();
    }

    /** The codes other than 0200, 0233 and 8001, in order of appearance, without repeats. */
    public List<String> afkeurcodes() {
        return retourcodes().stream().filter(code -> !isAcceptatiecode(code)).toList();
    }

    /** Every code, Header first, then the classes in order, without repeats. */
    public List<String> retourcodes() {
        Set<String> codes = new LinkedHashSet<>();
        Stream.concat(headerRetourcodes.stream(), klassen.stream().flatMap(k -> k.retourcodes().stream()))
                .forEach(codes::add);
        return List.copyOf(codes);
    }

    /** The classes about one product (ToegewezenProduct, AangevraagdProduct, Antwoord), in order. */
    public List<KlasseRetour> producten() {
        return klassen.stream().filter(KlasseRetour::isProduct).toList();
    }

    /** The Bsn of the echoed Client; empty for a WMO320 and for a Header-only retour. */
    public Optional<String> bsn() {
        return klassen.stream()
                .filter(k -> IwmoRules.KLASSE_CLIENT.equals(k.klasse()))
                .findFirst()
                .flatMap(KlasseRetour::sleutel);
    }

    /** True for the codes that never reject: 0200, 0233 and 8001. */
    public static boolean isAcceptatiecode(String code) {
        return GEEN_OPMERKING.equals(code) || NIET_BEOORDEELD.equals(code) || VOLLEDIG_TOEGEWEZEN.equals(code);
    }

    private Retoursoort soort() {
        return Retoursoort.byName(berichtsoort).orElseThrow();
    }

    private static void retourcodes(Problems p, String path, List<String> codes) {
        for (String code : codes) {
            if (!RETOURCODES.contains(code)) {
                p.add(path + " '" + code + "' is not an iWmo 3.2 retourcode");
            }
        }
    }
}
