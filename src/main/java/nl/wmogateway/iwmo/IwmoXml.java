package nl.wmogateway.iwmo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes one iWmo message the way the official examples look: a hand-written XML declaration with
 * double quotes, the message namespace and the {@code iwmo} basisschema namespace declared on the
 * root {@code Bericht}, one element per line indented by two spaces (so the message browser shows
 * it readably), and a final newline. Shared by every iWmo writer in this package.
 */
final class IwmoXml {

    static final String NS_IWMO = IwmoCodes.NS_IWMO;
    static final String PREFIX_IWMO = "iwmo";

    /** BerichtVersie and BerichtSubversie of iWmo 3.2 (CS025, CS015). */
    static final String BERICHT_VERSIE = "3";

    static final String BERICHT_SUBVERSIE = "2";
    /** BasisschemaXsdVersie and BerichtXsdVersie of the iWmo 3.2 XSDs (IV034). */
    static final String XSD_VERSIE = "1.0.0";

    private static final byte[] XML_DECLARATION =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".getBytes(StandardCharsets.UTF_8);

    // the JDK's factory creates independent writers and is not reconfigured after this line
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    /** The part of a message between the opening and the closing {@code Bericht}. */
    @FunctionalInterface
    interface Body {
        void write(IwmoXml xml) throws XMLStreamException;
    }

    private final XMLStreamWriter writer;
    private final String prefix;
    private final String namespace;
    private int depth;

    IwmoXml(XMLStreamWriter writer, String prefix, String namespace) {
        this.writer = writer;
        this.prefix = prefix;
        this.namespace = namespace;
    }

    /**
     * A whole message: declaration, {@code <prefix:Bericht>} with both namespaces, the body, and
     * the closing tag with a final newline.
     */
    static byte[] bericht(String prefix, String namespace, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        // by hand: the JDK's writeStartDocument writes single quotes, the official examples use double
        out.writeBytes(XML_DECLARATION);
        try {
            IwmoXml xml =
                    new IwmoXml(FACTORY.createXMLStreamWriter(out, StandardCharsets.UTF_8.name()), prefix, namespace);
            xml.startRoot();
            body.write(xml);
            xml.finish();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Writing " + prefix.toUpperCase(Locale.ROOT) + " to memory failed", e);
        }
        return out.toByteArray();
    }

    /** An Optional holding a blank string counts as empty: iWmo forbids empty elements. */
    static Optional<String> present(Optional<String> value) {
        return value.filter(v -> !v.isBlank());
    }

    /**
     * The seven header elements every iWmo message shares, BerichtCode to XsdVersie, inside the
     * {@code Header} element the caller has started. A retour calls this with its own code and the
     * heenbericht's parties and identification, then adds its retour elements.
     */
    void header(String berichtCode, IwmoHeader header) throws XMLStreamException {
        leaf(namespace, "BerichtCode", berichtCode);
        leaf(namespace, "BerichtVersie", BERICHT_VERSIE);
        leaf(namespace, "BerichtSubversie", BERICHT_SUBVERSIE);
        leaf(namespace, "Afzender", header.afzender());
        leaf(namespace, "Ontvanger", header.ontvanger());
        start(namespace, "BerichtIdentificatie");
        leaf(NS_IWMO, "Identificatie", header.identificatie());
        leaf(NS_IWMO, "Dagtekening", header.dagtekening().toString());
        end();
        xsdVersie("XsdVersie");
    }

    /** A CDT_XsdVersie element named {@code name} with the iWmo 3.2 versions. */
    void xsdVersie(String name) throws XMLStreamException {
        start(namespace, name);
        leaf(NS_IWMO, "BasisschemaXsdVersie", XSD_VERSIE);
        leaf(NS_IWMO, "BerichtXsdVersie", XSD_VERSIE);
        end();
    }

    void start(String elementNamespace, String name) throws XMLStreamException {
        indent();
        writer.writeStartElement(prefix(elementNamespace), name, elementNamespace);
        depth++;
    }

    void end() throws XMLStreamException {
        depth--;
        indent();
        writer.writeEndElement();
    }

    void leaf(String elementNamespace, String name, String text) throws XMLStreamException {
        indent();
        writer.writeStartElement(prefix(elementNamespace), name, elementNamespace);
        writer.writeCharacters(text);
        writer.writeEndElement();
    }

    void optionalLeaf(String elementNamespace, String name, Optional<String> text) throws XMLStreamException {
        Optional<String> value = present(text);
        if (value.isPresent()) {
            leaf(elementNamespace, name, value.get());
        }
    }

    void date(String elementNamespace, String name, LocalDate date) throws XMLStreamException {
        leaf(elementNamespace, name, date.toString());
    }

    private void startRoot() throws XMLStreamException {
        writer.writeStartElement(prefix, "Bericht", namespace);
        writer.writeNamespace(prefix, namespace);
        writer.writeNamespace(PREFIX_IWMO, NS_IWMO);
        depth++;
    }

    private void finish() throws XMLStreamException {
        end();
        writer.writeCharacters("\n");
        writer.close();
    }

    private void indent() throws XMLStreamException {
        writer.writeCharacters("\n" + "  ".repeat(depth));
    }

    private String prefix(String elementNamespace) {
        return namespace.equals(elementNamespace) ? prefix : PREFIX_IWMO;
    }
}
