package nl.wmogateway.beschikking;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
import nl.wmogateway.iwmo.Bsn;
import nl.wmogateway.iwmo.IwmoCodes;
import nl.wmogateway.iwmo.IwmoXmlReader;
import nl.wmogateway.plan.Codelijsten;
import nl.wmogateway.plan.Omvang;

/**
 * The beschikking as the iWmo 3.2 message the gemeente's Wmo application already makes for the
 * care organisation: a WMO301 toewijzing (products granted) or a WMO319 antwoordbericht (a
 * requested product rejected, or in onderzoek). For gemeenten that would rather send that than
 * the {@link BeschikkingJsonFormat JSON}; one message gives one {@link Beschikking} for what it
 * decides, so a partial grant arrives as a WMO301 plus a WMO319 per product not granted.
 *
 * <p>What iWmo does not carry, and how the gateway gets it:
 * <ul>
 *   <li>BeschikkingNummer is in neither message: the gemeente sends it in the HTTP header
 *       {@value #HEADER_BESCHIKKINGNUMMER}, and the caller passes it to
 *       {@link #parse(byte[], String, Optional)}; without it the body is refused.</li>
 *   <li>The aanvraag is the part of ReferentieAanbieder before the last {@code -}.</li>
 *   <li>Afgiftedatum: the latest Toewijzingsdatum of the products (WMO301), or the Dagtekening (WMO319).</li>
 *   <li>A WMO319 names no product, so its ProductBesluit has categorie {@value #CATEGORIE_ONBEKEND}
 *       (empty): the caller fills it from the aanvraag's maatwerkvoorziening with that referentieAanbieder.</li>
 *   <li>Evaluatiedatum and motivering have no iWmo element and stay empty; Budget and Commentaar are not read.</li>
 * </ul>
 *
 * <p>A WMO301 is a snapshot of all the client's current toewijzingen with this aanbieder (OP087).
 * The beschikking is made of the products whose ReferentieAanbieder belongs to one gateway
 * aanvraag: the aanvraag of the most recent toewijzing (Toewijzingsdatum and -tijd, as OP033x1
 * decides which toewijzing counts). Every other product (earlier toewijzingen, changes on the
 * gemeente's own initiative, requests that did not come through the gateway) is left out with a
 * warning.
 *
 * <p>Checked: the header (BerichtCode, version 3.2, Afzender is the authenticated gemeente, else a
 * {@value BeschikkingFormat#SECURITY} finding), the elements the mapping reads (presence, code lists,
 * lengths, dates), Bsn (CS002), CS003, CS089, CD041 and CD080. The other TR/CD/CS rules are the
 * official rule set's, applied before this format reads the message when it is configured
 * ({@link nl.wmogateway.iwmo.OfficialRules}).
 *
 * <p>Parsed by the one hardened iWmo reader ({@link IwmoXmlReader}): namespace-aware, DTDs refused
 * outright (so no external or internal entities), no external access, a bounded depth.
 */
public final class BeschikkingIwmoFormat implements BeschikkingFormat {

    public static final String TYPE = "iwmo-xml";
    /** The HTTP header that carries the BeschikkingNummer, digits only, 0..999999999. */
    public static final String HEADER_BESCHIKKINGNUMMER = "Wmo-Beschikkingnummer";
    /** The categorie of the product of a WMO319, which names none. */
    public static final String CATEGORIE_ONBEKEND = "";

    public static final String NS_IWMO = IwmoCodes.NS_IWMO;
    public static final String NS_WMO301 = IwmoCodes.namespace("wmo301");
    public static final String NS_WMO319 = IwmoCodes.namespace("wmo319");

    private static final String HEADER_LOCATIE = "header:" + HEADER_BESCHIKKINGNUMMER;
    private static final Pattern NUMMER = Pattern.compile("[0-9]{1,9}");
    /** iWmo LDT_Nummer. */
    private static final long MAX_TOEWIJZINGNUMMER = 999_999_999L;

    private static final Pattern AGB_CODE = Pattern.compile("[0-9]{8}");
    private static final int MAX_IDENTIFICATIE = 12;
    /** CD080 applies to toewijzingen that end after this date, or not at all. */
    private static final LocalDate CD080_VANAF = LocalDate.of(2020, 12, 31);

    private static final Set<String> REDENEN_WIJZIGING_IWMO = union("01", BeschikkingJsonFormat.REDENEN_WIJZIGING);

    public BeschikkingIwmoFormat() {}

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> contentTypes() {
        return Set.of("application/xml", "text/xml");
    }

    /** Without the {@value #HEADER_BESCHIKKINGNUMMER} header: always refused for want of it. */
    @Override
    public Parsed parse(byte[] body, String gemeentecode) {
        return parse(body, gemeentecode, Optional.empty());
    }

    /**
     * {@inheritDoc}
     *
     * @param gemeentecode      the authenticated gemeente; the message's Afzender must be this code
     * @param beschikkingnummer the value of the {@value #HEADER_BESCHIKKINGNUMMER} header
     */
    @Override
    public Parsed parse(byte[] body, String gemeentecode, Optional<String> beschikkingnummer) {
        Element root;
        try {
            root = read(body);
        } catch (IwmoXmlReader.UnreadableXmlException e) {
            return unreadable("The body is not "
                    + (e.getMessage().contains("DOCTYPE")
                            ? "accepted: " + e.getMessage() + " (no entities)"
                            : e.getMessage()));
        }
        Reading reading = new Reading(gemeentecode, beschikkingnummer);
        if (root.is(NS_WMO301, "Bericht")) {
            return reading.wmo301(root);
        }
        if (root.is(NS_WMO319, "Bericht")) {
            return reading.wmo319(root);
        }
        return unreadable("Not an iWmo 3.2 WMO301 or WMO319: the root element is {" + root.ns + "}" + root.name
                + "; expected Bericht in namespace " + NS_WMO301 + " or " + NS_WMO319);
    }

    private static Parsed unreadable(String message) {
        return new Parsed(Optional.empty(), List.of(Finding.error(UNREADABLE, message, "")));
    }

    // ---------------------------------------------------------------- reading XML

    /** The body as a tree of {@link Element}s, read by the one hardened iWmo reader ({@link IwmoXmlReader}). */
    private static Element read(byte[] body) {
        org.w3c.dom.Element document = IwmoXmlReader.read(body).getDocumentElement();
        Element root = element(document);
        root.locate("/" + root.name);
        return root;
    }

    private static Element element(org.w3c.dom.Element dom) {
        Element element = new Element(nullToEmpty(dom.getNamespaceURI()), dom.getLocalName());
        for (org.w3c.dom.Node n = dom.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof org.w3c.dom.Element child) {
                element.children.add(element(child));
            } else if (n.getNodeType() == org.w3c.dom.Node.TEXT_NODE
                    || n.getNodeType() == org.w3c.dom.Node.CDATA_SECTION_NODE) {
                element.text.append(n.getNodeValue());
            }
        }
        return element;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** A parsed element: namespace, local name, text, children, and its XPath once located. */
    private static final class Element {

        final String ns;
        final String name;
        final StringBuilder text = new StringBuilder();
        final List<Element> children = new ArrayList<>();
        String path = "";

        Element(String ns, String name) {
            this.ns = ns;
            this.name = name;
        }

        boolean is(String namespace, String localName) {
            return ns.equals(namespace) && name.equals(localName);
        }

        /** Sets the XPath of this element and its children: a position only where a name repeats. */
        void locate(String ownPath) {
            path = ownPath;
            Map<String, Integer> count = new HashMap<>();
            children.forEach(c -> count.merge(c.name, 1, Integer::sum));
            Map<String, Integer> seen = new HashMap<>();
            for (Element child : children) {
                int position = seen.merge(child.name, 1, Integer::sum);
                child.locate(ownPath + "/" + child.name + (count.get(child.name) > 1 ? "[" + position + "]" : ""));
            }
        }

        List<Element> all(String namespace, String localName) {
            return children.stream().filter(c -> c.is(namespace, localName)).toList();
        }

        Optional<Element> first(String namespace, String localName) {
            return children.stream().filter(c -> c.is(namespace, localName)).findFirst();
        }

        String pathOf(String localName) {
            return path + "/" + localName;
        }
    }

    // ---------------------------------------------------------------- mapping

    /** One parse: its inputs and findings, and the mapping that adds to them. */
    private static final class Reading {

        private final String gemeentecode;
        private final Optional<String> beschikkingnummerHeader;
        private final List<Finding> findings = new ArrayList<>();

        Reading(String gemeentecode, Optional<String> beschikkingnummerHeader) {
            this.gemeentecode = gemeentecode;
            this.beschikkingnummerHeader = beschikkingnummerHeader;
        }

        Parsed wmo301(Element bericht) {
            String ns = NS_WMO301;
            Optional<LocalDate> dagtekening = header(bericht, ns, "414");
            Optional<Long> nummer = beschikkingnummer();
            Optional<Element> client = required(bericht, ns, "Client");
            client.flatMap(c -> required(c, ns, "Bsn")).ifPresent(bsn -> {
                if (!Bsn.isValid(bsn.text.toString())) {
                    invalid(bsn.path, "Bsn '" + bsn.text + "' does not pass the 11-proef (iWmo CS002)");
                }
            });
            List<Element> alle = client.flatMap(c -> required(c, ns, "ToegewezenProducten"))
                    .map(p -> p.all(ns, "ToegewezenProduct"))
                    .orElse(List.of());
            List<ToegewezenProduct> gelezen =
                    alle.stream().map(this::toegewezenProduct).toList();
            Optional<String> aanvraag = aanvraagVanLaatsteToewijzing(gelezen, client);
            List<ToegewezenProduct> deze = new ArrayList<>();
            for (ToegewezenProduct t : gelezen) {
                if (aanvraag.isPresent() && t.aanvraag().equals(aanvraag)) {
                    deze.add(t);
                } else if (aanvraag.isPresent()) {
                    findings.add(Finding.warning(
                            INFORMATIONAL,
                            "Not part of this beschikking, left out: " + t.waarom(aanvraag.get()),
                            t.element.path));
                }
            }
            List<ProductBesluit> producten = new ArrayList<>();
            Set<String> redenenWijziging = new LinkedHashSet<>();
            for (ToegewezenProduct t : deze) {
                product(t.element, ns, t.toegewezen()).ifPresent(producten::add);
                t.element.first(ns, "RedenWijziging").ifPresent(r -> {
                    redenenWijziging.add(r.text.toString());
                    if (redenenWijziging.size() > 1) {
                        invalid(
                                r.path,
                                "the products of one beschikking have different RedenWijziging " + redenenWijziging
                                        + "; the gateway carries one per beschikking");
                    }
                });
                t.element
                        .first(ns, "Budget")
                        .ifPresent(b -> findings.add(Finding.warning(
                                INFORMATIONAL,
                                "Budget is not carried by the gateway; the care organisation gets it from the gemeente's"
                                        + " own WMO301",
                                b.path)));
            }
            Optional<Contactadres> contactadres = client.flatMap(this::contactadres);
            Optional<LocalDate> afgiftedatum = deze.stream()
                    .map(ToegewezenProduct::toewijzingsdatum)
                    .flatMap(Optional::stream)
                    .max(Comparator.naturalOrder());
            if (hasErrors() || aanvraag.isEmpty() || afgiftedatum.isEmpty() || dagtekening.isEmpty()) {
                return new Parsed(Optional.empty(), findings);
            }
            Beschikking beschikking = new Beschikking(
                    aanvraag.get(),
                    nummer.orElseThrow(),
                    Besluit.TOEGEKEND,
                    afgiftedatum.get(),
                    producten,
                    contactadres,
                    Optional.empty(),
                    redenenWijziging.stream().findFirst());
            return new Parsed(Optional.of(beschikking), findings);
        }

        Parsed wmo319(Element bericht) {
            String ns = NS_WMO319;
            Optional<LocalDate> dagtekening = header(bericht, ns, "482");
            Optional<Long> nummer = beschikkingnummer();
            Optional<Element> antwoord = required(bericht, ns, "Antwoord");
            Optional<String> referentie = antwoord.flatMap(
                            a -> text(a, ns, "ReferentieAanbieder", true, BeschikkingJsonFormat.MAX_REFERENTIE))
                    .filter(ref -> gatewayReferentie(ref, antwoord.get().pathOf("ReferentieAanbieder")));
            Optional<String> verzoekAntwoord = antwoord.flatMap(a -> code(
                    a,
                    ns,
                    "VerzoekAntwoord",
                    true,
                    List.of("1", "2"),
                    "an iWmo VerzoekAntwoord (WJ760): 1 afgewezen, 2 in onderzoek"));
            Optional<String> reden = antwoord.flatMap(a -> code(
                    a,
                    ns,
                    "RedenAfwijzingVerzoek",
                    false,
                    BeschikkingJsonFormat.REDENEN_AFWIJZING,
                    "an iWmo RedenAfwijzingVerzoek (WJ759)"));
            antwoord.ifPresent(a -> verzoekAntwoord.ifPresent(v -> {
                boolean heeftReden = a.first(ns, "RedenAfwijzingVerzoek").isPresent();
                if (v.equals("1") && !heeftReden) {
                    error(
                            REQUIRED,
                            a.pathOf("RedenAfwijzingVerzoek"),
                            "RedenAfwijzingVerzoek is required when the"
                                    + " verzoek is rejected (VerzoekAntwoord 1): the care organisation and client are told why");
                } else if (v.equals("2") && heeftReden) {
                    invalid(
                            a.pathOf("RedenAfwijzingVerzoek"),
                            "RedenAfwijzingVerzoek is only for a rejected"
                                    + " verzoek; VerzoekAntwoord 2 means in onderzoek");
                }
            }));
            if (hasErrors() || referentie.isEmpty() || verzoekAntwoord.isEmpty() || dagtekening.isEmpty()) {
                return new Parsed(Optional.empty(), findings);
            }
            boolean afgewezen = verzoekAntwoord.get().equals("1");
            ProductBesluit product = new ProductBesluit(
                    referentie,
                    afgewezen ? Uitkomst.AFGEWEZEN : Uitkomst.IN_ONDERZOEK,
                    CATEGORIE_ONBEKEND,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    reden);
            Beschikking beschikking = new Beschikking(
                    aanvraagVan(referentie.get()),
                    nummer.orElseThrow(),
                    afgewezen ? Besluit.AFGEWEZEN : Besluit.IN_ONDERZOEK,
                    dagtekening.get(),
                    List.of(product),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty());
            return new Parsed(Optional.of(beschikking), findings);
        }

        /** Checks the header and returns the Dagtekening. */
        private Optional<LocalDate> header(Element bericht, String ns, String berichtCode) {
            Optional<Element> header = required(bericht, ns, "Header");
            if (header.isEmpty()) {
                return Optional.empty();
            }
            Element h = header.get();
            code(
                    h,
                    ns,
                    "BerichtCode",
                    true,
                    List.of(berichtCode),
                    "the BerichtCode of this message (" + berichtCode + ")");
            code(h, ns, "BerichtVersie", true, List.of("3"), "iWmo release 3.2 (BerichtVersie 3)");
            code(h, ns, "BerichtSubversie", true, List.of("2"), "iWmo release 3.2 (BerichtSubversie 2)");
            required(h, ns, "Afzender").ifPresent(afzender -> {
                if (!afzender.text.toString().equals(gemeentecode)) {
                    error(
                            SECURITY,
                            afzender.path,
                            "Afzender '" + afzender.text + "' is not the gemeente that sent" + " this request ("
                                    + gemeentecode + ", from its certificate)");
                }
            });
            required(h, ns, "Ontvanger")
                    .filter(o -> !AGB_CODE.matcher(o.text).matches())
                    .ifPresent(o -> invalid(o.path, "Ontvanger must be the care organisation's 8-digit AGB code"));
            Optional<Element> id = required(h, ns, "BerichtIdentificatie");
            id.ifPresent(i -> text(i, NS_IWMO, "Identificatie", true, MAX_IDENTIFICATIE));
            return id.flatMap(i -> date(i, NS_IWMO, "Dagtekening", true));
        }

        private Optional<Long> beschikkingnummer() {
            if (beschikkingnummerHeader.isEmpty()) {
                error(
                        REQUIRED,
                        HEADER_LOCATIE,
                        "An iWmo message has no BeschikkingNummer: send it in the HTTP header "
                                + HEADER_BESCHIKKINGNUMMER);
                return Optional.empty();
            }
            String value = beschikkingnummerHeader.get().trim();
            if (!NUMMER.matcher(value).matches()) {
                invalid(HEADER_LOCATIE, HEADER_BESCHIKKINGNUMMER + " must be a number 0 to 999999999, digits only");
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(value));
        }

        /** What the mapping needs of a ToegewezenProduct before choosing which ones form the beschikking. */
        private record ToegewezenProduct(
                Element element,
                Optional<String> referentie,
                Optional<String> aanvraag,
                Optional<LocalDate> toewijzingsdatum,
                Optional<LocalDateTime> toegewezen) {

            String waarom(String gekozen) {
                if (referentie.isEmpty()) {
                    return "no ReferentieAanbieder, so not an answer to a request (an earlier toewijzing or a change"
                            + " on the gemeente's initiative)";
                }
                if (aanvraag.isEmpty()) {
                    return "ReferentieAanbieder '" + referentie.get() + "' is not one of the gateway's";
                }
                return "ReferentieAanbieder '" + referentie.get() + "' answers aanvraag '" + aanvraag.get()
                        + "', not the most recent one ('" + gekozen + "')";
            }
        }

        private ToegewezenProduct toegewezenProduct(Element product) {
            String ns = NS_WMO301;
            Optional<String> referentie =
                    product.first(ns, "ReferentieAanbieder").map(r -> r.text.toString());
            Optional<String> aanvraag = referentie
                    .filter(r -> BeschikkingJsonFormat.REFERENTIE.matcher(r).matches()
                            && r.length() <= BeschikkingJsonFormat.MAX_REFERENTIE)
                    .map(BeschikkingIwmoFormat::aanvraagVan);
            Optional<LocalDate> datum = date(product, ns, "Toewijzingsdatum", true);
            Optional<LocalTime> tijd = time(product, ns, "Toewijzingstijd");
            Optional<LocalDateTime> toegewezen = datum.flatMap(d -> tijd.map(d::atTime));
            return new ToegewezenProduct(product, referentie, aanvraag, datum, toegewezen);
        }

        /** The aanvraag of the most recently made toewijzing that answers a gateway aanvraag. */
        private Optional<String> aanvraagVanLaatsteToewijzing(
                List<ToegewezenProduct> toewijzingen, Optional<Element> client) {
            List<ToegewezenProduct> vanGateway =
                    toewijzingen.stream().filter(t -> t.aanvraag.isPresent()).toList();
            if (vanGateway.isEmpty()) {
                client.ifPresent(c -> error(
                        REQUIRED,
                        c.pathOf("ToegewezenProducten"),
                        "No ToegewezenProduct answers an"
                                + " aanvraag of the gateway: its ReferentieAanbieder must be the one from the ondersteuningsplan"
                                + " ('<aanvraag>-<n>')"));
                return Optional.empty();
            }
            if (vanGateway.stream().anyMatch(t -> t.toegewezen.isEmpty())) {
                return Optional.empty(); // the missing date or time is already a finding
            }
            LocalDateTime laatste = vanGateway.stream()
                    .map(t -> t.toegewezen.get())
                    .max(Comparator.naturalOrder())
                    .get();
            List<String> aanvragen = vanGateway.stream()
                    .filter(t -> t.toegewezen.get().equals(laatste))
                    .map(t -> t.aanvraag.get())
                    .distinct()
                    .toList();
            if (aanvragen.size() > 1) {
                client.ifPresent(c -> invalid(
                        c.pathOf("ToegewezenProducten"),
                        "Toewijzingen for aanvragen " + aanvragen
                                + " were made at the same moment; send one message per aanvraag"));
                return Optional.empty();
            }
            return Optional.of(aanvragen.get(0));
        }

        private Optional<ProductBesluit> product(Element t, String ns, Optional<LocalDateTime> toegewezen) {
            Optional<String> referentie = t.first(ns, "ReferentieAanbieder").map(r -> r.text.toString());
            Optional<Long> toewijzingNummer = integer(t, ns, "ToewijzingNummer", MAX_TOEWIJZINGNUMMER);
            Optional<Element> product = required(t, ns, "Product");
            Optional<String> categorie = product.flatMap(p -> code(
                    p,
                    NS_IWMO,
                    "Categorie",
                    true,
                    Codelijsten.PRODUCTCATEGORIEEN.keySet(),
                    "an iWmo productcategorie (WMO020)"));
            Optional<String> code =
                    product.flatMap(p -> text(p, NS_IWMO, "Code", false, BeschikkingJsonFormat.MAX_PRODUCTCODE));
            Optional<LocalDate> ingangsdatum = date(t, ns, "Ingangsdatum", true);
            Optional<LocalDate> einddatum = date(t, ns, "Einddatum", false);
            ingangsdatum.ifPresent(ingang -> einddatum
                    .filter(eind -> eind.isBefore(ingang))
                    .ifPresent(eind -> invalid(
                            t.pathOf("Einddatum"),
                            "Einddatum " + eind + " is before Ingangsdatum " + ingang + " (iWmo CS003)")));
            code(t, ns, "RedenWijziging", false, REDENEN_WIJZIGING_IWMO, "an iWmo RedenWijziging (WMO002)")
                    .filter("01"::equals)
                    .ifPresent(r -> invalid(t.pathOf("RedenWijziging"), "RedenWijziging 01 is vervallen; use 14"));
            Optional<Element> omvangElement = t.first(ns, "Omvang");
            Optional<Omvang> omvang = omvangElement.flatMap(this::omvang);
            boolean cd080Geldt = einddatum.map(e -> e.isAfter(CD080_VANAF)).orElse(true);
            boolean heeftCode = product.flatMap(p -> p.first(NS_IWMO, "Code")).isPresent();
            if (cd080Geldt && heeftCode && omvangElement.isEmpty()) {
                error(REQUIRED, t.pathOf("Omvang"), "Omvang is required when Product/Code is filled (iWmo CD041)");
            }
            if (cd080Geldt && product.isPresent() && !heeftCode && omvangElement.isPresent()) {
                error(INVALID, t.pathOf("Omvang"), "Omvang is only allowed when Product/Code is filled (iWmo CD080)");
            }
            if (categorie.isEmpty()
                    || ingangsdatum.isEmpty()
                    || toewijzingNummer.isEmpty()
                    || (omvangElement.isPresent() && omvang.isEmpty())) {
                return Optional.empty();
            }
            return Optional.of(new ProductBesluit(
                    referentie,
                    Uitkomst.TOEGEKEND,
                    categorie.get(),
                    code,
                    omvang,
                    ingangsdatum,
                    einddatum,
                    Optional.empty(),
                    Optional.empty(),
                    toewijzingNummer,
                    toegewezen));
        }

        private Optional<Omvang> omvang(Element o) {
            Optional<Long> volume = integer(o, NS_IWMO, "Volume", BeschikkingJsonFormat.MAX_VOLUME);
            Optional<String> eenheid =
                    code(o, NS_IWMO, "Eenheid", true, Codelijsten.EENHEDEN.keySet(), "an iWmo eenheid (WJ756)");
            Optional<String> frequentie = code(
                    o, NS_IWMO, "Frequentie", true, Codelijsten.FREQUENTIES.keySet(), "an iWmo frequentie (WMO757)");
            if (volume.isEmpty() || eenheid.isEmpty() || frequentie.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Omvang(volume.get().intValue(), eenheid.get(), frequentie.get()));
        }

        /** The first Contact with an Adres, BRP-adres (01) before correspondentie (02) before verblijf (03). */
        private Optional<Contactadres> contactadres(Element client) {
            String ns = NS_WMO301;
            Optional<Element> gegevens = required(client, ns, "Contactgegevens");
            if (gegevens.isEmpty()) {
                return Optional.empty();
            }
            Optional<Element> contact = gegevens.get().all(ns, "Contact").stream()
                    .filter(c -> c.first(ns, "Adres").isPresent())
                    .filter(c -> c.first(ns, "Soort")
                            .map(s -> BeschikkingJsonFormat.ADRESSOORTEN.contains(s.text.toString()))
                            .orElse(false))
                    .min(Comparator.comparing(
                            c -> c.first(ns, "Soort").orElseThrow().text.toString()));
            if (contact.isEmpty()) {
                error(
                        REQUIRED,
                        gegevens.get().pathOf("Contact"),
                        "A Contact with Soort 01, 02 or 03 and an Adres is"
                                + " required: the gateway passes the client's address to the care organisation");
                return Optional.empty();
            }
            Element c = contact.get();
            String soort = c.first(ns, "Soort").orElseThrow().text.toString();
            Element adres = c.first(ns, "Adres").orElseThrow();
            Optional<Element> huis = required(adres, NS_IWMO, "Huis");
            Optional<Long> huisnummer =
                    huis.flatMap(h -> integer(h, NS_IWMO, "Huisnummer", BeschikkingJsonFormat.MAX_HUISNUMMER));
            Optional<String> huisletter = huis.flatMap(h -> text(h, NS_IWMO, "Huisletter", false, 1));
            Optional<String> toevoeging = huis.flatMap(
                    h -> text(h, NS_IWMO, "HuisnummerToevoeging", false, BeschikkingJsonFormat.MAX_TOEVOEGING));
            Optional<String> postcode = text(adres, NS_IWMO, "Postcode", true, BeschikkingJsonFormat.MAX_POSTCODE);
            Optional<String> straatnaam =
                    text(adres, NS_IWMO, "Straatnaam", true, BeschikkingJsonFormat.MAX_STRAATNAAM);
            Optional<String> plaatsnaam =
                    text(adres, NS_IWMO, "Plaatsnaam", true, BeschikkingJsonFormat.MAX_PLAATSNAAM);
            Optional<String> landcode = code(
                    adres, NS_IWMO, "LandCode", true, BeschikkingJsonFormat.LANDCODES, "an iWmo LandCode (COD032)");
            if (landcode.filter("NL"::equals).isPresent()
                    && postcode.isPresent()
                    && !BeschikkingJsonFormat.NL_POSTCODE
                            .matcher(postcode.get())
                            .matches()) {
                invalid(
                        adres.pathOf("Postcode"),
                        "Postcode '" + postcode.get() + "' is not a Dutch postcode (iWmo CS089)");
                return Optional.empty();
            }
            Optional<String> telefoon = c.first(ns, "Telefoon")
                    .flatMap(t -> t.first(NS_IWMO, "Telefoon01"))
                    .flatMap(t -> text(t, NS_IWMO, "Telefoonnummer", true, 0).filter(nummer -> {
                        boolean digits =
                                BeschikkingJsonFormat.TELEFOON.matcher(nummer).matches();
                        if (!digits) {
                            invalid(t.pathOf("Telefoonnummer"), "Telefoonnummer must be 1 to 15 digits");
                        }
                        return digits;
                    }));
            if (huisnummer.isEmpty()
                    || postcode.isEmpty()
                    || straatnaam.isEmpty()
                    || plaatsnaam.isEmpty()
                    || landcode.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Contactadres(
                    soort,
                    straatnaam.get(),
                    huisnummer.get().intValue(),
                    huisletter,
                    toevoeging,
                    postcode.get(),
                    plaatsnaam.get(),
                    landcode.get(),
                    telefoon));
        }

        private boolean gatewayReferentie(String referentie, String at) {
            if (BeschikkingJsonFormat.REFERENTIE.matcher(referentie).matches()) {
                return true;
            }
            invalid(
                    at,
                    "ReferentieAanbieder '" + referentie + "' is not one of the gateway's ('<aanvraag>-<n>', as in"
                            + " the ondersteuningsplan and the WMO315)");
            return false;
        }

        // ------------------------------------------------------------ element access with findings

        private Optional<Element> required(Element parent, String ns, String name) {
            Optional<Element> element = parent.first(ns, name);
            if (element.isEmpty()) {
                error(
                        REQUIRED,
                        parent.pathOf(name),
                        name + " is required in " + parent.name
                                + (parent.children.stream().anyMatch(c -> c.name.equals(name))
                                        ? " (there is one, but not in namespace " + ns + ")"
                                        : ""));
            }
            return element;
        }

        private Optional<String> text(Element parent, String ns, String name, boolean required, int maxLength) {
            Optional<Element> element = required ? required(parent, ns, name) : parent.first(ns, name);
            return element.flatMap(e -> {
                String s = e.text.toString();
                if (!BeschikkingJsonFormat.NOT_BLANK.matcher(s).find()) {
                    invalid(e.path, name + " must not be empty");
                    return Optional.empty();
                }
                int length = s.codePointCount(0, s.length());
                if (maxLength > 0 && length > maxLength) {
                    invalid(e.path, name + " has " + length + " characters; at most " + maxLength);
                    return Optional.empty();
                }
                return Optional.of(s);
            });
        }

        private Optional<String> code(
                Element parent, String ns, String name, boolean required, Collection<String> codes, String what) {
            Optional<Element> element = required ? required(parent, ns, name) : parent.first(ns, name);
            return element.flatMap(e -> {
                String s = e.text.toString();
                if (!codes.contains(s)) {
                    invalid(e.path, "'" + s + "' is not " + what);
                    return Optional.empty();
                }
                return Optional.of(s);
            });
        }

        private Optional<LocalDate> date(Element parent, String ns, String name, boolean required) {
            Optional<Element> element = required ? required(parent, ns, name) : parent.first(ns, name);
            return element.flatMap(e -> {
                String s = e.text.toString().strip(); // xs:date collapses whitespace
                try {
                    if (s.length() == 10) {
                        return Optional.of(LocalDate.parse(s));
                    }
                } catch (DateTimeParseException ignored) {
                    // reported below
                }
                invalid(e.path, name + " '" + s + "' is not a date (yyyy-MM-dd, no time zone)");
                return Optional.empty();
            });
        }

        private Optional<LocalTime> time(Element parent, String ns, String name) {
            return required(parent, ns, name).flatMap(e -> {
                String s = e.text.toString().strip();
                try {
                    return Optional.of(LocalTime.parse(s));
                } catch (DateTimeParseException ex) {
                    invalid(e.path, name + " '" + s + "' is not a time (HH:mm:ss, no time zone)");
                    return Optional.empty();
                }
            });
        }

        private Optional<Long> integer(Element parent, String ns, String name, long max) {
            return required(parent, ns, name).flatMap(e -> {
                String s = e.text.toString().strip();
                if (s.matches("[0-9]{1,18}") && Long.parseLong(s) <= max) {
                    return Optional.of(Long.parseLong(s));
                }
                invalid(e.path, name + " '" + s + "' must be a whole number 0 to " + max);
                return Optional.empty();
            });
        }

        private boolean hasErrors() {
            return findings.stream().anyMatch(Finding::isError);
        }

        private void invalid(String at, String message) {
            error(INVALID, at, message);
        }

        private void error(String code, String at, String message) {
            findings.add(Finding.error(code, message, at));
        }
    }

    private static String aanvraagVan(String referentie) {
        return referentie.substring(0, referentie.lastIndexOf('-'));
    }

    private static Set<String> union(String first, Set<String> rest) {
        Set<String> all = new LinkedHashSet<>();
        all.add(first);
        all.addAll(rest);
        return Set.copyOf(all);
    }
}
