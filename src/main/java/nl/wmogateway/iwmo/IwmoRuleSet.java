package nl.wmogateway.iwmo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.transform.Templates;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMResult;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The official iWmo rule set (technische regels TR, condities CD, constraints CS) as the XSLT 1.0
 * stylesheet published with the release, applied to one iWmo message. The chain rejects a message
 * that breaks one of these rules as a whole; the gateway applies the same stylesheet to every iWmo
 * message it writes or reads (see {@link OfficialRules}).
 *
 * <p>The stylesheet's report has one {@code Fout} per broken rule: the rule's code, optionally the
 * retourcode the chain answers with, and one XPath per element involved. No {@code Fout}: the
 * message passes.
 *
 * <p>Compiling the stylesheet takes several seconds (about 7 s on two shared cores); it is done
 * once per file and JVM, on a background thread from the moment the rule set is asked for, and
 * {@link #check} waits for it. Applying it takes tens of milliseconds per message.
 *
 * <p>The stylesheet is configured by an operator and trusted as code, but it may not reach out: no
 * external documents, stylesheets or DTDs. The JDK's own XSLTC runs it (whatever else is on the
 * classpath), with secure processing on and only its XPath size limits lifted, which the official
 * stylesheet exceeds. A message is parsed by {@link IwmoXmlReader} before the stylesheet sees it.
 */
public final class IwmoRuleSet {

    public static final String NS_RAPPORT = "http://www.istandaarden.nl/validatie/1_1/rapport/schema";

    /** One broken rule: its code, the retourcode the chain gives for it (if the rule set names one), where, and why. */
    public record Fout(String code, Optional<String> retourcode, List<String> locaties, Optional<String> details) {

        public Fout {
            locaties = List.copyOf(locaties);
        }

        /** The retourcode for a retour: the rule set's own, else 0001 (the message is rejected as a whole). */
        public String retourcodeOrDefault() {
            return retourcode.orElse(IwmoCodes.RETOURCODE_BERICHT_AFGEKEURD);
        }

        /** "CD076 at /Bericht/...: Verplicht vullen ...", without message content. */
        @Override
        public String toString() {
            return code
                    + (locaties.isEmpty() ? "" : " at " + String.join(", ", locaties))
                    + details.map(d -> ": " + d).orElse("");
        }
    }

    /** The stylesheet's report on one message. */
    public record Rapport(Optional<String> xsltVersie, List<Fout> fouten) {

        public Rapport {
            fouten = List.copyOf(fouten);
        }

        public boolean passes() {
            return fouten.isEmpty();
        }

        /** The rule codes broken, in report order, each once. */
        public List<String> codes() {
            return fouten.stream().map(Fout::code).distinct().toList();
        }
    }

    private static final Map<Path, CompletableFuture<Templates>> COMPILED = new ConcurrentHashMap<>();

    private final Path stylesheet;
    private final CompletableFuture<Templates> templates;

    private IwmoRuleSet(Path stylesheet, CompletableFuture<Templates> templates) {
        this.stylesheet = stylesheet;
        this.templates = templates;
    }

    /**
     * The rule set in {@code stylesheet}; compiling starts now in the background (once per file per
     * JVM) and a broken file shows at the first {@link #check} or {@link #await}.
     *
     * @throws IllegalArgumentException when the file does not exist
     */
    public static IwmoRuleSet of(Path stylesheet) {
        Path file = stylesheet.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the iWmo rule set " + file + " does not exist or is not a file");
        }
        CompletableFuture<Templates> compiled = COMPILED.computeIfAbsent(file, f -> {
            CompletableFuture<Templates> future = new CompletableFuture<>();
            Thread compiler = new Thread(
                    () -> {
                        try {
                            future.complete(compile(f));
                        } catch (RuntimeException | Error e) {
                            future.completeExceptionally(e);
                        }
                    },
                    "iwmo-rule-set-compiler");
            compiler.setDaemon(true);
            compiler.start();
            return future;
        });
        return new IwmoRuleSet(file, compiled);
    }

    public Path stylesheet() {
        return stylesheet;
    }

    /**
     * Waits until the stylesheet is compiled.
     *
     * @throws IllegalStateException when it cannot be compiled (the message says why)
     */
    public void await() {
        templates();
    }

    /** Whether compiling has finished (successfully or not). */
    public boolean ready() {
        return templates.isDone();
    }

    /**
     * Applies the rule set to one message.
     *
     * @throws IwmoXmlReader.UnreadableXmlException when the message is not well-formed XML or has a DOCTYPE
     */
    public Rapport check(byte[] message) {
        Document document = IwmoXmlReader.read(message);
        Document report;
        try {
            Transformer transformer = templates().newTransformer();
            transformer.setURIResolver((href, base) -> {
                throw new TransformerException("the iWmo rule set may not load " + href);
            });
            DOMResult result = new DOMResult();
            transformer.transform(new DOMSource(document), result);
            report = (Document) result.getNode();
        } catch (TransformerException e) {
            throw new IllegalStateException(
                    "the iWmo rule set " + stylesheet.getFileName() + " failed on a message: "
                            + e.getMessageAndLocation(),
                    e);
        }
        return rapport(report);
    }

    private Templates templates() {
        try {
            return templates.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }

    private static Templates compile(Path file) {
        TransformerFactory factory = TransformerFactory.newDefaultInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (TransformerConfigurationException e) {
            throw new IllegalStateException("the JDK's XSLT processor cannot be configured securely", e);
        }
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        // the official stylesheet is one large document whose XPath expressions together exceed the
        // JDK's default limits for untrusted stylesheets; it is trusted configuration, not input
        factory.setAttribute("jdk.xml.xpathExprGrpLimit", "0");
        factory.setAttribute("jdk.xml.xpathExprOpLimit", "0");
        factory.setAttribute("jdk.xml.xpathTotalOpLimit", "0");
        factory.setURIResolver((href, base) -> {
            throw new TransformerException("the iWmo rule set may not import or include " + href);
        });
        try (InputStream in = Files.newInputStream(file)) {
            StreamSource source = new StreamSource(in, file.toUri().toString());
            Templates compiled = factory.newTemplates(source);
            if (compiled == null) {
                throw new IllegalStateException("the iWmo rule set " + file + " is not an XSLT stylesheet");
            }
            return compiled;
        } catch (TransformerConfigurationException e) {
            throw new IllegalStateException(
                    "the iWmo rule set " + file + " cannot be compiled: " + e.getMessageAndLocation(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("the iWmo rule set " + file + " cannot be read", e);
        }
    }

    private static Rapport rapport(Document report) {
        Element root = report.getDocumentElement();
        if (root == null || !NS_RAPPORT.equals(root.getNamespaceURI()) || !"Rapport".equals(root.getLocalName())) {
            throw new IllegalStateException(
                    "the iWmo rule set did not produce a validation report (Rapport in " + NS_RAPPORT + ")");
        }
        Optional<String> versie = children(root, "Header").stream()
                .flatMap(h -> children(h, "XSLTVersie").stream())
                .map(IwmoRuleSet::text)
                .findFirst();
        List<Fout> fouten = new ArrayList<>();
        for (Element lijst : children(root, "Fouten")) {
            for (Element fout : children(lijst, "Fout")) {
                String code = children(fout, "Code").stream()
                        .map(IwmoRuleSet::text)
                        .findFirst()
                        .orElse("?");
                Optional<String> retourcode = children(fout, "Retourcode").stream()
                        .map(IwmoRuleSet::text)
                        .filter(s -> !s.isEmpty())
                        .findFirst();
                List<String> locaties = children(fout, "Locatie").stream()
                        .map(IwmoRuleSet::text)
                        .toList();
                Optional<String> details = children(fout, "Details").stream()
                        .map(IwmoRuleSet::text)
                        .filter(s -> !s.isEmpty())
                        .findFirst();
                fouten.add(new Fout(code, retourcode, locaties, details));
            }
        }
        return new Rapport(versie, fouten);
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e
                    && NS_RAPPORT.equals(e.getNamespaceURI())
                    && localName.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element e) {
        return e.getTextContent().strip();
    }

    /** For logs and the operator: "CD076, TR383". */
    public static String summary(Rapport rapport) {
        return rapport.fouten().stream().map(Fout::code).distinct().collect(Collectors.joining(", "));
    }
}
