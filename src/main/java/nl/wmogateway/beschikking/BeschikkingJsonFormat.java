package nl.wmogateway.beschikking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import nl.wmogateway.besluit.Beschikking;
import nl.wmogateway.besluit.Beschikking.Besluit;
import nl.wmogateway.besluit.Contactadres;
import nl.wmogateway.besluit.ProductBesluit;
import nl.wmogateway.besluit.ProductBesluit.Uitkomst;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.plan.Codelijsten;
import nl.wmogateway.plan.Omvang;

/**
 * The beschikking as the gateway's own JSON document, version 1: the default format for a
 * gemeente's application. Described by {@code schema/beschikking-v1.schema.json} (JSON Schema
 * 2020-12, {@link #SCHEMA} is its {@code $id} and the document's {@code "schema"} value) and, for
 * the gemeente's developers, by {@code docs/beschikking-json.md}.
 *
 * <p>Keys are the model's Dutch names; dates are {@code yyyy-MM-dd}; an unknown optional value is
 * an absent key, never {@code null}; unknown keys are errors, so a typo never silently drops a
 * value. Everything the schema rejects, this parser rejects too (a test holds them together). The
 * parser also checks what a schema cannot say: einddatum not before ingangsdatum (iWmo CS003),
 * evaluatiedatum after ingangsdatum and not after einddatum, every referentieAanbieder belongs to
 * the aanvraag and occurs once, and no product is granted twice for overlapping periods (TR302).
 *
 * <p>Plain Java rather than a generic schema validator: the findings must carry iWmo retourcodes
 * and one precise JSON Pointer each, and the model must be built from the same walk.
 */
public final class BeschikkingJsonFormat implements BeschikkingFormat {

    public static final String TYPE = "beschikking-json";
    public static final String CONTENT_TYPE = "application/json";
    /** The schema this format reads; also the JSON Schema's {@code $id}. */
    public static final String SCHEMA = "https://wmo-gateway.nl/schema/beschikking/v1";

    /** iWmo WJ759 RedenAfwijzingVerzoek. */
    static final Set<String> REDENEN_AFWIJZING = ordered("1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** iWmo WMO002 RedenWijziging, without 01 "Administratieve correctie (vervallen)": 14 replaces it. */
    static final Set<String> REDENEN_WIJZIGING =
            ordered("02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14");
    /** iWmo COD757 AdresSoort that can be a client's address in a toewijzing (TR061). */
    static final Set<String> ADRESSOORTEN = ordered("01", "02", "03");
    /** iWmo COD032 LandCode: the enumeration of LDT_LandCode in the iWmo 3.2 basisschema. */
    static final Set<String> LANDCODES = ordered(
            ("AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV "
                            + "BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER "
                            + "ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU "
                            + "ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT "
                            + "LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL "
                            + "NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH "
                            + "SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM "
                            + "US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW")
                    .split(" "));
    /** iWmo CS089: a Dutch postcode, four digits (not starting with 0) and two capitals, no space. */
    static final Pattern NL_POSTCODE = Pattern.compile("[1-9][0-9]{3}[A-Z]{2}");
    /** Hulpmiddelen may be granted more than once for the same period (OP259). */
    static final Set<String> HULPMIDDELEN = ordered("11", "12", "13", "14");

    static final int MAX_AANVRAAG = 33;
    static final int MAX_REFERENTIE = 36;
    static final int MAX_PRODUCTCODE = 5;
    static final long MAX_NUMMER = 999_999_999L;
    static final long MAX_VOLUME = 99_999_999L;
    static final int MAX_STRAATNAAM = 24;
    static final int MAX_HUISNUMMER = 99_999;
    static final int MAX_TOEVOEGING = 4;
    static final int MAX_POSTCODE = 8;
    static final int MAX_PLAATSNAAM = 80;
    /** The schema's "\S": JSON Schema patterns are searched, not matched, so one non-space suffices. */
    static final Pattern NOT_BLANK = Pattern.compile("\\S");

    static final Pattern TELEFOON = Pattern.compile("[0-9]{1,15}");
    /** A referentieAanbieder ends in "-" and the product's number 1..99, as the gateway assigns them. */
    static final Pattern REFERENTIE = Pattern.compile(".+-[1-9][0-9]?");

    private static final Pattern DATUM = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private static final Map<String, Besluit> BESLUITEN = besluiten();
    private static final Map<String, Uitkomst> UITKOMSTEN = uitkomsten();

    private static final Set<String> ROOT_KEYS = ordered(
            "schema",
            "aanvraag",
            "beschikkingnummer",
            "besluit",
            "afgiftedatum",
            "producten",
            "contactadres",
            "motivering",
            "redenWijziging");
    private static final Set<String> PRODUCT_KEYS = ordered(
            "referentieAanbieder",
            "uitkomst",
            "productcategorie",
            "productcode",
            "omvang",
            "ingangsdatum",
            "einddatum",
            "evaluatiedatum",
            "redenAfwijzing",
            "toewijzingNummer",
            "toewijzingsdatum",
            "toewijzingstijd");
    private static final Set<String> OMVANG_KEYS = ordered("volume", "eenheid", "frequentie");
    private static final Set<String> CONTACTADRES_KEYS = ordered(
            "soort",
            "straatnaam",
            "huisnummer",
            "huisletter",
            "huisnummerToevoeging",
            "postcode",
            "plaatsnaam",
            "landcode",
            "telefoon");
    private static final List<String> ALLEEN_TOEGEKEND = List.of(
            "omvang",
            "ingangsdatum",
            "einddatum",
            "evaluatiedatum",
            "toewijzingNummer",
            "toewijzingsdatum",
            "toewijzingstijd");
    /** iWmo LDT_Nummer, the ToewijzingNummer. */
    static final long MAX_TOEWIJZINGNUMMER = 999_999_999L;

    private static final java.util.regex.Pattern TIJD =
            java.util.regex.Pattern.compile("[0-2][0-9]:[0-5][0-9]:[0-5][0-9]");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> contentTypes() {
        return Set.of(CONTENT_TYPE);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The gemeentecode is not used: the document does not name its gemeente; whether the
     * aanvraag was addressed to this gemeente is the caller's check.
     */
    @Override
    public Parsed parse(byte[] body, String gemeentecode) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")";
            return unreadable("The body is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            // invalid UTF-8 and the like; the promise is findings, never an exception
            return unreadable("The body is not valid JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            return unreadable("The body is empty; expected a beschikking as a JSON object");
        }
        if (!root.isObject()) {
            return unreadable("The body is JSON but not an object; a beschikking is a JSON object");
        }
        return new Reading().document((ObjectNode) root);
    }

    private static Parsed unreadable(String message) {
        return new Parsed(Optional.empty(), List.of(Finding.error(UNREADABLE, message, "")));
    }

    /** One parse: the findings so far, and the walk that adds to them. */
    private static final class Reading {

        private final List<Finding> findings = new ArrayList<>();

        Parsed document(ObjectNode root) {
            Obj doc = new Obj(root, "", ROOT_KEYS, "a beschikking");
            JsonNode schema = doc.value("schema", true);
            if (schema != null && !SCHEMA.equals(schema.textValue())) {
                invalid("/schema", "'schema' must be \"" + SCHEMA + "\"; this gateway reads version 1 only");
            }
            Optional<String> aanvraag = doc.text("aanvraag", true, MAX_AANVRAAG);
            Optional<Long> nummer = doc.integer("beschikkingnummer", true, 0, MAX_NUMMER);
            Optional<Besluit> besluit =
                    doc.code("besluit", true, BESLUITEN.keySet(), "a besluit").map(BESLUITEN::get);
            Optional<LocalDate> afgiftedatum = doc.date("afgiftedatum", true);
            List<Product> producten = producten(doc, aanvraag);
            Optional<Contactadres> contactadres = doc.object("contactadres", false, CONTACTADRES_KEYS, "a contactadres")
                    .flatMap(this::contactadres);
            Optional<String> motivering = doc.text("motivering", false, 0);
            Optional<String> redenWijziging = doc.code(
                    "redenWijziging",
                    false,
                    REDENEN_WIJZIGING,
                    "an iWmo RedenWijziging (WMO002; 01 is vervallen, use 14)");

            besluitPastBijProducten(besluit, producten);
            boolean ietsToegekend = producten.stream().anyMatch(p -> p.is(Uitkomst.TOEGEKEND));
            if (ietsToegekend && !root.has("contactadres")) {
                error(
                        REQUIRED,
                        "/contactadres",
                        "'contactadres' is required when a product is granted: the"
                                + " toewijzing (iWmo WMO301) for the care organisation must carry the client's address");
            }
            geenStapeling(producten);

            if (findings.stream().anyMatch(Finding::isError)) {
                return new Parsed(Optional.empty(), findings);
            }
            Beschikking beschikking = new Beschikking(
                    aanvraag.orElseThrow(),
                    nummer.orElseThrow(),
                    besluit.orElseThrow(),
                    afgiftedatum.orElseThrow(),
                    producten.stream().map(p -> p.besluit().orElseThrow()).toList(),
                    contactadres,
                    motivering,
                    redenWijziging);
            return new Parsed(Optional.of(beschikking), findings);
        }

        private List<Product> producten(Obj doc, Optional<String> aanvraag) {
            List<Product> producten = new ArrayList<>();
            JsonNode array = doc.value("producten", true);
            if (array == null) {
                return producten;
            }
            if (!array.isArray()) {
                invalid("/producten", "'producten' must be an array of products");
                return producten;
            }
            if (array.isEmpty()) {
                error(REQUIRED, "/producten", "'producten' must list at least one product");
            }
            Map<String, String> referenties = new HashMap<>();
            for (int i = 0; i < array.size(); i++) {
                String at = "/producten/" + i;
                JsonNode node = array.get(i);
                if (!node.isObject()) {
                    invalid(at, "a product must be an object");
                    continue;
                }
                Product product = product(new Obj((ObjectNode) node, at, PRODUCT_KEYS, "a product"), aanvraag);
                product.referentie.ifPresent(ref -> {
                    String earlier = referenties.putIfAbsent(ref, at);
                    if (earlier != null) {
                        invalid(
                                at + "/referentieAanbieder",
                                "referentieAanbieder '" + ref + "' occurs more than once;" + " also at " + earlier
                                        + ". Decide on each requested product once");
                    }
                });
                producten.add(product);
            }
            return producten;
        }

        private Product product(Obj p, Optional<String> aanvraag) {
            String at = p.at;
            Optional<String> referentie = p.text("referentieAanbieder", false, MAX_REFERENTIE)
                    .filter(ref -> referentieHoortBijAanvraag(ref, aanvraag, at + "/referentieAanbieder"));
            Optional<Uitkomst> uitkomst =
                    p.code("uitkomst", true, UITKOMSTEN.keySet(), "an uitkomst").map(UITKOMSTEN::get);
            Optional<String> categorie = p.code(
                    "productcategorie",
                    true,
                    Codelijsten.PRODUCTCATEGORIEEN.keySet(),
                    "an iWmo productcategorie (WMO020)");
            Optional<String> code = p.text("productcode", false, MAX_PRODUCTCODE);
            Optional<Omvang> omvang =
                    p.object("omvang", false, OMVANG_KEYS, "an omvang").flatMap(this::omvang);
            Optional<LocalDate> ingangsdatum = p.date("ingangsdatum", false);
            Optional<LocalDate> einddatum = p.date("einddatum", false);
            Optional<LocalDate> evaluatiedatum = p.date("evaluatiedatum", false);
            Optional<String> redenAfwijzing =
                    p.code("redenAfwijzing", false, REDENEN_AFWIJZING, "an iWmo RedenAfwijzingVerzoek (WJ759)");
            Optional<Long> toewijzingNummer = p.integer("toewijzingNummer", false, 0, MAX_TOEWIJZINGNUMMER);
            Optional<LocalDate> toewijzingsdatum = p.date("toewijzingsdatum", false);
            Optional<java.time.LocalTime> toewijzingstijd = p.text("toewijzingstijd", false, 8)
                    .flatMap(t -> {
                        if (TIJD.matcher(t).matches()) {
                            try {
                                return Optional.of(java.time.LocalTime.parse(t));
                            } catch (DateTimeParseException e) {
                                // falls through: right shape, no such time
                            }
                        }
                        invalid(at + "/toewijzingstijd", "'" + t + "' is not a time; use HH:mm:ss, e.g. 14:02:37");
                        return Optional.empty();
                    });
            if (p.node.has("toewijzingstijd") && !p.node.has("toewijzingsdatum")) {
                invalid(at + "/toewijzingstijd", "'toewijzingstijd' only comes with a 'toewijzingsdatum'");
            }
            Optional<java.time.LocalDateTime> toewijzingsmoment =
                    toewijzingsdatum.map(d -> d.atTime(toewijzingstijd.orElse(java.time.LocalTime.MIDNIGHT)));

            uitkomst.ifPresent(u -> {
                if (u == Uitkomst.TOEGEKEND) {
                    toegekend(p, omvang);
                } else {
                    nietToegekend(p, u);
                }
                if (u != Uitkomst.TOEGEKEND && !p.node.has("referentieAanbieder")) {
                    error(
                            REQUIRED,
                            at + "/referentieAanbieder",
                            "'referentieAanbieder' is required for a product that"
                                    + " is not granted: only a requested product can be " + code(u)
                                    + "; a product without one is one the gemeente grants in addition");
                }
            });
            ingangsdatum.ifPresent(ingang -> {
                einddatum
                        .filter(eind -> eind.isBefore(ingang))
                        .ifPresent(eind -> invalid(
                                at + "/einddatum",
                                "einddatum " + eind + " is before ingangsdatum " + ingang + " (iWmo CS003)"));
                evaluatiedatum
                        .filter(eval -> !eval.isAfter(ingang))
                        .ifPresent(eval -> invalid(
                                at + "/evaluatiedatum",
                                "evaluatiedatum " + eval + " must be after ingangsdatum " + ingang));
            });
            evaluatiedatum.ifPresent(eval -> einddatum
                    .filter(eval::isAfter)
                    .ifPresent(eind -> invalid(
                            at + "/evaluatiedatum",
                            "evaluatiedatum " + eval + " is after einddatum " + eind
                                    + "; evaluate before the toewijzing ends")));

            Optional<ProductBesluit> besluit = uitkomst.isPresent() && categorie.isPresent()
                    ? Optional.of(new ProductBesluit(
                            referentie,
                            uitkomst.get(),
                            categorie.get(),
                            code,
                            omvang,
                            ingangsdatum,
                            einddatum,
                            evaluatiedatum,
                            redenAfwijzing,
                            toewijzingNummer,
                            toewijzingsmoment))
                    : Optional.empty();
            return new Product(at, referentie, uitkomst, categorie, code, ingangsdatum, einddatum, besluit);
        }

        private void toegekend(Obj p, Optional<Omvang> omvang) {
            String at = p.at;
            if (!p.node.has("ingangsdatum")) {
                error(REQUIRED, at + "/ingangsdatum", "'ingangsdatum' is required for a granted product");
            }
            if (p.node.has("productcode") && !p.node.has("omvang")) {
                error(
                        REQUIRED,
                        at + "/omvang",
                        "'omvang' is required for a granted product with a productcode"
                                + " (iWmo CD041); deciding on result without a volume is not allowed");
            }
            if (p.node.has("omvang") && !p.node.has("productcode")) {
                error(
                        INVALID,
                        at + "/omvang",
                        "an 'omvang' needs a 'productcode' (iWmo CD080); a product"
                                + " granted on productcategorie only (taakgericht) has no omvang");
            }
            omvang.filter(o -> Omvang.FREQUENTIE_TOTAAL.equals(o.frequentie()))
                    .filter(o -> !p.node.has("einddatum"))
                    .ifPresent(o -> error(
                            REQUIRED,
                            at + "/einddatum",
                            "'einddatum' is required when the omvang is"
                                    + " a total within the toewijzing (frequentie 6)"));
            if (p.node.has("redenAfwijzing")) {
                invalid(at + "/redenAfwijzing", "only a rejected product has a 'redenAfwijzing'");
            }
        }

        private void nietToegekend(Obj p, Uitkomst uitkomst) {
            for (String key : ALLEEN_TOEGEKEND) {
                if (p.node.has(key)) {
                    invalid(
                            p.at + "/" + key,
                            "only a granted product has '" + key + "'; this one is " + code(uitkomst));
                }
            }
            if (uitkomst == Uitkomst.AFGEWEZEN && !p.node.has("redenAfwijzing")) {
                error(
                        REQUIRED,
                        p.at + "/redenAfwijzing",
                        "'redenAfwijzing' is required for a rejected product"
                                + " (iWmo WJ759, e.g. 7 Zorginhoudelijke afkeur)");
            }
            if (uitkomst == Uitkomst.IN_ONDERZOEK && p.node.has("redenAfwijzing")) {
                invalid(
                        p.at + "/redenAfwijzing",
                        "only a rejected product has a 'redenAfwijzing'; this one is in-onderzoek");
            }
        }

        private boolean referentieHoortBijAanvraag(String referentie, Optional<String> aanvraag, String at) {
            if (!REFERENTIE.matcher(referentie).matches()) {
                invalid(
                        at,
                        "referentieAanbieder '" + referentie + "' is not one the gateway assigned: it is the"
                                + " aanvraag, '-' and the product's number, e.g. '" + aanvraag.orElse("<aanvraag>")
                                + "-1'");
                return false;
            }
            if (aanvraag.isPresent()
                    && !referentie.substring(0, referentie.lastIndexOf('-')).equals(aanvraag.get())) {
                invalid(
                        at,
                        "referentieAanbieder '" + referentie + "' does not belong to aanvraag '" + aanvraag.get()
                                + "'; expected '" + aanvraag.get() + "-<n>'");
                return false;
            }
            return true;
        }

        private void besluitPastBijProducten(Optional<Besluit> besluit, List<Product> producten) {
            if (besluit.isEmpty() || producten.isEmpty() || producten.stream().anyMatch(p -> p.uitkomst.isEmpty())) {
                return;
            }
            long toegekend =
                    producten.stream().filter(p -> p.is(Uitkomst.TOEGEKEND)).count();
            long afgewezen =
                    producten.stream().filter(p -> p.is(Uitkomst.AFGEWEZEN)).count();
            long onderzoek =
                    producten.stream().filter(p -> p.is(Uitkomst.IN_ONDERZOEK)).count();
            int n = producten.size();
            String fout = switch (besluit.get()) {
                case TOEGEKEND -> toegekend == n ? null : "'toegekend' means every product is granted";
                case DEELS_TOEGEKEND ->
                    toegekend > 0 && toegekend < n
                            ? null
                            : "'deels-toegekend' means at least one product is granted and at least one is not";
                case AFGEWEZEN ->
                    toegekend == 0 && afgewezen > 0
                            ? null
                            : "'afgewezen' means no product is granted and at least one is rejected";
                case IN_ONDERZOEK -> onderzoek == n ? null : "'in-onderzoek' means every product is in-onderzoek";
            };
            if (fout != null) {
                invalid(
                        "/besluit",
                        "besluit " + fout + "; the products are " + toegekend + " toegekend, " + afgewezen
                                + " afgewezen, " + onderzoek + " in-onderzoek");
            }
        }

        /** iWmo TR302 / OP259: no stacking of the same product over overlapping periods. */
        private void geenStapeling(List<Product> producten) {
            List<Product> toegekend = producten.stream()
                    .filter(p -> p.is(Uitkomst.TOEGEKEND) && p.categorie.isPresent() && p.ingangsdatum.isPresent())
                    .filter(p -> !HULPMIDDELEN.contains(p.categorie.get()))
                    .toList();
            for (int j = 1; j < toegekend.size(); j++) {
                Product later = toegekend.get(j);
                for (int i = 0; i < j; i++) {
                    Product eerder = toegekend.get(i);
                    if (eerder.categorie.equals(later.categorie)
                            && eerder.code.equals(later.code)
                            && overlap(eerder, later)) {
                        invalid(
                                later.at,
                                "grants the same product as " + eerder.at + " for an overlapping period"
                                        + " (iWmo TR302); grant it once, or make the periods follow each other");
                        break;
                    }
                }
            }
        }

        private static boolean overlap(Product a, Product b) {
            LocalDate startA = a.ingangsdatum.orElseThrow();
            LocalDate startB = b.ingangsdatum.orElseThrow();
            boolean aEndsBeforeB = a.einddatum.map(e -> e.isBefore(startB)).orElse(false);
            boolean bEndsBeforeA = b.einddatum.map(e -> e.isBefore(startA)).orElse(false);
            return !aEndsBeforeB && !bEndsBeforeA;
        }

        private Optional<Omvang> omvang(Obj o) {
            Optional<Long> volume = o.integer("volume", true, 0, MAX_VOLUME);
            Optional<String> eenheid =
                    o.code("eenheid", true, Codelijsten.EENHEDEN.keySet(), "an iWmo eenheid (WJ756)");
            Optional<String> frequentie =
                    o.code("frequentie", true, Codelijsten.FREQUENTIES.keySet(), "an iWmo frequentie (WMO757)");
            if (volume.isEmpty() || eenheid.isEmpty() || frequentie.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Omvang(volume.get().intValue(), eenheid.get(), frequentie.get()));
        }

        private Optional<Contactadres> contactadres(Obj a) {
            Optional<String> soort = a.code("soort", true, ADRESSOORTEN, "an iWmo AdresSoort (COD757) for a client");
            Optional<String> straatnaam = a.text("straatnaam", true, MAX_STRAATNAAM);
            Optional<Long> huisnummer = a.integer("huisnummer", true, 0, MAX_HUISNUMMER);
            Optional<String> huisletter = a.text("huisletter", false, 1);
            Optional<String> toevoeging = a.text("huisnummerToevoeging", false, MAX_TOEVOEGING);
            Optional<String> postcode = a.text("postcode", true, MAX_POSTCODE);
            Optional<String> plaatsnaam = a.text("plaatsnaam", true, MAX_PLAATSNAAM);
            Optional<String> landcode =
                    a.code("landcode", true, LANDCODES, "an ISO 3166 alpha-2 country code from iWmo COD032, e.g. NL");
            Optional<String> telefoon = a.text("telefoon", false, 0);
            telefoon = telefoon.filter(t -> {
                boolean ok = TELEFOON.matcher(t).matches();
                if (!ok) {
                    invalid(a.at + "/telefoon", "telefoon must be 1 to 15 digits, without spaces or '+'");
                }
                return ok;
            });
            if (landcode.filter("NL"::equals).isPresent()
                    && postcode.isPresent()
                    && !NL_POSTCODE.matcher(postcode.get()).matches()) {
                invalid(
                        a.at + "/postcode",
                        "postcode '" + postcode.get() + "' is not a Dutch postcode: four digits"
                                + " and two capitals without a space, e.g. 7511AB (iWmo CS089)");
                return Optional.empty();
            }
            if (soort.isEmpty()
                    || straatnaam.isEmpty()
                    || huisnummer.isEmpty()
                    || postcode.isEmpty()
                    || plaatsnaam.isEmpty()
                    || landcode.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Contactadres(
                    soort.get(),
                    straatnaam.get(),
                    huisnummer.get().intValue(),
                    huisletter,
                    toevoeging,
                    postcode.get(),
                    plaatsnaam.get(),
                    landcode.get(),
                    telefoon));
        }

        private void invalid(String at, String message) {
            error(INVALID, at, message);
        }

        private void error(String code, String at, String message) {
            findings.add(Finding.error(code, message, at));
        }

        /** One JSON object at a pointer, with the keys it may have; reading a value records what is wrong with it. */
        private final class Obj {

            final ObjectNode node;
            final String at;

            Obj(ObjectNode node, String at, Set<String> keys, String what) {
                this.node = node;
                this.at = at;
                for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!keys.contains(name)) {
                        invalid(pointer(name), "unknown key '" + name + "'; " + what + " has only " + keys);
                    }
                }
            }

            String pointer(String key) {
                return at + "/" + key.replace("~", "~0").replace("/", "~1");
            }

            /** The value, or null (and a finding) when it is absent and required, or is JSON null. */
            JsonNode value(String key, boolean required) {
                JsonNode value = node.get(key);
                if (value == null) {
                    if (required) {
                        error(REQUIRED, pointer(key), "'" + key + "' is required");
                    }
                    return null;
                }
                if (value.isNull()) {
                    invalid(pointer(key), "'" + key + "' is null; leave an optional key out instead of sending null");
                    return null;
                }
                return value;
            }

            Optional<String> string(String key, boolean required) {
                JsonNode value = value(key, required);
                if (value == null) {
                    return Optional.empty();
                }
                if (!value.isTextual()) {
                    invalid(pointer(key), "'" + key + "' must be a string");
                    return Optional.empty();
                }
                return Optional.of(value.textValue());
            }

            /** Non-blank text of at most maxLength characters (code points, as JSON Schema counts); 0: no limit. */
            Optional<String> text(String key, boolean required, int maxLength) {
                return string(key, required).filter(s -> {
                    if (!NOT_BLANK.matcher(s).find()) {
                        invalid(
                                pointer(key),
                                "'" + key + "' must not be empty or only whitespace; leave it out instead");
                        return false;
                    }
                    int length = s.codePointCount(0, s.length());
                    if (maxLength > 0 && length > maxLength) {
                        invalid(
                                pointer(key),
                                "'" + key + "' has " + length + " characters; at most " + maxLength + " fit in iWmo");
                        return false;
                    }
                    return true;
                });
            }

            Optional<String> code(String key, boolean required, Collection<String> codes, String what) {
                return string(key, required).filter(s -> {
                    if (!codes.contains(s)) {
                        String expected = codes.size() > 20 ? "" : ": one of " + codes;
                        invalid(pointer(key), "'" + s + "' is not " + what + expected);
                        return false;
                    }
                    return true;
                });
            }

            Optional<LocalDate> date(String key, boolean required) {
                Optional<String> text = string(key, required);
                if (text.isEmpty()) {
                    return Optional.empty();
                }
                if (DATUM.matcher(text.get()).matches()) {
                    try {
                        return Optional.of(LocalDate.parse(text.get()));
                    } catch (DateTimeParseException e) {
                        // falls through to the finding: right shape, no such day
                    }
                }
                invalid(pointer(key), "'" + text.get() + "' is not a date; use yyyy-MM-dd, e.g. 2026-04-01");
                return Optional.empty();
            }

            /** A JSON integer in [min, max]; 180.0 counts as an integer, as in JSON Schema. */
            Optional<Long> integer(String key, boolean required, long min, long max) {
                JsonNode value = value(key, required);
                if (value == null) {
                    return Optional.empty();
                }
                if (!value.isNumber() || !value.canConvertToExactIntegral()) {
                    invalid(pointer(key), "'" + key + "' must be a whole number");
                    return Optional.empty();
                }
                BigDecimal number = value.decimalValue();
                if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
                    invalid(pointer(key), "'" + key + "' must be " + min + " to " + max + ", got " + value.asText());
                    return Optional.empty();
                }
                return Optional.of(number.longValueExact());
            }

            Optional<Obj> object(String key, boolean required, Set<String> keys, String what) {
                JsonNode value = value(key, required);
                if (value == null) {
                    return Optional.empty();
                }
                if (!value.isObject()) {
                    invalid(pointer(key), "'" + key + "' must be an object");
                    return Optional.empty();
                }
                return Optional.of(new Obj((ObjectNode) value, pointer(key), keys, what));
            }
        }
    }

    /** What was read of one product, for the rules across products; besluit is empty when it could not be built. */
    private record Product(
            String at,
            Optional<String> referentie,
            Optional<Uitkomst> uitkomst,
            Optional<String> categorie,
            Optional<String> code,
            Optional<LocalDate> ingangsdatum,
            Optional<LocalDate> einddatum,
            Optional<ProductBesluit> besluit) {

        boolean is(Uitkomst u) {
            return uitkomst.filter(u::equals).isPresent();
        }
    }

    private static String code(Uitkomst uitkomst) {
        return uitkomst.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Map<String, Besluit> besluiten() {
        Map<String, Besluit> map = new LinkedHashMap<>();
        for (Besluit besluit : Besluit.values()) {
            map.put(besluit.code(), besluit);
        }
        return Collections.unmodifiableMap(map);
    }

    private static Map<String, Uitkomst> uitkomsten() {
        Map<String, Uitkomst> map = new LinkedHashMap<>();
        for (Uitkomst uitkomst : Uitkomst.values()) {
            map.put(code(uitkomst), uitkomst);
        }
        return Collections.unmodifiableMap(map);
    }

    private static Set<String> ordered(String... codes) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(codes)));
    }
}
