package nl.wmogateway.iwmo;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.xml.stream.XMLStreamException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The XML of iWmo 3.2 retours (WMO302, WMO316, WMO320) in the official structure: the Header of
 * the heenbericht with the retour's own elements, then every class of the heenbericht echoed in
 * full, each with its RetourCodes as its last child.
 *
 * <p>{@link #retour} writes a retour from the heenbericht's bytes, so that nothing of it is lost
 * or reworded: every element is copied (message elements move to the retour's namespace,
 * children of composite datatypes stay in the {@code iwmo} basisschema namespace) and each class
 * gets its codes. {@link #parse} reads a retour back into an {@link IwmoRetour}.
 *
 * <p>The official retour XSDs are not available, so the structure is checked here, in code: the
 * Header element by element and in order, the values the gateway acts on (parties, identifications,
 * dates, versions), every class having RetourCodes with known codes, nothing outside the message
 * and basisschema namespaces. The rest of an echoed class is not checked against the heenbericht's
 * XSD: the gateway compares the keys with the message it sent (see {@code RetourService}).
 *
 * <p>All input is treated as hostile: no DOCTYPE at all (so no DTD, no entity expansion, no
 * external entities), no external access, at most 25 MB.
 */
public final class IwmoRetourXml {

    public static final String NS_WMO302 = Retoursoort.WMO302.namespace();
    public static final String NS_WMO316 = Retoursoort.WMO316.namespace();
    public static final String NS_WMO320 = Retoursoort.WMO320.namespace();

    private static final String NS_IWMO = IwmoXml.NS_IWMO;
    private static final String HEADER = "Header";
    private static final String RETOUR_CODES = "RetourCodes";
    private static final String RETOUR_CODE = "RetourCode";

    // 25 MB is the iWmo limit for any message (OP179); a retour is a few kilobytes
    private static final int MAX_BYTES = 25 * 1024 * 1024;

    private IwmoRetourXml() {}

    /** Thrown by {@link #parse} for input that is not a well-formed retour in the official structure. */
    public static final class InvalidRetourException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidRetourException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * What a heenbericht (WMO301, WMO315, WMO319) says that its retour must repeat: its header and
     * the key of every class, in order (the classes carry no codes).
     */
    public record Heenbericht(String berichtsoort, IwmoHeader header, List<KlasseRetour> klassen) {

        public Heenbericht {
            klassen = List.copyOf(klassen);
        }

        /** The Bsn of the Client; empty for a WMO319. */
        public Optional<String> bsn() {
            return klassen.stream()
                    .filter(k -> IwmoRules.KLASSE_CLIENT.equals(k.klasse()))
                    .findFirst()
                    .flatMap(KlasseRetour::sleutel);
        }
    }

    /**
     * Reads the header and class keys of a WMO301, WMO315 or WMO319.
     *
     * @throws InvalidRetourException when it is not well-formed or not one of those messages
     */
    public static Heenbericht heenbericht(byte[] xml) {
        Element root = root(xml);
        Retoursoort soort = Retoursoort.byHeenberichtNamespace(root.getNamespaceURI())
                .filter(s -> "Bericht".equals(root.getLocalName()))
                .orElseThrow(() -> new InvalidRetourException(
                        "Not a WMO301, WMO315 or WMO319: root element is {" + root.getNamespaceURI() + "}"
                                + root.getLocalName(),
                        null));
        String ns = soort.heenberichtNamespace();
        Problems p = new Problems();
        Element header = child(root, ns, HEADER).orElseThrow(() -> invalid(soort.heenbericht, "Header is missing"));
        IwmoHeader kop = kop(p, header, ns);
        List<KlasseRetour> klassen = new ArrayList<>();
        for (Element e : elements(root)) {
            if (e != header) {
                klassen(p, soort, ns, e, false, klassen);
            }
        }
        failIfAny(p, soort.heenbericht);
        return new Heenbericht(soort.heenbericht, kop, klassen);
    }

    /**
     * The retour on {@code heenbericht} (a WMO301, WMO315 or WMO319 as sent): the WMO302, WMO316
     * or WMO320 echoing every class in full.
     *
     * @param headerRetourcodes the Header's codes; none means 0200
     * @param klassen           the codes of the classes that get more than the default, matched by
     *                          class name and key (an empty key: every class of that name); every
     *                          other class gets 0200, or 0233 (not assessed) when the Header rejects
     * @throws IllegalArgumentException when the heenbericht is not one of those messages, a code is
     *                                  not an iWmo retourcode, or a KlasseRetour matches no class
     */
    public static byte[] retour(
            byte[] heenbericht,
            String identificatieRetour,
            LocalDate dagtekeningRetour,
            List<String> headerRetourcodes,
            List<KlasseRetour> klassen) {
        Heenbericht origineel = heenbericht(heenbericht);
        Retoursoort soort =
                Retoursoort.byName(retourOp(origineel.berichtsoort())).orElseThrow();
        for (KlasseRetour k : klassen) {
            if (origineel.klassen().stream().noneMatch(o -> matches(k, o))) {
                throw new IllegalArgumentException("The " + origineel.berichtsoort() + " has no " + k.klasse()
                        + (IwmoRules.KLASSE_CLIENT.equals(k.klasse())
                                ? ""
                                : k.sleutel().map(s -> " " + s).orElse(""))
                        + " to give retourcodes " + k.retourcodes());
            }
        }
        List<String> headerCodes = headerRetourcodes.isEmpty() ? List.of(IwmoRetour.GEEN_OPMERKING) : headerRetourcodes;
        String standaard = headerCodes.stream().allMatch(IwmoRetour::isAcceptatiecode)
                ? IwmoRetour.GEEN_OPMERKING
                : IwmoRetour.NIET_BEOORDEELD;
        Element root = root(heenbericht);
        String heenNs = soort.heenberichtNamespace();
        String ns = soort.namespace();
        byte[] xml = IwmoXml.bericht(soort.prefix(), ns, out -> {
            Element header = child(root, heenNs, HEADER).orElseThrow();
            out.start(ns, HEADER);
            for (Element e : elements(header)) {
                if ("BerichtCode".equals(e.getLocalName())) {
                    out.leaf(ns, "BerichtCode", soort.berichtCode);
                } else {
                    new Echo(out, soort, klassen, standaard).copy(e);
                }
            }
            out.leaf(ns, "IdentificatieRetour", identificatieRetour);
            out.date(ns, "DagtekeningRetour", dagtekeningRetour);
            out.xsdVersie("XsdVersieRetour");
            retourCodes(out, ns, headerCodes);
            out.end();
            Echo echo = new Echo(out, soort, klassen, standaard);
            for (Element e : elements(root)) {
                if (e != header) {
                    echo.copy(e);
                }
            }
        });
        try {
            parse(xml);
        } catch (InvalidRetourException e) {
            throw new IllegalArgumentException("Cannot make the " + soort.name() + ": " + e.getMessage(), e);
        }
        return xml;
    }

    /** The retour on {@code heenbericht} with the codes {@link IwmoRules} found for it. */
    public static byte[] retour(
            byte[] heenbericht,
            String identificatieRetour,
            LocalDate dagtekeningRetour,
            IwmoRules.Beoordeling beoordeling) {
        List<KlasseRetour> afgekeurd =
                beoordeling.klassen().stream().filter(k -> !k.geaccepteerd()).toList();
        return retour(heenbericht, identificatieRetour, dagtekeningRetour, beoordeling.headerRetourcodes(), afgekeurd);
    }

    /**
     * Reads a WMO302, WMO316 or WMO320.
     *
     * @throws InvalidRetourException when the input is not well-formed, has a DOCTYPE, is larger
     *                                than 25 MB, or is not a retour in the official structure
     */
    public static IwmoRetour parse(byte[] xml) {
        Element root = root(xml);
        Optional<Retoursoort> found =
                Retoursoort.byNamespace(root.getNamespaceURI()).filter(s -> "Bericht".equals(root.getLocalName()));
        if (found.isEmpty()) {
            throw new InvalidRetourException(
                    "Not an iWmo retour: root element is {" + root.getNamespaceURI() + "}"
                            + root.getLocalName() + ", expected Bericht in " + NS_WMO302 + ", " + NS_WMO316 + " or "
                            + NS_WMO320,
                    null);
        }
        Retoursoort soort = found.get();
        String ns = soort.namespace();
        Problems p = new Problems();
        List<Element> top = elements(root);
        if (top.isEmpty() || !is(top.get(0), ns, HEADER)) {
            throw invalid(soort.name(), "the first element must be the Header");
        }
        RetourKop kop = retourKop(p, soort, top.get(0));
        Set<String> gezien = new LinkedHashSet<>();
        List<KlasseRetour> klassen = new ArrayList<>();
        for (Element e : top.subList(1, top.size())) {
            if (!ns.equals(e.getNamespaceURI()) || !soort.hoofdklassen.contains(e.getLocalName())) {
                p.add("Bericht/" + e.getLocalName() + " is not expected in a " + soort.name() + ": expected "
                        + soort.hoofdklassen);
            } else if (!gezien.add(e.getLocalName())) {
                p.add("Bericht/" + e.getLocalName() + " occurs more than once");
            } else {
                klassen(p, soort, ns, e, true, klassen);
            }
        }
        failIfAny(p, soort.name());
        try {
            return new IwmoRetour(
                    soort.name(),
                    kop.origineel(),
                    kop.identificatieRetour(),
                    kop.dagtekeningRetour(),
                    kop.xsltVersie(),
                    kop.codes(),
                    klassen);
        } catch (IllegalArgumentException e) {
            throw new InvalidRetourException(e.getMessage(), e);
        }
    }

    /** The retour's berichtsoort on a heenbericht: WMO302 on WMO301, WMO316 on WMO315, WMO320 on WMO319. */
    public static String retourOp(String heenbericht) {
        for (Retoursoort s : Retoursoort.values()) {
            if (s.heenbericht.equals(heenbericht)) {
                return s.name();
            }
        }
        throw new IllegalArgumentException(heenbericht + " has no retour the gateway knows");
    }

    // --- reading ---------------------------------------------------------------------------------

    private record RetourKop(
            IwmoHeader origineel,
            String identificatieRetour,
            LocalDate dagtekeningRetour,
            Optional<String> xsltVersie,
            List<String> codes) {}

    /** The Header of a retour, element by element in the official order. */
    private static RetourKop retourKop(Problems p, Retoursoort soort, Element header) {
        String ns = soort.namespace();
        Sequence s = new Sequence(p, header, ns);
        s.required("BerichtCode").ifPresent(e -> expect(p, "Header/BerichtCode", e, soort.berichtCode));
        s.required("BerichtVersie").ifPresent(e -> expect(p, "Header/BerichtVersie", e, IwmoXml.BERICHT_VERSIE));
        s.required("BerichtSubversie")
                .ifPresent(e -> expect(p, "Header/BerichtSubversie", e, IwmoXml.BERICHT_SUBVERSIE));
        String afzender = s.required("Afzender").map(Node::getTextContent).orElse(null);
        String ontvanger = s.required("Ontvanger").map(Node::getTextContent).orElse(null);
        String identificatie = null;
        LocalDate dagtekening = null;
        Optional<Element> berichtIdentificatie = s.required("BerichtIdentificatie");
        if (berichtIdentificatie.isPresent()) {
            Sequence b = new Sequence(p, berichtIdentificatie.get(), NS_IWMO);
            identificatie =
                    b.required("Identificatie").map(Node::getTextContent).orElse(null);
            dagtekening = b.required("Dagtekening")
                    .map(e -> datum(p, "Header/BerichtIdentificatie/Dagtekening", e))
                    .orElse(null);
            b.end();
        }
        s.required("XsdVersie").ifPresent(e -> xsdVersie(p, "Header/XsdVersie", e));
        String identificatieRetour =
                s.required("IdentificatieRetour").map(Node::getTextContent).orElse(null);
        LocalDate dagtekeningRetour = s.required("DagtekeningRetour")
                .map(e -> datum(p, "Header/DagtekeningRetour", e))
                .orElse(null);
        Optional<String> xsltVersie =
                s.optional("XsltVersie").map(e -> e.getTextContent().strip());
        s.required("XsdVersieRetour").ifPresent(e -> xsdVersie(p, "Header/XsdVersieRetour", e));
        List<String> codes = s.optional(RETOUR_CODES)
                .map(e -> codes(p, "Header/RetourCodes", e, ns))
                .orElse(List.of());
        s.end();
        return new RetourKop(
                new IwmoHeader(afzender, ontvanger, identificatie, dagtekening),
                identificatieRetour,
                dagtekeningRetour,
                xsltVersie,
                codes);
    }

    /** The header of a heenbericht: parties and identification only. */
    private static IwmoHeader kop(Problems p, Element header, String ns) {
        String afzender =
                child(header, ns, "Afzender").map(Node::getTextContent).orElse(null);
        String ontvanger =
                child(header, ns, "Ontvanger").map(Node::getTextContent).orElse(null);
        Optional<Element> id = child(header, ns, "BerichtIdentificatie");
        String identificatie = id.flatMap(e -> child(e, NS_IWMO, "Identificatie"))
                .map(Node::getTextContent)
                .orElse(null);
        LocalDate dagtekening = id.flatMap(e -> child(e, NS_IWMO, "Dagtekening"))
                .map(e -> datum(p, "Header/BerichtIdentificatie/Dagtekening", e))
                .orElse(null);
        if (afzender == null || ontvanger == null || identificatie == null || dagtekening == null) {
            p.add("Header needs Afzender, Ontvanger and BerichtIdentificatie with Identificatie and Dagtekening");
        }
        return new IwmoHeader(afzender, ontvanger, identificatie, dagtekening);
    }

    /**
     * Every class in and under {@code element}, in document order, with its key and (in a retour,
     * {@code metCodes}) its RetourCodes; refuses elements of other namespaces and RetourCodes
     * anywhere but as the child of a class.
     */
    private static void klassen(
            Problems p, Retoursoort soort, String ns, Element element, boolean metCodes, List<KlasseRetour> klassen) {
        String naam = element.getLocalName();
        if (!ns.equals(element.getNamespaceURI()) && !NS_IWMO.equals(element.getNamespaceURI())) {
            p.add(naam + " is in namespace " + element.getNamespaceURI() + ", expected " + ns + " or " + NS_IWMO);
            return;
        }
        boolean klasse = ns.equals(element.getNamespaceURI()) && soort.isKlasse(naam);
        List<String> codes = List.of();
        if (klasse) {
            Optional<String> sleutel = sleutel(p, soort, ns, element);
            Optional<String> referentie = child(element, ns, "ReferentieAanbieder")
                    .map(e -> e.getTextContent().strip());
            String path = naam
                    + (IwmoRules.KLASSE_CLIENT.equals(naam)
                            ? ""
                            : sleutel.map(s -> "[" + s + "]").orElse(""));
            if (metCodes) {
                List<Element> retourCodes = children(element, ns, RETOUR_CODES);
                List<Element> alle = elements(element);
                if (retourCodes.size() != 1 || alle.get(alle.size() - 1) != retourCodes.get(0)) {
                    p.add(path + " needs exactly one RetourCodes, as its last child");
                } else {
                    codes = codes(p, path + "/RetourCodes", retourCodes.get(0), ns);
                }
            }
            klassen.add(new KlasseRetour(
                    naam,
                    sleutel,
                    KlasseRetour.AANGEVRAAGD_PRODUCT.equals(naam) || IwmoRules.KLASSE_ANTWOORD.equals(naam)
                            ? sleutel
                            : referentie,
                    codes));
        }
        for (Element child : elements(element)) {
            if (is(child, ns, RETOUR_CODES)) {
                if (!klasse || !metCodes) {
                    p.add(naam + "/RetourCodes is only allowed in the Header and as the last child of a berichtklasse");
                }
                continue;
            }
            klassen(p, soort, ns, child, metCodes, klassen);
        }
    }

    private static Optional<String> sleutel(Problems p, Retoursoort soort, String ns, Element klasse) {
        String element = soort.klassen.get(klasse.getLocalName());
        if (element.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> waarde =
                child(klasse, ns, element).map(e -> e.getTextContent().strip());
        if (waarde.isEmpty()) {
            p.add(klasse.getLocalName() + "/" + element + " is missing");
            return Optional.empty();
        }
        if ("ToewijzingNummer".equals(element)) {
            try {
                return Optional.of(Long.toString(Long.parseLong(waarde.get())));
            } catch (NumberFormatException e) {
                p.add(klasse.getLocalName() + "/ToewijzingNummer '" + waarde.get() + "' is not a number");
                return Optional.empty();
            }
        }
        return waarde;
    }

    private static List<String> codes(Problems p, String path, Element retourCodes, String ns) {
        List<String> codes = new ArrayList<>();
        for (Element e : elements(retourCodes)) {
            if (!is(e, ns, RETOUR_CODE)) {
                p.add(path + "/" + e.getLocalName() + " is not expected; only RetourCode");
            } else {
                codes.add(e.getTextContent().strip());
            }
        }
        if (codes.isEmpty()) {
            p.add(path + " needs at least one RetourCode");
        }
        return codes;
    }

    private static void xsdVersie(Problems p, String path, Element e) {
        Sequence s = new Sequence(p, e, NS_IWMO);
        for (String naam : List.of("BasisschemaXsdVersie", "BerichtXsdVersie")) {
            s.required(naam)
                    .map(v -> v.getTextContent().strip())
                    .filter(v -> !IwmoRetour.VERSIE.matcher(v).matches())
                    .ifPresent(v -> p.add(path + "/" + naam + " '" + v + "' must be a version like 1.0.0"));
        }
        s.end();
    }

    private static void expect(Problems p, String path, Element e, String value) {
        if (!value.equals(e.getTextContent().strip())) {
            p.add(path + " is '" + e.getTextContent().strip() + "', must be " + value);
        }
    }

    // xs:date collapses surrounding whitespace; a time zone is not allowed (RS032)
    private static LocalDate datum(Problems p, String path, Element e) {
        String text = e.getTextContent().strip();
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException ex) {
            p.add(path + " '" + text + "' is not a date like 2025-03-14 (without time zone)");
            return null;
        }
    }

    /** Walks the element children of one parent in the order an XSD sequence prescribes. */
    private static final class Sequence {
        private final Problems p;
        private final Element parent;
        private final String ns;
        private final List<Element> children;
        private int next;

        Sequence(Problems p, Element parent, String ns) {
            this.p = p;
            this.parent = parent;
            this.ns = ns;
            this.children = elements(parent);
        }

        Optional<Element> optional(String name) {
            if (next < children.size() && is(children.get(next), ns, name)) {
                return Optional.of(children.get(next++));
            }
            return Optional.empty();
        }

        Optional<Element> required(String name) {
            Optional<Element> e = optional(name);
            if (e.isEmpty()) {
                p.add(parent.getLocalName() + "/" + name + " is missing"
                        + (next < children.size()
                                ? " (found " + children.get(next).getLocalName() + ")"
                                : ""));
            }
            return e;
        }

        void end() {
            for (Element e : children.subList(next, children.size())) {
                p.add(parent.getLocalName() + "/" + e.getLocalName() + " is not expected here");
            }
        }
    }

    // --- writing ---------------------------------------------------------------------------------

    /** Copies heenbericht elements into the retour, adding RetourCodes to each class. */
    private record Echo(IwmoXml out, Retoursoort soort, List<KlasseRetour> codes, String standaard) {

        void copy(Element e) throws XMLStreamException {
            String heenNs = soort.heenberichtNamespace();
            String elementNs;
            if (heenNs.equals(e.getNamespaceURI())) {
                elementNs = soort.namespace();
            } else if (NS_IWMO.equals(e.getNamespaceURI())) {
                elementNs = NS_IWMO;
            } else {
                throw new IllegalArgumentException("The " + soort.heenbericht + " has element " + e.getLocalName()
                        + " in namespace " + e.getNamespaceURI() + "; it cannot be echoed");
            }
            boolean klasse = heenNs.equals(e.getNamespaceURI()) && soort.isKlasse(e.getLocalName());
            List<Element> children = elements(e);
            if (children.isEmpty() && !klasse) {
                out.leaf(elementNs, e.getLocalName(), e.getTextContent());
                return;
            }
            out.start(elementNs, e.getLocalName());
            for (Element child : children) {
                copy(child);
            }
            if (klasse) {
                retourCodes(out, elementNs, codesVoor(e));
            }
            out.end();
        }

        private List<String> codesVoor(Element e) {
            Problems ignored = new Problems();
            KlasseRetour hier = new KlasseRetour(
                    e.getLocalName(), sleutel(ignored, soort, soort.heenberichtNamespace(), e), List.of());
            List<String> found = codes.stream()
                    .filter(k -> matches(k, hier))
                    .flatMap(k -> k.retourcodes().stream())
                    .distinct()
                    .toList();
            return found.isEmpty() ? List.of(standaard) : found;
        }
    }

    private static boolean matches(KlasseRetour gegeven, KlasseRetour klasse) {
        return gegeven.klasse().equals(klasse.klasse())
                && (gegeven.sleutel().isEmpty() || gegeven.sleutel().equals(klasse.sleutel()));
    }

    private static void retourCodes(IwmoXml xml, String ns, List<String> codes) throws XMLStreamException {
        xml.start(ns, RETOUR_CODES);
        for (String code : codes) {
            xml.leaf(ns, RETOUR_CODE, code);
        }
        xml.end();
    }

    // --- XML plumbing ----------------------------------------------------------------------------

    private static Element root(byte[] xml) {
        if (xml == null || xml.length == 0) {
            throw new InvalidRetourException("No iWmo message: the input is empty", null);
        }
        if (xml.length > MAX_BYTES) {
            throw new InvalidRetourException(
                    "No iWmo message: " + xml.length + " bytes is more than the 25 MB iWmo " + "allows (OP179)", null);
        }
        return wellFormed(xml).getDocumentElement();
    }

    private static InvalidRetourException invalid(String berichtsoort, String problem) {
        return new InvalidRetourException("Invalid iWmo " + berichtsoort + ": " + problem, null);
    }

    private static void failIfAny(Problems p, String berichtsoort) {
        if (!p.list().isEmpty()) {
            throw invalid(berichtsoort, String.join("; ", p.list()));
        }
    }

    private static boolean is(Element e, String ns, String name) {
        return ns.equals(e.getNamespaceURI()) && name.equals(e.getLocalName());
    }

    private static Optional<Element> child(Element parent, String ns, String name) {
        List<Element> found = children(parent, ns, name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static List<Element> children(Element parent, String ns, String name) {
        return elements(parent).stream().filter(e -> is(e, ns, name)).toList();
    }

    private static List<Element> elements(Element parent) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                found.add(e);
            }
        }
        return found;
    }

    /** The one hardened reader of iWmo messages ({@link IwmoXmlReader}): no DOCTYPE, no entities, no external access. */
    private static Document wellFormed(byte[] xml) {
        try {
            return IwmoXmlReader.read(xml);
        } catch (IwmoXmlReader.UnreadableXmlException e) {
            throw new InvalidRetourException(
                    Character.toUpperCase(e.getMessage().charAt(0))
                            + e.getMessage().substring(1),
                    e);
        }
    }
}
