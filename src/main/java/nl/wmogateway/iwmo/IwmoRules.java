package nl.wmogateway.iwmo;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import nl.wmogateway.besluit.Contactadres;
import nl.wmogateway.plan.Client;
import nl.wmogateway.plan.Omvang;

/**
 * The iWmo 3.2 rules the gateway can check on one WMO301 or WMO319 by itself, each with the
 * retourcode the receiver answers it with. Used in two directions: to check what the gateway is
 * about to send (the writers refuse a message with any finding) and to build a realistic retour
 * (WMO302, WMO320) for a 301 or 319 the gateway receives, see {@link IwmoRetour#voor}.
 *
 * <p>Codes follow the official controleniveaus (invulinstructies IV031/IV032):
 * <ul>
 *   <li>rules checked by the official XSLT inside the message (CS, CD and some TR) give
 *       {@code 0001}, and the retour then holds only the Header with 0001;</li>
 *   <li>TR135 (Dagtekening in the future, an external source: the system date) is a Header error
 *       with {@code 8848}, and the retour again holds only the Header;</li>
 *   <li>berichtoverstijgende rules give their own code on the class where they fail, and the
 *       retour echoes every class, the others with {@code 0200}. These need what earlier messages
 *       said ({@link Historie}) and are only checked when the caller passes it.</li>
 * </ul>
 *
 * <p>Two deliberate differences from a reading of the code table alone: a ToewijzingNummer that
 * occurs twice in one WMO301 is TR101 (duplicate lines, 0001), not TR332 (9332, which is about
 * numbers already used in earlier messages); and "Omvang iff Product/Code" in a WMO301 is CD041 /
 * CD080 (0001). TR411/TR412 (9411/9412) state the same for the WMO317 that refers to a toewijzing.
 *
 * <p>Not checked here: XSD restrictions (lengths, code lists, patterns: a message that fails the
 * XSD gets no retour at all but a transport error), TR056 (Identificatie unique), TR378 (CBS
 * gemeentecode, S300), TR381 (productcodelijst, S329) and TR385 (approved declaraties).
 */
public final class IwmoRules {

    public static final String KLASSE_HEADER = "Header";
    public static final String KLASSE_CLIENT = "Client";
    public static final String KLASSE_CONTACT = "Contact";
    public static final String KLASSE_TOEGEWEZEN_PRODUCT = "ToegewezenProduct";
    public static final String KLASSE_ANTWOORD = "Antwoord";

    static final String WMO301 = "WMO301";
    static final String WMO319 = "WMO319";

    /** VerzoekAntwoord (WJ760) 1: verzoek afgewezen. */
    public static final String VERZOEK_AFGEWEZEN = "1";
    /** VerzoekAntwoord (WJ760) 2: aanvraag in onderzoek. */
    public static final String AANVRAAG_IN_ONDERZOEK = "2";

    private static final int MAX_LEEFTIJD_JAREN = 120;
    // CD080 and CS338 only apply to toewijzingen that run into 2021 or later
    private static final LocalDate EINDE_2020 = LocalDate.of(2020, 12, 31);
    // CS089 as the official XSLT tests it: pattern "1000ZZ", letters of either case, no space
    private static final Pattern NL_POSTCODE = Pattern.compile("[1-9][0-9]{3}[a-zA-Z]{2}");
    private static final Set<String> ADRES_SOORT_CLIENT = Set.of("01", "02", "03");
    private static final Set<String> ADRES_SOORT_POSTCODE_VERPLICHT = Set.of("01", "03");
    private static final Set<String> EENHEDEN_ZONDER_DAGFREQUENTIE =
            Set.of(Omvang.EENHEID_ETMAAL, Omvang.EENHEID_DAGDEEL, Omvang.EENHEID_EURO, Omvang.EENHEID_STUKS_INSPANNING);
    private static final Set<String> FREQUENTIES_CS338 =
            Set.of(Omvang.FREQUENTIE_PER_WEEK, Omvang.FREQUENTIE_PER_MAAND, Omvang.FREQUENTIE_TOTAAL);
    private static final String REDEN_ADMINISTRATIEVE_CORRECTIE_VERVALLEN = "01";
    private static final String REDEN_VERWIJDERD = "13";

    private IwmoRules() {}

    /**
     * One broken rule in an iWmo message: the iWmo counterpart of a {@link nl.wmogateway.fhir.Finding},
     * with the record (klasse and sleutel) the retour reports it on.
     *
     * @param klasse     the berichtklasse it belongs to: Header, Client, Contact, ToegewezenProduct or Antwoord
     * @param sleutel    the key of that class in the message (Bsn, ToewijzingNummer, ReferentieAanbieder)
     * @param regel      the iWmo rule, e.g. "CS003" or "TR379"
     * @param retourcode the retourcode the rule yields
     * @param melding    what is wrong, starting with the iWmo path
     */
    public record RuleFinding(
            String klasse, Optional<String> sleutel, String regel, String retourcode, String melding) {}

    /**
     * What earlier messages between this gemeente and aanbieder said, for the berichtoverstijgende
     * rules. Empty collections mean "nothing earlier", not "unknown": pass no Historie at all to
     * skip these rules.
     *
     * @param verzoeken    ReferentieAanbieder of every WMO315/WMO317 received (TR379, TR355)
     * @param toewijzingen ToewijzingNummer of every toewijzing sent earlier, with the Bsn it was for (TR332)
     * @param gehonoreerd  ReferentieAanbieder already honoured by an earlier WMO301 (TR359)
     * @param antwoorden   ReferentieAanbieder answered by an earlier WMO319, with its VerzoekAntwoord (TR360, TR365)
     */
    public record Historie(
            Set<String> verzoeken,
            Map<Long, String> toewijzingen,
            Set<String> gehonoreerd,
            Map<String, String> antwoorden) {

        public Historie {
            verzoeken = Set.copyOf(verzoeken);
            toewijzingen = Map.copyOf(toewijzingen);
            gehonoreerd = Set.copyOf(gehonoreerd);
            antwoorden = Map.copyOf(antwoorden);
        }

        /** No earlier messages at all. */
        public static Historie leeg() {
            return new Historie(Set.of(), Map.of(), Set.of(), Map.of());
        }

        /** Only the verzoeken (WMO315/WMO317) received so far, e.g. the ReferentieAanbieders of one plan. */
        public static Historie verzoeken(Set<String> referentiesAanbieder) {
            return new Historie(referentiesAanbieder, Map.of(), Set.of(), Map.of());
        }
    }

    /**
     * The outcome for one message, with the retourcodes as the receiver returns them.
     *
     * @param berichtsoort      "WMO301" or "WMO319"
     * @param header            the message's header
     * @param headerRetourcodes the retour's Header codes: empty when everything passed, 0001 or
     *                          8848 for a rejection at Header level, 0200 when a class failed
     * @param klassen           every class with its codes when a class failed a berichtoverstijgende
     *                          rule (others 0200); empty otherwise, as the retour then has no body
     * @param findings       every broken rule, also those that only show as 0001 in the Header
     */
    public record Beoordeling(
            String berichtsoort,
            IwmoHeader header,
            List<String> headerRetourcodes,
            List<KlasseRetour> klassen,
            List<RuleFinding> findings) {

        public Beoordeling {
            headerRetourcodes = List.copyOf(headerRetourcodes);
            klassen = List.copyOf(klassen);
            findings = List.copyOf(findings);
        }

        /** True when no rule is broken. */
        public boolean goedgekeurd() {
            return findings.isEmpty();
        }

        /** The findings' texts, each ending with its rule. */
        public List<String> meldingen() {
            return findings.stream().map(RuleFinding::melding).toList();
        }
    }

    /** The in-message rules for a WMO301 plus TR135; no berichtoverstijgende rules. */
    public static Beoordeling wmo301(
            IwmoHeader header, Client client, Contactadres adres, List<Toewijzing> toewijzingen, LocalDate vandaag) {
        return wmo301(header, client, adres, toewijzingen, vandaag, Optional.empty());
    }

    /** Every rule for a WMO301, including TR332 and TR379 against {@code historie}. */
    public static Beoordeling wmo301(
            IwmoHeader header,
            Client client,
            Contactadres adres,
            List<Toewijzing> toewijzingen,
            LocalDate vandaag,
            Historie historie) {
        return wmo301(header, client, adres, toewijzingen, vandaag, Optional.of(historie));
    }

    /** The in-message rules for a WMO319 (CD085, CD086) plus TR135; no berichtoverstijgende rules. */
    public static Beoordeling wmo319(
            IwmoHeader header,
            String referentieAanbieder,
            String verzoekAntwoord,
            Optional<String> redenAfwijzingVerzoek,
            LocalDate vandaag) {
        return wmo319(header, referentieAanbieder, verzoekAntwoord, redenAfwijzingVerzoek, vandaag, Optional.empty());
    }

    /** Every rule for a WMO319, including TR355, TR359, TR360 and TR365 against {@code historie}. */
    public static Beoordeling wmo319(
            IwmoHeader header,
            String referentieAanbieder,
            String verzoekAntwoord,
            Optional<String> redenAfwijzingVerzoek,
            LocalDate vandaag,
            Historie historie) {
        return wmo319(
                header, referentieAanbieder, verzoekAntwoord, redenAfwijzingVerzoek, vandaag, Optional.of(historie));
    }

    private static Beoordeling wmo301(
            IwmoHeader header,
            Client client,
            Contactadres adres,
            List<Toewijzing> toewijzingen,
            LocalDate vandaag,
            Optional<Historie> historie) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(vandaag, "vandaag");
        List<RuleFinding> b = new ArrayList<>();
        dagtekening(b, header, vandaag);
        Optional<String> bsn = Optional.ofNullable(client).map(Client::bsn);
        if (client != null) {
            client(b, client, header.dagtekening());
        }
        if (adres != null) {
            contact(b, bsn, adres);
        }
        List<Toewijzing> producten = toewijzingen == null ? List.of() : toewijzingen;
        Set<Long> nummers = new HashSet<>();
        for (int i = 0; i < producten.size(); i++) {
            Toewijzing t = producten.get(i);
            if (t != null) {
                toegewezenProduct(b, "ToegewezenProduct[" + (i + 1) + "]", t, nummers);
            }
        }
        stapeling(b, producten);
        historie.ifPresent(h -> {
            for (int i = 0; i < producten.size(); i++) {
                Toewijzing t = producten.get(i);
                if (t != null) {
                    historie301(b, "ToegewezenProduct[" + (i + 1) + "]", t, bsn, h);
                }
            }
        });

        List<KlasseRetour> klassen = new ArrayList<>();
        klassen.add(new KlasseRetour(KLASSE_CLIENT, bsn, codes(b, KLASSE_CLIENT, bsn)));
        for (Toewijzing t : producten) {
            if (t != null) {
                Optional<String> sleutel = Optional.of(Long.toString(t.toewijzingNummer()));
                klassen.add(new KlasseRetour(
                        KLASSE_TOEGEWEZEN_PRODUCT, sleutel, codes(b, KLASSE_TOEGEWEZEN_PRODUCT, sleutel)));
            }
        }
        return beoordeling(WMO301, header, b, klassen);
    }

    private static Beoordeling wmo319(
            IwmoHeader header,
            String referentie,
            String verzoekAntwoord,
            Optional<String> reden,
            LocalDate vandaag,
            Optional<Historie> historie) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(vandaag, "vandaag");
        List<RuleFinding> b = new ArrayList<>();
        dagtekening(b, header, vandaag);
        Optional<String> sleutel = Optional.ofNullable(referentie);
        boolean metReden = reden != null && IwmoXml.present(reden).isPresent();
        if (VERZOEK_AFGEWEZEN.equals(verzoekAntwoord) && !metReden) {
            b.add(antwoord(
                    sleutel,
                    "CD085",
                    IwmoRetour.TECHNISCH_AFGEKEURD,
                    "Antwoord/RedenAfwijzingVerzoek is required when VerzoekAntwoord is 1 (verzoek afgewezen)"));
        }
        if (AANVRAAG_IN_ONDERZOEK.equals(verzoekAntwoord) && metReden) {
            b.add(antwoord(
                    sleutel,
                    "CD086",
                    IwmoRetour.TECHNISCH_AFGEKEURD,
                    "Antwoord/RedenAfwijzingVerzoek must be empty when VerzoekAntwoord is 2 (aanvraag in onderzoek)"));
        }
        historie.filter(h -> referentie != null).ifPresent(h -> {
            if (!h.verzoeken().contains(referentie)) {
                b.add(antwoord(
                        sleutel,
                        "TR355",
                        "9355",
                        "Antwoord/ReferentieAanbieder '" + referentie
                                + "' does not occur in an earlier verzoek om toewijzing or verzoek om wijziging"));
            }
            if (h.gehonoreerd().contains(referentie)) {
                b.add(antwoord(
                        sleutel,
                        "TR359",
                        "9359",
                        "Antwoord/ReferentieAanbieder '" + referentie + "' was already honoured with a toewijzing"));
            }
            String eerder = h.antwoorden().get(referentie);
            if (eerder != null && AANVRAAG_IN_ONDERZOEK.equals(verzoekAntwoord)) {
                b.add(antwoord(
                        sleutel,
                        "TR360",
                        "9360",
                        "Antwoord/VerzoekAntwoord 2 (aanvraag in onderzoek) is only "
                                + "allowed as the first antwoord on ReferentieAanbieder '" + referentie + "'"));
            }
            if (eerder != null && !AANVRAAG_IN_ONDERZOEK.equals(eerder)) {
                b.add(antwoord(
                        sleutel,
                        "TR365",
                        "9365",
                        "Antwoord/ReferentieAanbieder '" + referentie
                                + "' already had a final antwoord (VerzoekAntwoord " + eerder + ")"));
            }
        });
        List<KlasseRetour> klassen =
                List.of(new KlasseRetour(KLASSE_ANTWOORD, sleutel, codes(b, KLASSE_ANTWOORD, sleutel)));
        return beoordeling(WMO319, header, b, klassen);
    }

    private static void dagtekening(List<RuleFinding> b, IwmoHeader header, LocalDate vandaag) {
        if (header.dagtekening() != null && header.dagtekening().isAfter(vandaag)) {
            b.add(new RuleFinding(
                    KLASSE_HEADER,
                    Optional.empty(),
                    "TR135",
                    "8848",
                    "Header/BerichtIdentificatie/Dagtekening " + header.dagtekening() + " lies after today (" + vandaag
                            + ") (TR135)"));
        }
    }

    private static void client(List<RuleFinding> b, Client client, LocalDate dagtekening) {
        Optional<String> bsn = Optional.ofNullable(client.bsn());
        if (!Bsn.isValid(client.bsn())) {
            b.add(new RuleFinding(
                    KLASSE_CLIENT,
                    bsn,
                    "CS002",
                    IwmoRetour.TECHNISCH_AFGEKEURD,
                    "Client/Bsn '" + client.bsn() + "' is not a valid BSN: 9 digits passing the 11-proef (CS002)"));
        }
        LocalDate geboortedatum = client.geboortedatum();
        if (geboortedatum != null
                && dagtekening != null
                && geboortedatum.isBefore(dagtekening.minusYears(MAX_LEEFTIJD_JAREN))) {
            b.add(new RuleFinding(
                    KLASSE_CLIENT,
                    bsn,
                    "TR002",
                    IwmoRetour.TECHNISCH_AFGEKEURD,
                    "Client/Geboortedatum " + geboortedatum + " lies more than " + MAX_LEEFTIJD_JAREN
                            + " years before the Dagtekening " + dagtekening + " (TR002)"));
        }
    }

    private static void contact(List<RuleFinding> b, Optional<String> bsn, Contactadres adres) {
        String path = "Client/Contactgegevens/Contact";
        boolean postcode = adres.postcode() != null && !adres.postcode().isBlank();
        if (!ADRES_SOORT_CLIENT.contains(adres.soort())) {
            b.add(new RuleFinding(
                    KLASSE_CONTACT,
                    bsn,
                    "TR061",
                    IwmoRetour.TECHNISCH_AFGEKEURD,
                    path + "/Soort '" + adres.soort() + "': a client needs a Contact with Soort 01, 02 or 03 (TR061)"));
        }
        if (ADRES_SOORT_POSTCODE_VERPLICHT.contains(adres.soort()) && !postcode) {
            b.add(new RuleFinding(
                    KLASSE_CONTACT,
                    bsn,
                    "CD034",
                    IwmoRetour.TECHNISCH_AFGEKEURD,
                    path + "/Adres/Postcode is required for Soort " + adres.soort() + " (CD034)"));
        }
        if ("NL".equals(adres.landcode())
                && postcode
                && !NL_POSTCODE.matcher(adres.postcode()).matches()) {
            b.add(new RuleFinding(
                    KLASSE_CONTACT,
                    bsn,
                    "CS089",
                    IwmoRetour.TECHNISCH_AFGEKEURD,
                    path + "/Adres/Postcode '" + adres.postcode()
                            + "' is not a Dutch postcode (4 digits, no leading 0, 2 letters, no space) (CS089)"));
        }
        boolean telefoon =
                adres.telefoon() != null && IwmoXml.present(adres.telefoon()).isPresent();
        if (!telefoon && !postcode) {
            b.add(new RuleFinding(
                    KLASSE_CONTACT,
                    bsn,
                    "TR006",
                    IwmoRetour.TECHNISCH_AFGEKEURD,
                    path + " needs a Telefoon or a Huis with Postcode (TR006)"));
        }
    }

    private static void toegewezenProduct(List<RuleFinding> b, String path, Toewijzing t, Set<Long> nummers) {
        Optional<String> sleutel = Optional.of(Long.toString(t.toewijzingNummer()));
        if (!nummers.add(t.toewijzingNummer())) {
            b.add(product(
                    sleutel,
                    "TR101",
                    path + "/ToewijzingNummer " + t.toewijzingNummer()
                            + " occurs more than once in the message (TR101)"));
        }
        Optional<LocalDate> einddatum = optional(t.einddatum());
        if (t.ingangsdatum() != null
                && einddatum.filter(eind -> eind.isBefore(t.ingangsdatum())).isPresent()) {
            b.add(product(
                    sleutel,
                    "CS003",
                    path + "/Einddatum " + einddatum.get() + " lies before Ingangsdatum " + t.ingangsdatum()
                            + " (CS003)"));
        }
        Optional<Omvang> omvang = optional(t.omvang());
        if (einddatum.isEmpty()
                && omvang.filter(o -> Omvang.FREQUENTIE_PER_WEEK.equals(o.frequentie()))
                        .isPresent()) {
            b.add(product(
                    sleutel,
                    "CD076",
                    path + "/Einddatum is required when Omvang/Frequentie is 2 (per week) " + "(CD076)"));
        }
        Optional<String> reden = IwmoXml.present(optional(t.redenWijziging()));
        if (reden.filter(REDEN_VERWIJDERD::equals).isPresent()
                && !einddatum.equals(Optional.ofNullable(t.ingangsdatum()))) {
            b.add(product(
                    sleutel,
                    "CS335",
                    path + "/RedenWijziging 13 (verwijderd) requires Einddatum equal to " + "Ingangsdatum (CS335)"));
        }
        if (reden.filter(REDEN_ADMINISTRATIEVE_CORRECTIE_VERVALLEN::equals).isPresent()) {
            b.add(product(
                    sleutel,
                    "CS336",
                    path + "/RedenWijziging 01 (administratieve correctie, vervallen) must "
                            + "not be used; use 14 (CS336)"));
        }
        boolean code = IwmoXml.present(optional(t.code())).isPresent();
        boolean na2020 = einddatum.map(eind -> eind.isAfter(EINDE_2020)).orElse(true);
        if (code && omvang.isEmpty()) {
            b.add(product(sleutel, "CD041", path + "/Omvang is required when Product/Code is given (CD041)"));
        }
        if (!code && omvang.isPresent() && na2020) {
            b.add(product(sleutel, "CD080", path + "/Omvang must be empty when Product/Code is empty (CD080)"));
        }
        if (na2020
                && omvang.filter(o -> EENHEDEN_ZONDER_DAGFREQUENTIE.contains(o.eenheid())
                                && !FREQUENTIES_CS338.contains(o.frequentie()))
                        .isPresent()) {
            b.add(product(
                    sleutel,
                    "CS338",
                    path + "/Omvang/Frequentie " + omvang.get().frequentie() + " is not allowed with Eenheid "
                            + omvang.get().eenheid() + ": use 2, 4 or 6 (CS338)"));
        }
    }

    /** TR302: the same product twice in one WMO301 only for periods that do not overlap. */
    private static void stapeling(List<RuleFinding> b, List<Toewijzing> producten) {
        for (int j = 1; j < producten.size(); j++) {
            Toewijzing later = producten.get(j);
            if (later == null || later.ingangsdatum() == null || verwijderd(later)) {
                continue;
            }
            for (int i = 0; i < j; i++) {
                Toewijzing eerder = producten.get(i);
                if (eerder != null
                        && eerder.ingangsdatum() != null
                        && !verwijderd(eerder)
                        && zelfdeProduct(eerder, later)
                        && overlappen(eerder, later)) {
                    b.add(product(
                            Optional.of(Long.toString(later.toewijzingNummer())),
                            "TR302",
                            "ToegewezenProduct[" + (j + 1) + "] overlaps ToegewezenProduct[" + (i + 1)
                                    + "] for the same product (TR302)"));
                    break;
                }
            }
        }
    }

    private static void historie301(List<RuleFinding> b, String path, Toewijzing t, Optional<String> bsn, Historie h) {
        Optional<String> sleutel = Optional.of(Long.toString(t.toewijzingNummer()));
        String eerderVoor = h.toewijzingen().get(t.toewijzingNummer());
        if (eerderVoor != null && !Optional.of(eerderVoor).equals(bsn)) {
            b.add(new RuleFinding(
                    KLASSE_TOEGEWEZEN_PRODUCT,
                    sleutel,
                    "TR332",
                    "9332",
                    path + "/ToewijzingNummer " + t.toewijzingNummer()
                            + " was already given to another client (TR332)"));
        }
        IwmoXml.present(optional(t.referentieAanbieder()))
                .filter(referentie -> !h.verzoeken().contains(referentie))
                .ifPresent(referentie -> b.add(new RuleFinding(
                        KLASSE_TOEGEWEZEN_PRODUCT,
                        sleutel,
                        "TR379",
                        "9379",
                        path + "/ReferentieAanbieder '" + referentie + "' does not refer to a verzoek om toewijzing or "
                                + "verzoek om wijziging (TR379)")));
    }

    private static Beoordeling beoordeling(
            String berichtsoort, IwmoHeader header, List<RuleFinding> b, List<KlasseRetour> alleKlassen) {
        if (b.isEmpty()) {
            return new Beoordeling(berichtsoort, header, List.of(), List.of(), b);
        }
        if (b.stream().anyMatch(f -> IwmoRetour.TECHNISCH_AFGEKEURD.equals(f.retourcode()))) {
            return new Beoordeling(berichtsoort, header, List.of(IwmoRetour.TECHNISCH_AFGEKEURD), List.of(), b);
        }
        List<String> headerCodes = codes(b, KLASSE_HEADER, Optional.empty());
        if (!headerCodes.equals(List.of(IwmoRetour.GEEN_OPMERKING))) {
            return new Beoordeling(berichtsoort, header, headerCodes, List.of(), b);
        }
        return new Beoordeling(berichtsoort, header, List.of(IwmoRetour.GEEN_OPMERKING), alleKlassen, b);
    }

    /** The distinct codes of one class in the order found, or 0200 when it has none. */
    private static List<String> codes(List<RuleFinding> b, String klasse, Optional<String> sleutel) {
        Set<String> codes = new LinkedHashSet<>();
        for (RuleFinding f : b) {
            if (f.klasse().equals(klasse)
                    && (klasse.equals(KLASSE_HEADER) || f.sleutel().equals(sleutel))) {
                codes.add(f.retourcode());
            }
        }
        return codes.isEmpty() ? List.of(IwmoRetour.GEEN_OPMERKING) : List.copyOf(codes);
    }

    private static RuleFinding product(Optional<String> sleutel, String regel, String melding) {
        return new RuleFinding(KLASSE_TOEGEWEZEN_PRODUCT, sleutel, regel, IwmoRetour.TECHNISCH_AFGEKEURD, melding);
    }

    private static RuleFinding antwoord(Optional<String> sleutel, String regel, String retourcode, String melding) {
        return new RuleFinding(KLASSE_ANTWOORD, sleutel, regel, retourcode, melding + " (" + regel + ")");
    }

    private static boolean verwijderd(Toewijzing t) {
        Optional<String> reden = IwmoXml.present(optional(t.redenWijziging()));
        return reden.filter(r -> r.equals(REDEN_VERWIJDERD) || r.equals(REDEN_ADMINISTRATIEVE_CORRECTIE_VERVALLEN))
                        .isPresent()
                && optional(t.einddatum()).equals(Optional.of(t.ingangsdatum()));
    }

    private static boolean zelfdeProduct(Toewijzing a, Toewijzing b) {
        if (!Objects.equals(a.categorie(), b.categorie())) {
            return false;
        }
        Optional<String> codeA = IwmoXml.present(optional(a.code()));
        Optional<String> codeB = IwmoXml.present(optional(b.code()));
        // without a productcode TR302 applies at the level of the productcategorie
        return codeA.isEmpty() || codeB.isEmpty() || codeA.equals(codeB);
    }

    private static boolean overlappen(Toewijzing a, Toewijzing b) {
        LocalDate eindA = optional(a.einddatum()).orElse(LocalDate.MAX);
        LocalDate eindB = optional(b.einddatum()).orElse(LocalDate.MAX);
        return !a.ingangsdatum().isAfter(eindB) && !b.ingangsdatum().isAfter(eindA);
    }

    // the records allow a null Optional; the rules treat it as empty rather than fail on it
    private static <T> Optional<T> optional(Optional<T> value) {
        return value == null ? Optional.empty() : value;
    }
}
