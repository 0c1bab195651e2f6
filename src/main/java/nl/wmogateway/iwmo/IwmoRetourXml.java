package nl.wmogateway.iwmo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLStreamException;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The XML of an {@link IwmoRetour}: the WMO302 and WMO320 in the gateway's own rendering of the
 * iWmo 3.2 retour structure, defined by the project's XSDs under
 * {@code src/main/resources/schema/iwmo-retour/} (not the official XSDs, which were not available).
 *
 * <p>The rendering keeps the heenberichten's style: root {@code wmoNNN:Bericht}, message elements
 * in the message namespace, children of composite datatypes in the {@code iwmo} basisschema
 * namespace. Each echoed class carries only its key (Bsn, ToewijzingNummer, ReferentieAanbieder)
 * and its RetourCodes.
 *
 * <p>{@link #parse} treats its input as hostile: no DOCTYPE at all (so no DTD, no entity
 * expansion, no external entities), no external schema or DTD access, and the document must
 * validate against the project's XSD before anything is read from it.
 */
public final class IwmoRetourXml {

    public static final String NS_WMO302 = "http://www.istandaarden.nl/iwmo/3_2/wmo302/schema";
    public static final String NS_WMO320 = "http://www.istandaarden.nl/iwmo/3_2/wmo320/schema";

    /** Classpath folder of the project's retour XSDs. */
    public static final String SCHEMA_FOLDER = "/schema/iwmo-retour/";

    // 25 MB is the iWmo limit for any message (OP179); a retour is a few kilobytes
    private static final int MAX_BYTES = 25 * 1024 * 1024;

    private IwmoRetourXml() {
    }

    /** Thrown by {@link #parse} for input that is not a well-formed, schema-valid retour. */
    public static final class InvalidRetourException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidRetourException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The retour as UTF-8 XML, valid against the project's XSD for its berichtsoort. */
    public static byte[] write(IwmoRetour retour) {
        boolean wmo302 = IwmoRetour.WMO302.equals(retour.berichtsoort());
        String ns = wmo302 ? NS_WMO302 : NS_WMO320;
        return IwmoXml.bericht(wmo302 ? "wmo302" : "wmo320", ns, xml -> {
            xml.start(ns, "Header");
            xml.header(retour.berichtCode(), retour.origineel());
            xml.leaf(ns, "IdentificatieRetour", retour.identificatieRetour());
            xml.date(ns, "DagtekeningRetour", retour.dagtekeningRetour());
            xml.xsdVersie("XsdVersieRetour");
            retourCodes(xml, ns, retour.headerRetourcodes());
            xml.end();
            if (!retour.klassen().isEmpty()) {
                if (wmo302) {
                    client(xml, ns, retour.klassen());
                } else {
                    antwoord(xml, ns, retour.klassen().get(0));
                }
            }
        });
    }

    /**
     * Reads a retour written by {@link #write}.
     *
     * @throws InvalidRetourException when the input is not well-formed, has a DOCTYPE, is not a
     *                                WMO302 or WMO320 root, or does not validate against the
     *                                project's XSD
     */
    public static IwmoRetour parse(byte[] xml) {
        if (xml == null || xml.length == 0) {
            throw new InvalidRetourException("No iWmo retour: the input is empty", null);
        }
        if (xml.length > MAX_BYTES) {
            throw new InvalidRetourException("No iWmo retour: " + xml.length + " bytes is more than the 25 MB iWmo "
                    + "allows (OP179)", null);
        }
        Document document = wellFormed(xml);
        Element root = document.getDocumentElement();
        String berichtsoort;
        if (NS_WMO302.equals(root.getNamespaceURI()) && "Bericht".equals(root.getLocalName())) {
            berichtsoort = IwmoRetour.WMO302;
        } else if (NS_WMO320.equals(root.getNamespaceURI()) && "Bericht".equals(root.getLocalName())) {
            berichtsoort = IwmoRetour.WMO320;
        } else {
            throw new InvalidRetourException("Not an iWmo retour: root element is {" + root.getNamespaceURI() + "}"
                    + root.getLocalName() + ", expected Bericht in " + NS_WMO302 + " or " + NS_WMO320, null);
        }
        valid(berichtsoort, xml);
        try {
            return read(berichtsoort, root);
        } catch (DateTimeParseException e) {
            throw new InvalidRetourException("Invalid iWmo retour " + berichtsoort + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // what the XSD cannot express, e.g. a DagtekeningRetour before the heenbericht's Dagtekening
            throw new InvalidRetourException(e.getMessage(), e);
        }
    }

    private static void retourCodes(IwmoXml xml, String ns, List<String> codes) throws XMLStreamException {
        if (codes.isEmpty()) {
            return;
        }
        xml.start(ns, "RetourCodes");
        for (String code : codes) {
            xml.leaf(ns, "RetourCode", code);
        }
        xml.end();
    }

    private static void client(IwmoXml xml, String ns, List<KlasseRetour> klassen) throws XMLStreamException {
        KlasseRetour client = klassen.get(0);
        xml.start(ns, "Client");
        xml.leaf(ns, "Bsn", client.sleutel().orElseThrow());
        xml.start(ns, "ToegewezenProducten");
        for (KlasseRetour product : klassen.subList(1, klassen.size())) {
            xml.start(ns, "ToegewezenProduct");
            xml.leaf(ns, "ToewijzingNummer", product.sleutel().orElseThrow());
            retourCodes(xml, ns, product.retourcodes());
            xml.end();
        }
        xml.end();
        retourCodes(xml, ns, client.retourcodes());
        xml.end();
    }

    private static void antwoord(IwmoXml xml, String ns, KlasseRetour antwoord) throws XMLStreamException {
        xml.start(ns, "Antwoord");
        xml.leaf(ns, "ReferentieAanbieder", antwoord.sleutel().orElseThrow());
        retourCodes(xml, ns, antwoord.retourcodes());
        xml.end();
    }

    private static Document wellFormed(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // a retour never has a DOCTYPE; refusing it outright rules out DTDs, entity expansion and XXE
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new Rethrowing());
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK's XML parser cannot be configured securely", e);
        } catch (SAXParseException e) {
            throw new InvalidRetourException("Not well-formed XML at line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ": " + e.getMessage(), e);
        } catch (SAXException | IOException e) {
            throw new InvalidRetourException("Not well-formed XML: " + e.getMessage(), e);
        }
    }

    private static void valid(String berichtsoort, byte[] xml) {
        Validator validator = Schemas.schema(berichtsoort).newValidator();
        List<String> errors = new ArrayList<>();
        try {
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            validator.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) {
                    errors.add(e.getLineNumber() + ":" + e.getColumnNumber() + " " + e.getMessage());
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXParseException {
                    throw e;
                }
            });
            validator.validate(new StreamSource(new ByteArrayInputStream(xml)));
        } catch (SAXException | IOException e) {
            errors.add(e.getMessage());
        }
        if (!errors.isEmpty()) {
            throw new InvalidRetourException("Not a valid " + berichtsoort + " (project XSD " + SCHEMA_FOLDER
                    + berichtsoort + ".xsd): " + String.join("; ", errors), null);
        }
    }

    private static IwmoRetour read(String berichtsoort, Element root) {
        Element header = child(root, "Header").orElseThrow();
        Element identificatie = child(header, "BerichtIdentificatie").orElseThrow();
        IwmoHeader origineel = new IwmoHeader(text(header, "Afzender"), text(header, "Ontvanger"),
                text(identificatie, "Identificatie"), datum(identificatie, "Dagtekening"));
        List<String> headerCodes = codes(header);
        List<KlasseRetour> klassen = new ArrayList<>();
        if (IwmoRetour.WMO302.equals(berichtsoort)) {
            child(root, "Client").ifPresent(client -> {
                klassen.add(KlasseRetour.client(text(client, "Bsn"), codes(client).toArray(String[]::new)));
                Element producten = child(client, "ToegewezenProducten").orElseThrow();
                for (Element product : children(producten, "ToegewezenProduct")) {
                    klassen.add(new KlasseRetour(IwmoRules.KLASSE_TOEGEWEZEN_PRODUCT,
                            Optional.of(Long.toString(Long.parseLong(text(product, "ToewijzingNummer").strip()))),
                            codes(product)));
                }
            });
        } else {
            child(root, "Antwoord").ifPresent(antwoord -> klassen.add(KlasseRetour.antwoord(
                    text(antwoord, "ReferentieAanbieder"), codes(antwoord).toArray(String[]::new))));
        }
        return new IwmoRetour(berichtsoort, origineel, IwmoRetour.heenberichtCode(berichtsoort),
                text(header, "IdentificatieRetour"), datum(header, "DagtekeningRetour"), headerCodes,
                klassen);
    }

    private static List<String> codes(Element parent) {
        return child(parent, "RetourCodes")
                .map(codes -> children(codes, "RetourCode").stream().map(Node::getTextContent).toList())
                .orElse(List.of());
    }

    // xs:date and xs:integer collapse surrounding whitespace, so the XSD lets it through
    private static LocalDate datum(Element parent, String name) {
        return LocalDate.parse(text(parent, name).strip());
    }

    private static String text(Element parent, String name) {
        return child(parent, name).orElseThrow().getTextContent();
    }

    private static Optional<Element> child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }

    /** Reports parse errors as exceptions instead of printing "[Fatal Error]" to stderr. */
    private static final class Rethrowing implements ErrorHandler {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXParseException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXParseException {
            throw e;
        }
    }

    /** The compiled project XSDs, loaded once from the classpath; a Schema is thread-safe. */
    static final class Schemas {
        private static final String BASISTYPEN = "retour-basistypen.xsd";
        private static final Schema WMO302 = compile("WMO302");
        private static final Schema WMO320 = compile("WMO320");

        private Schemas() {
        }

        static Schema schema(String berichtsoort) {
            return IwmoRetour.WMO302.equals(berichtsoort) ? WMO302 : WMO320;
        }

        private static Schema compile(String berichtsoort) {
            try {
                SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
                // both files are handed over here, so the import needs no lookup, in a JAR or not
                factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
                factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
                return factory.newSchema(new Source[] {source(BASISTYPEN), source(berichtsoort + ".xsd")});
            } catch (SAXException e) {
                throw new IllegalStateException("Cannot compile project XSD " + SCHEMA_FOLDER + berichtsoort
                        + ".xsd: " + e.getMessage(), e);
            }
        }

        private static Source source(String file) {
            String resource = SCHEMA_FOLDER + file;
            try (InputStream in = IwmoRetourXml.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Project XSD " + resource + " is not on the classpath");
                }
                return new StreamSource(new ByteArrayInputStream(in.readAllBytes()), resource);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read project XSD " + resource, e);
            }
        }
    }
}
