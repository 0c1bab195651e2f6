package nl.wmogateway.iwmo;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The official iWmo 3.2 XSDs for tests, read from {@code <wmo.shared.dir>/reference/iwmo/xsd/}
 * (the build sets {@code wmo.shared.dir}; default {@code ../shared}). They are not copied into
 * the repository; when they are absent, tests that need them are skipped, not failed.
 */
public final class IwmoSchemas {

    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private IwmoSchemas() {}

    /** The folder holding WMO315.xsd and basisschema.xsd. */
    public static Path directory() {
        return Path.of(System.getProperty("wmo.shared.dir", "../shared"), "reference", "iwmo", "xsd");
    }

    /** Whether the official XSDs are there (for tests that check more than the schema). */
    public static boolean available() {
        return Files.isRegularFile(directory().resolve("basisschema.xsd"));
    }

    /**
     * The compiled schema for one message, e.g. {@code "WMO315"}; skips the calling test when the
     * XSDs are not there.
     */
    public static Schema schema(String bericht) {
        Path xsd = directory().resolve(bericht + ".xsd");
        assumeTrue(
                Files.isRegularFile(xsd) && Files.isRegularFile(directory().resolve("basisschema.xsd")),
                () -> "official iWmo XSDs not found at " + directory().toAbsolutePath() + "; skipping");
        return CACHE.computeIfAbsent(bericht, b -> compile(xsd));
    }

    /**
     * Every validation error of {@code xml} against the message's schema, as "line:column message";
     * empty when valid.
     */
    public static List<String> errors(String bericht, byte[] xml) {
        return errors(schema(bericht), xml);
    }

    /** Every validation error of {@code xml} against {@code schema}, as "line:column message"; empty when valid. */
    public static List<String> errors(Schema schema, byte[] xml) {
        Validator validator = schema.newValidator();
        List<String> errors = new ArrayList<>();
        validator.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {}

            @Override
            public void error(SAXParseException e) {
                errors.add(e.getLineNumber() + ":" + e.getColumnNumber() + " " + e.getMessage());
            }

            @Override
            public void fatalError(SAXParseException e) {
                error(e);
            }
        });
        try {
            validator.validate(new StreamSource(new ByteArrayInputStream(xml)));
        } catch (SAXException | IOException e) {
            if (errors.isEmpty()) {
                errors.add(e.getMessage());
            }
        }
        return errors;
    }

    private static Schema compile(Path xsd) {
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            // the message XSD imports basisschema.xsd by relative path from the same folder
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
            return factory.newSchema(xsd.toFile());
        } catch (SAXException e) {
            throw new IllegalStateException("Cannot compile " + xsd + ": " + e.getMessage(), e);
        }
    }
}
