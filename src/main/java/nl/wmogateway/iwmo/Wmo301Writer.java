package nl.wmogateway.iwmo;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;
import nl.wmogateway.besluit.Contactadres;
import nl.wmogateway.plan.Client;
import nl.wmogateway.plan.Codelijsten;
import nl.wmogateway.plan.Omvang;
import nl.wmogateway.plan.Ondersteuningsplan;

/**
 * A gemeente's toewijzing as an iWmo 3.2 WMO301 (BerichtCode 414) from the gemeente (Afzender,
 * gemeentecode) to the aanbieder (Ontvanger, AGB code): the client from the plan, one Contact
 * with the client's address, and one ToegewezenProduct per {@link Toewijzing}. A changed
 * toewijzing is sent as a new WMO301 with the same ToewijzingNummer and a RedenWijziging
 * (OP033x1); the message is always the full picture for this client and aanbieder.
 *
 * <p>Before writing, the input is checked against the official WMO301.xsd (lengths, code lists,
 * patterns) and against every in-message rule of {@link IwmoRules} (CS002, TR002, TR061, TR006,
 * CD034, CS089, TR101, CS003, CS335, CS336, CD041, CD080, CS338, TR302) plus TR135 (a
 * Dagtekening after today) and CD076 (Einddatum required with Frequentie per week: an open-ended
 * product gets its gemeente's {@link nl.wmogateway.plan.OpenEndedPolicy} before it is written
 * here). All problems are reported together in one
 * {@link IllegalArgumentException}, each with its iWmo path. Not checked, because they need state:
 * TR056 (Identificatie unique), TR332 across messages and TR379 (ReferentieAanbieder only when
 * honouring a verzoek); run {@link IwmoRules#wmo301} with a {@link IwmoRules.Historie} for those.
 *
 * <p>An Optional holding a blank string is treated as empty. The client's NaamGebruik is always
 * 1 (eigen naam), as no Partnernaam is written (CS050). The telephone number of the
 * {@link Contactadres} is taken to be Dutch, in national format, and written with Landnummer
 * {@value #LANDNUMMER_NL}.
 */
public final class Wmo301Writer {

    public static final String NS_WMO301 = IwmoCodes.namespace("wmo301");
    public static final String BERICHT_CODE = "414";

    /** Landnummer written with every telephone number. */
    public static final String LANDNUMMER_NL = "0031";

    /** RedenWijziging (WMO002): code to description; 01 is deprecated and refused (CS336). */
    public static final Map<String, String> REDENEN_WIJZIGING = ordered(
            "01", "Administratieve correctie (vervallen)",
            "02", "Client overleden",
            "03", "Contractwijziging",
            "04", "Herbeoordeling: verlenging toewijzing",
            "05", "Herbeoordeling: verkorting toewijzing",
            "06", "Uitstroom naar ander domein",
            "07", "Verhuizing naar een andere gemeente",
            "08", "Wijziging leveringsvorm",
            "09", "Overstap naar andere aanbieder",
            "10", "Overgang naar nieuwe bekostigingssystematiek",
            "11", "Gemeentelijke herindeling",
            "12", "Geinitieerd door de aanbieder",
            "13", "Verwijderd",
            "14", "Administratieve correctie");

    /** AdresSoort (COD757): code to description. A client needs 01, 02 or 03 (TR061). */
    public static final Map<String, String> ADRES_SOORTEN = ordered(
            "01", "BRP-adres",
            "02", "Correspondentie-adres",
            "03", "Verblijfadres",
            "04", "Tijdelijk verblijfadres");

    /** LandCode (COD032): exactly the 249 codes of the basisschema's LDT_LandCode. */
    public static final Set<String> LANDCODES = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(
            ("AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV "
                            + "BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG "
                            + "EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
                            + "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB "
                            + "LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY "
                            + "MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO "
                            + "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK "
                            + "TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW")
                    .split(" "))));

    private static final int MAX_NAAM = 200;
    private static final int MAX_VOORVOEGSEL = 10;
    private static final int MAX_REFERENTIE = 36;
    private static final int MAX_PRODUCTCODE = 5;
    private static final int MAX_VOLUME = 99_999_999;
    private static final long MAX_NUMMER = 999_999_999L;
    private static final int MAX_HUISNUMMER = 99_999;
    private static final int MAX_HUISNUMMER_TOEVOEGING = 4;
    private static final int MAX_POSTCODE = 8;
    private static final int MAX_STRAATNAAM = 24;
    private static final int MAX_PLAATSNAAM = 80;
    private static final String NAAMGEBRUIK_EIGEN_NAAM = "1";
    private static final String CONTACT = "Client/Contactgegevens/Contact";

    // exactly the XSD's LDT_Voorletters pattern ([a-zA-ZÀ-ỳ])+ with its maxLength 6
    private static final Pattern VOORLETTERS = Pattern.compile("[a-zA-Z\u00C0-\u1EF3]{1,6}");
    private static final Pattern TELEFOONNUMMER = Pattern.compile("[0-9]{1,15}");
    private static final DateTimeFormatter TIJD = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Clock clock;

    /** A writer that takes "today" (for TR135) from the Dutch calendar. */
    public Wmo301Writer() {
        this(Clock.system(ZoneId.of("Europe/Amsterdam")));
    }

    /** A writer that takes "today" from {@code clock}, e.g. a fixed clock in tests. */
    public Wmo301Writer(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The WMO301 for {@code plan}'s client.
     *
     * @param header            Afzender the gemeentecode, Ontvanger the aanbieder's AGB code
     * @param plan              the plan the toewijzing answers; only its client is used
     * @param adres             the client's address as the gemeente knows it
     * @param toewijzingen      one or more toegewezen producten, in the order to write them
     * @param toewijzingsmoment when the gemeente decided, Dutch local time: Toewijzingsdatum and
     *                          Toewijzingstijd (to the second) of every product
     * @throws IllegalArgumentException listing every problem, when the aanbieder would reject the
     *                                  message or the XSD would not accept it
     */
    public byte[] write(
            IwmoHeader header,
            Ondersteuningsplan plan,
            Contactadres adres,
            List<Toewijzing> toewijzingen,
            LocalDateTime toewijzingsmoment) {
        Objects.requireNonNull(plan, "plan");
        Client client = plan.client();
        Problems p = new Problems();
        p.gemeenteHeader(header);
        client(p, client, header);
        contact(p, adres);
        producten(p, toewijzingen);
        p.required("ToegewezenProduct/Toewijzingsdatum and Toewijzingstijd (toewijzingsmoment)", toewijzingsmoment);
        if (header != null) {
            // CD076 (Einddatum required with Frequentie per week) holds too: the caller applies the
            // gemeente's OpenEndedPolicy to an open-ended product first
            p.addAll(IwmoRules.wmo301(header, client, adres, toewijzingen, LocalDate.now(clock)).findings().stream()
                    .map(IwmoRules.RuleFinding::melding)
                    .toList());
        }
        p.failIfAny("Cannot write iWmo WMO301 for plan " + plan.requestId());

        return IwmoXml.bericht("wmo301", NS_WMO301, xml -> {
            xml.start(NS_WMO301, "Header");
            xml.header(BERICHT_CODE, header);
            xml.end();
            xml.start(NS_WMO301, "Client");
            client(xml, client);
            contactgegevens(xml, adres);
            xml.start(NS_WMO301, "ToegewezenProducten");
            for (Toewijzing toewijzing : toewijzingen) {
                product(xml, toewijzing, toewijzingsmoment);
            }
            xml.end();
            xml.end();
        });
    }

    private static void client(IwmoXml xml, Client client) throws XMLStreamException {
        xml.leaf(NS_WMO301, "Bsn", client.bsn());
        xml.start(NS_WMO301, "Geboortedatum");
        xml.date(IwmoXml.NS_IWMO, "Datum", client.geboortedatum());
        xml.end();
        xml.leaf(NS_WMO301, "Geslacht", client.geslacht().code());
        xml.start(NS_WMO301, "Naam");
        xml.start(IwmoXml.NS_IWMO, "Geslachtsnaam");
        xml.leaf(IwmoXml.NS_IWMO, "Achternaam", client.achternaam());
        xml.optionalLeaf(IwmoXml.NS_IWMO, "Voorvoegsel", client.voorvoegsel());
        xml.end();
        xml.optionalLeaf(IwmoXml.NS_IWMO, "Voornamen", client.voornamen());
        xml.optionalLeaf(IwmoXml.NS_IWMO, "Voorletters", client.voorletters());
        xml.leaf(IwmoXml.NS_IWMO, "NaamGebruik", NAAMGEBRUIK_EIGEN_NAAM);
        xml.end();
    }

    private static void contactgegevens(IwmoXml xml, Contactadres adres) throws XMLStreamException {
        xml.start(NS_WMO301, "Contactgegevens");
        xml.start(NS_WMO301, "Contact");
        xml.leaf(NS_WMO301, "Soort", adres.soort());
        xml.start(NS_WMO301, "Adres");
        xml.start(IwmoXml.NS_IWMO, "Huis");
        xml.leaf(IwmoXml.NS_IWMO, "Huisnummer", Integer.toString(adres.huisnummer()));
        xml.optionalLeaf(IwmoXml.NS_IWMO, "Huisletter", adres.huisletter());
        xml.optionalLeaf(IwmoXml.NS_IWMO, "HuisnummerToevoeging", adres.huisnummerToevoeging());
        xml.end();
        xml.leaf(IwmoXml.NS_IWMO, "Postcode", adres.postcode());
        xml.leaf(IwmoXml.NS_IWMO, "Straatnaam", adres.straatnaam());
        xml.leaf(IwmoXml.NS_IWMO, "Plaatsnaam", adres.plaatsnaam());
        xml.leaf(IwmoXml.NS_IWMO, "LandCode", adres.landcode());
        xml.end();
        Optional<String> telefoon = IwmoXml.present(adres.telefoon());
        if (telefoon.isPresent()) {
            xml.start(NS_WMO301, "Telefoon");
            xml.start(IwmoXml.NS_IWMO, "Telefoon01");
            xml.leaf(IwmoXml.NS_IWMO, "Telefoonnummer", telefoon.get());
            xml.leaf(IwmoXml.NS_IWMO, "Landnummer", LANDNUMMER_NL);
            xml.end();
            xml.end();
        }
        xml.end();
        xml.end();
    }

    private static void product(IwmoXml xml, Toewijzing t, LocalDateTime berichtMoment) throws XMLStreamException {
        LocalDateTime moment = t.moment().orElse(berichtMoment);
        xml.start(NS_WMO301, "ToegewezenProduct");
        xml.leaf(NS_WMO301, "ToewijzingNummer", Long.toString(t.toewijzingNummer()));
        xml.optionalLeaf(NS_WMO301, "ReferentieAanbieder", t.referentieAanbieder());
        xml.start(NS_WMO301, "Product");
        xml.leaf(IwmoXml.NS_IWMO, "Categorie", t.categorie());
        xml.optionalLeaf(IwmoXml.NS_IWMO, "Code", t.code());
        xml.end();
        xml.date(NS_WMO301, "Toewijzingsdatum", moment.toLocalDate());
        // xs:time needs the seconds; LocalTime.toString() would drop ":00"
        xml.leaf(
                NS_WMO301,
                "Toewijzingstijd",
                moment.toLocalTime().truncatedTo(ChronoUnit.SECONDS).format(TIJD));
        xml.date(NS_WMO301, "Ingangsdatum", t.ingangsdatum());
        if (t.einddatum().isPresent()) {
            xml.date(NS_WMO301, "Einddatum", t.einddatum().get());
        }
        xml.optionalLeaf(NS_WMO301, "RedenWijziging", t.redenWijziging());
        if (t.omvang().isPresent()) {
            Omvang omvang = t.omvang().get();
            xml.start(NS_WMO301, "Omvang");
            xml.leaf(IwmoXml.NS_IWMO, "Volume", Integer.toString(omvang.volume()));
            xml.leaf(IwmoXml.NS_IWMO, "Eenheid", omvang.eenheid());
            xml.leaf(IwmoXml.NS_IWMO, "Frequentie", omvang.frequentie());
            xml.end();
        }
        xml.optionalLeaf(NS_WMO301, "Commentaar", t.commentaar());
        xml.end();
    }

    private static void client(Problems p, Client client, IwmoHeader header) {
        if (client == null) {
            p.add("Client is missing");
            return;
        }
        p.required("Client/Geboortedatum", client.geboortedatum());
        if (client.geboortedatum() != null
                && header != null
                && header.dagtekening() != null
                && client.geboortedatum().isAfter(header.dagtekening())) {
            p.add("Client/Geboortedatum " + client.geboortedatum() + " lies after the Dagtekening "
                    + header.dagtekening());
        }
        p.required("Client/Geslacht", client.geslacht());
        p.line("Client/Naam/Geslachtsnaam/Achternaam", client.achternaam(), MAX_NAAM);
        present(client.voorvoegsel())
                .ifPresent(v -> p.line("Client/Naam/Geslachtsnaam/Voorvoegsel", v, MAX_VOORVOEGSEL));
        present(client.voornamen()).ifPresent(v -> p.line("Client/Naam/Voornamen", v, MAX_NAAM));
        present(client.voorletters())
                .filter(v -> !VOORLETTERS.matcher(v).matches())
                .ifPresent(v ->
                        p.add("Client/Naam/Voorletters '" + v + "' must be 1 to 6 letters, without dots or spaces"));
    }

    private static void contact(Problems p, Contactadres adres) {
        if (adres == null) {
            p.add(CONTACT + " is missing: a WMO301 needs the client's address");
            return;
        }
        p.code(CONTACT + "/Soort", adres.soort(), ADRES_SOORTEN.keySet(), "adressoort (COD757)");
        p.range(CONTACT + "/Adres/Huis/Huisnummer", adres.huisnummer(), 0, MAX_HUISNUMMER);
        present(adres.huisletter()).ifPresent(v -> p.line(CONTACT + "/Adres/Huis/Huisletter", v, 1));
        present(adres.huisnummerToevoeging())
                .ifPresent(v -> p.line(CONTACT + "/Adres/Huis/HuisnummerToevoeging", v, MAX_HUISNUMMER_TOEVOEGING));
        p.line(CONTACT + "/Adres/Postcode", adres.postcode(), MAX_POSTCODE);
        p.line(CONTACT + "/Adres/Straatnaam", adres.straatnaam(), MAX_STRAATNAAM);
        p.line(CONTACT + "/Adres/Plaatsnaam", adres.plaatsnaam(), MAX_PLAATSNAAM);
        p.code(CONTACT + "/Adres/LandCode", adres.landcode(), LANDCODES, "landcode (ISO 3166 alpha-2, COD032)");
        present(adres.telefoon())
                .ifPresent(v -> p.matches(
                        CONTACT + "/Telefoon/Telefoon01/Telefoonnummer", v, TELEFOONNUMMER, "1 to 15 digits"));
    }

    private static void producten(Problems p, List<Toewijzing> toewijzingen) {
        if (toewijzingen == null || toewijzingen.isEmpty()) {
            p.add("ToegewezenProducten needs at least one Toewijzing");
            return;
        }
        for (int i = 0; i < toewijzingen.size(); i++) {
            String path = "ToegewezenProduct[" + (i + 1) + "]";
            Toewijzing t = toewijzingen.get(i);
            if (t == null) {
                p.add(path + " is missing");
                continue;
            }
            p.range(path + "/ToewijzingNummer", t.toewijzingNummer(), 0, MAX_NUMMER);
            present(t.referentieAanbieder()).ifPresent(v -> p.line(path + "/ReferentieAanbieder", v, MAX_REFERENTIE));
            p.code(
                    path + "/Product/Categorie",
                    t.categorie(),
                    Codelijsten.PRODUCTCATEGORIEEN.keySet(),
                    "productcategorie (WMO020)");
            present(t.code()).ifPresent(v -> p.line(path + "/Product/Code", v, MAX_PRODUCTCODE));
            p.required(path + "/Ingangsdatum", t.ingangsdatum());
            present(t.redenWijziging())
                    .ifPresent(v -> p.code(
                            path + "/RedenWijziging", v, REDENEN_WIJZIGING.keySet(), "reden wijziging (WMO002)"));
            t.omvang().ifPresent(omvang -> {
                p.range(path + "/Omvang/Volume", omvang.volume(), 0, MAX_VOLUME);
                p.code(path + "/Omvang/Eenheid", omvang.eenheid(), Codelijsten.EENHEDEN.keySet(), "eenheid (WJ756)");
                p.code(
                        path + "/Omvang/Frequentie",
                        omvang.frequentie(),
                        Codelijsten.FREQUENTIES.keySet(),
                        "frequentie (WMO757)");
            });
            present(t.commentaar()).ifPresent(v -> p.text(path + "/Commentaar", v, Wmo315Rendering.MAX_COMMENTAAR));
        }
    }

    private static Optional<String> present(Optional<String> value) {
        return IwmoXml.present(value);
    }

    private static Map<String, String> ordered(String... codesAndDescriptions) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < codesAndDescriptions.length; i += 2) {
            map.put(codesAndDescriptions[i], codesAndDescriptions[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
