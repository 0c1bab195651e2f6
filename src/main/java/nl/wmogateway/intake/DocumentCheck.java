package nl.wmogateway.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import nl.wmogateway.fhir.Finding;

/**
 * Reads a submitted FHIR document once, as a stream, before HAPI parses it, and refuses what would
 * give the parser or validator unbounded work, or give the document more than one meaning. What HAPI
 * then parses, and what the gateway stores, is exactly the document checked here.
 *
 * <ul>
 *   <li>400: not UTF-8; a control character that XML cannot carry; a JSON object with the same key twice (HAPI keeps the last, another reader
 *       may keep the first); anything after the document; an XML DOCTYPE (entities, external DTDs);
 *       an XML element outside the FHIR namespace (XHTML only inside the narrative {@code div}); an
 *       XML declaration naming another encoding; a number with an exponent beyond ±{@value #MAX_EXPONENT}
 *       (the validator writes decimals out in full) or longer than {@value #MAX_NUMBER_LENGTH} characters;</li>
 *   <li>422: more Bundle entries, deeper nesting or longer strings than {@link IntakeLimits} allows.</li>
 * </ul>
 * Each refusal names its location: a FHIRPath into the document where it can be given (for
 * example {@code Bundle.entry[1].resource.identifier[0].value}), and the line and column.
 */
final class DocumentCheck {

    static final int MAX_NUMBER_LENGTH = 64;
    static final int MAX_EXPONENT = 100;

    static final String FHIR_NS = "http://hl7.org/fhir";
    static final String XHTML_NS = "http://www.w3.org/1999/xhtml";

    private static final Pattern NUMBER = Pattern.compile("^-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$");
    private static final Pattern EXPONENT = Pattern.compile("^-?[0-9]*\\.?[0-9]*[eE]([+-]?[0-9]+)$");

    private static final JsonFactory JSON = JsonFactory.builder()
            // our own limits are lower and come with a location; these only catch what slips past them
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(1000)
                    .maxNumberLength(1000)
                    .build())
            .build();

    private static final XMLInputFactory XML = xmlFactory();

    /** The two FHIR encodings. */
    enum Format {
        JSON,
        XML
    }

    private DocumentCheck() {}

    /**
     * Checks one document.
     *
     * @param body     the bytes as received (after any content encoding was undone)
     * @param format   how the client said it is encoded
     * @param rootType the resource type the endpoint expects at the root ({@code Bundle}, {@code Consent}),
     *                 used to start the locations
     * @param limits   the entry, depth and string limits
     * @return the refusal, or empty when the document may be parsed
     */
    static Optional<IntakeRejection> check(byte[] body, Format format, String rootType, IntakeLimits limits) {
        Optional<IntakeRejection> encoding = utf8(body);
        if (encoding.isPresent()) {
            return encoding;
        }
        try {
            return format == Format.JSON
                    ? new JsonScan(body, rootType, limits).run()
                    : new XmlScan(body, rootType, limits).run();
        } catch (Refused r) {
            return Optional.of(r.rejection);
        }
    }

    // ---------------------------------------------------------------- UTF-8

    private static Optional<IntakeRejection> utf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                int offset = in.position();
                return Optional.of(bad(
                        "invalid",
                        "the body is not valid UTF-8: byte 0x"
                                + String.format("%02X", body[offset] & 0xff) + " at offset " + offset + " ("
                                + lineAndColumn(body, offset)
                                + "); FHIR documents are UTF-8",
                        "Bundle"));
            }
            if (result.isOverflow()) {
                out.clear();
                continue;
            }
            decoder.flush(out);
            return Optional.empty();
        }
    }

    private static String lineAndColumn(byte[] body, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (body[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (offset - lineStart + 1);
    }

    // ---------------------------------------------------------------- JSON

    /** One container on the way from the root to the current token. */
    private static final class JsonFrame {
        final boolean array;
        final String path;
        final Set<String> names;
        int index = -1;
        String field;

        JsonFrame(boolean array, String path) {
            this.array = array;
            this.path = path;
            this.names = array ? Set.of() : new HashSet<>();
        }

        /** The location of the value that starts now in this container. */
        String childPath() {
            return array ? path + "[" + index + "]" : path + "." + fhirName(field);
        }
    }

    private static final class JsonScan {
        private final byte[] body;
        private final String rootType;
        private final IntakeLimits limits;
        private final Deque<JsonFrame> stack = new ArrayDeque<>();

        JsonScan(byte[] body, String rootType, IntakeLimits limits) {
            this.body = body;
            this.rootType = rootType;
            this.limits = limits;
        }

        Optional<IntakeRejection> run() {
            try (JsonParser parser = JSON.createParser(body)) {
                JsonToken token = parser.nextToken();
                if (token != JsonToken.START_OBJECT) {
                    return Optional.of(bad(
                            "structure",
                            "a FHIR JSON document is one object with a resourceType, " + "but this body starts with "
                                    + (token == null ? "nothing" : describe(token)),
                            rootType));
                }
                stack.push(new JsonFrame(false, rootType));
                while (!stack.isEmpty()) {
                    token = parser.nextToken();
                    if (token == null) {
                        break; // the parser reports an unclosed document itself
                    }
                    step(parser, token);
                }
                JsonToken after = parser.nextToken();
                if (after != null) {
                    return Optional.of(bad(
                            "structure",
                            "the body goes on after the end of the " + rootType
                                    + " (" + describe(after) + " at " + where(parser.currentTokenLocation())
                                    + "): send exactly one document",
                            rootType));
                }
                return Optional.empty();
            } catch (JsonProcessingException e) {
                String path = stack.isEmpty() ? rootType : currentPath();
                return Optional.of(bad(
                        "structure",
                        "the body is not well-formed JSON: " + e.getOriginalMessage() + " at " + where(e.getLocation()),
                        path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void step(JsonParser parser, JsonToken token) throws IOException {
            JsonFrame frame = stack.peek();
            switch (token) {
                case FIELD_NAME -> {
                    String name = parser.currentName();
                    checkLength(name, frame.path + "." + fhirName(name), parser, "name");
                    if (!frame.names.add(name)) {
                        throw refused(bad(
                                "structure",
                                "key '" + name + "' occurs twice in the same object (at "
                                        + where(parser.currentTokenLocation())
                                        + "): readers disagree on which one counts; "
                                        + "send it once",
                                frame.path + "." + fhirName(name)));
                    }
                    frame.field = name;
                }
                case END_OBJECT, END_ARRAY -> stack.pop();
                default -> value(parser, token, frame);
            }
        }

        private void value(JsonParser parser, JsonToken token, JsonFrame parent) throws IOException {
            if (parent.array) {
                parent.index++;
                if (isEntryArray(parent) && parent.index >= limits.maxEntries()) {
                    throw refused(tooMuch(
                            "too-costly",
                            "the Bundle has more than " + limits.maxEntries()
                                    + " entries, the most the gateway takes (wmo.intake.max-entries = "
                                    + limits.maxEntries() + ")",
                            rootType + ".entry"));
                }
            }
            String path = parent.childPath();
            switch (token) {
                case START_OBJECT, START_ARRAY -> {
                    if (stack.size() >= limits.maxDepth()) {
                        throw refused(tooMuch(
                                "too-costly",
                                "the document nests deeper than " + limits.maxDepth()
                                        + " levels, the most the gateway takes (wmo.intake.max-depth = "
                                        + limits.maxDepth() + ")",
                                path));
                    }
                    stack.push(new JsonFrame(token == JsonToken.START_ARRAY, path));
                }
                case VALUE_STRING -> checkLength(parser.getText(), path, parser, "string");
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> checkNumber(parser.getText(), path);
                default -> {
                    // true, false, null: nothing to bound
                }
            }
        }

        private boolean isEntryArray(JsonFrame frame) {
            return stack.size() == 2 && "entry".equals(stack.getLast().field) && frame == stack.peek();
        }

        private void checkLength(String text, String path, JsonParser parser, String what) {
            if (text.length() > limits.maxStringLength()) {
                throw refused(tooMuch(
                        "too-long",
                        "a " + what + " of " + text.length() + " characters is longer than "
                                + limits.maxStringLength()
                                + ", the most the gateway takes (wmo.intake.max-string-length = "
                                + limits.maxStringLength() + ")",
                        path));
            }
            int control = controlCharacter(text);
            if (control >= 0) {
                throw refused(bad(
                        "invalid",
                        "a " + what + " holds the control character U+"
                                + String.format("%04X", (int) text.charAt(control)) + " (at "
                                + where(parser.currentTokenLocation())
                                + "), which FHIR XML, iWmo and most readers cannot carry",
                        path));
            }
            int unpaired = unpairedSurrogate(text);
            if (unpaired >= 0) {
                throw refused(bad(
                        "invalid",
                        "a " + what + " holds an unpaired surrogate \\u"
                                + String.format("%04x", (int) text.charAt(unpaired)) + " (at "
                                + where(parser.currentTokenLocation())
                                + "), which is not a Unicode character",
                        path));
            }
        }

        private String currentPath() {
            JsonFrame frame = stack.peek();
            return frame.array
                    ? frame.path + (frame.index >= 0 ? "[" + frame.index + "]" : "")
                    : frame.field == null ? frame.path : frame.path + "." + fhirName(frame.field);
        }
    }

    private static void checkNumber(String text, String path) {
        if (text.length() > MAX_NUMBER_LENGTH) {
            throw refused(bad(
                    "invalid",
                    "a number of " + text.length() + " characters is longer than a FHIR decimal can be ("
                            + MAX_NUMBER_LENGTH + ")",
                    path));
        }
        Matcher m = EXPONENT.matcher(text);
        if (m.matches()) {
            String exponent = m.group(1).replaceFirst("^[+-]", "");
            if (exponent.length() > 3 || Integer.parseInt(exponent) > MAX_EXPONENT) {
                throw refused(bad(
                        "invalid",
                        "the number " + text + " has an exponent beyond ±" + MAX_EXPONENT + "; write the value out",
                        path));
            }
        }
    }

    /** FHIR JSON carries a primitive's id and extensions under {@code _name}: in FHIRPath that is {@code name}. */
    private static String fhirName(String jsonName) {
        return jsonName.length() > 1 && jsonName.charAt(0) == '_' ? jsonName.substring(1) : jsonName;
    }

    /** The first character XML 1.0 cannot carry: C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF. */
    private static int controlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == '\uFFFE' || c == '\uFFFF') {
                return i;
            }
        }
        return -1;
    }

    private static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> "'" + token.asString() + "'";
        };
    }

    private static String where(JsonLocation location) {
        return location == null
                ? "an unknown place"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    // ---------------------------------------------------------------- XML

    /** One open element on the way from the root to the current event. */
    private static final class XmlFrame {
        final String name;
        final String path;
        final boolean xhtml;
        final Map<String, Integer> children = new HashMap<>();

        XmlFrame(String name, String path, boolean xhtml) {
            this.name = name;
            this.path = path;
            this.xhtml = xhtml;
        }
    }

    private static final class XmlScan {
        private final byte[] body;
        private final String rootType;
        private final IntakeLimits limits;
        private final Deque<XmlFrame> stack = new ArrayDeque<>();
        private int entries;

        XmlScan(byte[] body, String rootType, IntakeLimits limits) {
            this.body = body;
            this.rootType = rootType;
            this.limits = limits;
        }

        Optional<IntakeRejection> run() {
            XMLStreamReader reader = null;
            try {
                reader = XML.createXMLStreamReader(new ByteArrayInputStream(body));
                String declared = reader.getCharacterEncodingScheme();
                if (declared != null && !declared.equalsIgnoreCase("UTF-8")) {
                    return Optional.of(bad(
                            "invalid",
                            "the XML declaration names encoding " + declared
                                    + "; FHIR documents are UTF-8 (declare UTF-8 or nothing)",
                            rootType));
                }
                while (reader.hasNext()) {
                    int event = reader.next();
                    switch (event) {
                        case XMLStreamConstants.DTD ->
                            throw refused(bad(
                                    "security",
                                    "the document has a DOCTYPE (at "
                                            + where(reader.getLocation())
                                            + "): FHIR XML has none, and the gateway does not read "
                                            + "DTDs or entities",
                                    rootType));
                        case XMLStreamConstants.START_ELEMENT -> start(reader);
                        case XMLStreamConstants.END_ELEMENT -> stack.pop();
                        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                            if (reader.getTextLength() > limits.maxStringLength()) {
                                throw refused(tooMuch(
                                        "too-long",
                                        "a text of " + reader.getTextLength()
                                                + " characters is longer than " + limits.maxStringLength()
                                                + ", the most the gateway takes (wmo.intake.max-string-length = "
                                                + limits.maxStringLength() + ")",
                                        currentPath()));
                            }
                        }
                        case XMLStreamConstants.ENTITY_REFERENCE ->
                            throw refused(bad(
                                    "security",
                                    "the document refers to entity &" + reader.getLocalName() + "; (at "
                                            + where(reader.getLocation())
                                            + "): FHIR XML uses character references only",
                                    currentPath()));
                        default -> {
                            // comments, processing instructions, end of document
                        }
                    }
                }
                return Optional.empty();
            } catch (XMLStreamException e) {
                String message = e.getMessage() == null
                        ? "unreadable"
                        : e.getMessage()
                                .replaceAll("\\s*at \\[row,col.*$", "")
                                .replaceAll("\\s+", " ")
                                .trim();
                return Optional.of(bad(
                        "structure",
                        "the body is not well-formed XML: " + message
                                + (e.getLocation() == null ? "" : " at " + where(e.getLocation())),
                        currentPath()));
            } finally {
                if (reader != null) {
                    try {
                        reader.close();
                    } catch (XMLStreamException ignored) {
                        // nothing held open: the input is a byte array
                    }
                }
            }
        }

        private void start(XMLStreamReader reader) {
            String ns = reader.getNamespaceURI() == null ? "" : reader.getNamespaceURI();
            String name = reader.getLocalName();
            XmlFrame parent = stack.peek();
            boolean xhtml =
                    (parent != null && parent.xhtml) || (XHTML_NS.equals(ns) && "div".equals(name) && parent != null);
            String path = parent == null ? rootType : childPath(parent, name);
            if (xhtml ? !XHTML_NS.equals(ns) : !FHIR_NS.equals(ns)) {
                throw refused(bad(
                        "structure",
                        "element <" + name + "> (at " + where(reader.getLocation()) + ") is in "
                                + (ns.isEmpty() ? "no namespace" : "namespace " + ns) + ", but FHIR XML is in "
                                + FHIR_NS
                                + (parent != null && parent.xhtml ? " (the narrative in " + XHTML_NS + ")" : ""),
                        path));
            }
            if (stack.size() >= limits.maxDepth()) {
                throw refused(tooMuch(
                        "too-costly",
                        "the document nests deeper than " + limits.maxDepth()
                                + " levels, the most the gateway takes (wmo.intake.max-depth = " + limits.maxDepth()
                                + ")",
                        path));
            }
            if (stack.size() == 1 && "entry".equals(name) && ++entries > limits.maxEntries()) {
                throw refused(tooMuch(
                        "too-costly",
                        "the Bundle has more than " + limits.maxEntries()
                                + " entries, the most the gateway takes (wmo.intake.max-entries = "
                                + limits.maxEntries() + ")",
                        rootType + ".entry"));
            }
            for (int i = 0; i < reader.getAttributeCount(); i++) {
                String value = reader.getAttributeValue(i);
                String attribute = reader.getAttributeLocalName(i);
                if (value.length() > limits.maxStringLength()) {
                    throw refused(tooMuch(
                            "too-long",
                            "attribute " + attribute + " of " + value.length()
                                    + " characters is longer than " + limits.maxStringLength()
                                    + ", the most the gateway takes (wmo.intake.max-string-length = "
                                    + limits.maxStringLength() + ")",
                            path));
                }
                if (!xhtml
                        && "value".equals(attribute)
                        && NUMBER.matcher(value.strip()).matches()) {
                    checkNumber(value.strip(), path);
                }
            }
            stack.push(new XmlFrame(name, path, xhtml));
        }

        /**
         * FHIRPath of a child element: a resource's type element ({@code <resource><Patient>}) adds no
         * step; the second and later element of a name get an index.
         */
        private static String childPath(XmlFrame parent, String name) {
            if (("resource".equals(parent.name) || "contained".equals(parent.name))
                    && !name.isEmpty()
                    && Character.isUpperCase(name.charAt(0))) {
                return parent.path;
            }
            int index = parent.children.merge(name, 1, Integer::sum) - 1;
            return parent.path + "." + name + (index > 0 || "entry".equals(name) ? "[" + index + "]" : "");
        }

        private String currentPath() {
            return stack.isEmpty() ? rootType : stack.peek().path;
        }
    }

    private static String where(Location location) {
        return "line " + location.getLineNumber() + ", column " + location.getColumnNumber();
    }

    private static XMLInputFactory xmlFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // the DOCTYPE is reported (and refused) but never processed: no entities, no external DTD
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resource " + systemId + " refused");
        });
        return factory;
    }

    // ---------------------------------------------------------------- refusals

    /** The document has a problem that stops the scan. */
    private static final class Refused extends RuntimeException {

        private static final long serialVersionUID = 1L;

        final transient IntakeRejection rejection;

        Refused(IntakeRejection rejection) {
            super(null, null, false, false);
            this.rejection = rejection;
        }
    }

    private static Refused refused(IntakeRejection rejection) {
        return new Refused(rejection);
    }

    private static IntakeRejection bad(String code, String message, String expression) {
        return new IntakeRejection(400, List.of(Finding.error(code, message, expression)));
    }

    private static IntakeRejection tooMuch(String code, String message, String expression) {
        return new IntakeRejection(422, List.of(Finding.error(code, message, expression)));
    }
}
