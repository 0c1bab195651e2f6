package nl.wmogateway.iwmo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** XPath over iWmo messages in tests, with the prefixes iwmo, wmo301, wmo302, wmo315, wmo316, wmo319 and wmo320. */
final class TestXml {

    private TestXml() {}

    static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage(), e);
        }
    }

    static String text(Document doc, String xpath) {
        NodeList found = nodes(doc, xpath);
        assertThat(found.getLength()).as("exactly one node at %s", xpath).isEqualTo(1);
        return found.item(0).getTextContent();
    }

    static int count(Document doc, String xpath) {
        return nodes(doc, xpath).getLength();
    }

    static List<String> childNames(Document doc, String xpath) {
        NodeList children = nodes(doc, xpath + "/*");
        return IntStream.range(0, children.getLength())
                .mapToObj(i -> children.item(i).getLocalName())
                .toList();
    }

    static NodeList nodes(Document doc, String xpath) {
        try {
            XPath x = XPathFactory.newInstance().newXPath();
            x.setNamespaceContext(NAMESPACES);
            return (NodeList) x.evaluate(xpath, doc, XPathConstants.NODESET);
        } catch (Exception e) {
            throw new AssertionError("bad XPath " + xpath, e);
        }
    }

    private static final NamespaceContext NAMESPACES = new NamespaceContext() {
        @Override
        public String getNamespaceURI(String prefix) {
            return switch (prefix) {
                case "iwmo" -> IwmoXml.NS_IWMO;
                case "wmo301" -> Wmo301Writer.NS_WMO301;
                case "wmo319" -> Wmo319Writer.NS_WMO319;
                case "wmo302" -> IwmoRetourXml.NS_WMO302;
                case "wmo320" -> IwmoRetourXml.NS_WMO320;
                case "wmo315" -> Wmo315Rendering.NS_WMO315;
                case "wmo316" -> IwmoRetourXml.NS_WMO316;
                default -> XMLConstants.NULL_NS_URI;
            };
        }

        @Override
        public String getPrefix(String namespaceURI) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Iterator<String> getPrefixes(String namespaceURI) {
            throw new UnsupportedOperationException();
        }
    };
}
