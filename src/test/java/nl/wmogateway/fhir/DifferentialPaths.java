package nl.wmogateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.ElementDefinition.ElementDefinitionSlicingDiscriminatorComponent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * The tree walking the differential corpus is generated with: every element of a Bundle with a
 * readable path and its JSON location, the instances of a profile's element (by element id, slices
 * resolved by their discriminators), and edits of one primitive in the JSON form of a Bundle (for values
 * the R4 model refuses to hold).
 */
final class DifferentialPaths {

    private static final FhirContext CTX = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();

    private DifferentialPaths() {}

    /**
     * One step of an element's location.
     *
     * @param name      the JSON property name (choice elements with their type: {@code valueString})
     * @param property  the model's property name ({@code value[x]})
     * @param index     the index in the list, -1 for a single value
     * @param primitive whether the value is a primitive (its id and extensions live under {@code _name})
     */
    record Step(String name, String property, int index, boolean primitive) {}

    /**
     * One element of a Bundle.
     *
     * @param value    the element
     * @param parent   the element holding it (null for the Bundle)
     * @param property the parent's property as the model names it ({@code value[x]} for choices)
     * @param path     a readable location: {@code Bundle.entry[3].resource.identifier[0].value}
     * @param steps    its JSON location
     */
    record Node(Base value, Base parent, String property, String path, List<Step> steps) {

        /** The path without list indices: the same element in each repetition. */
        String shape() {
            return path.replaceAll("\\[\\d+]", "");
        }

        /** The entry whose resource this element lies in, -1 for the Bundle's own elements (entry, fullUrl, request). */
        int entry() {
            int at = path.indexOf("].resource");
            if (!path.startsWith("Bundle.entry[") || at < 0) {
                return -1;
            }
            return Integer.parseInt(path.substring("Bundle.entry[".length(), at));
        }

        /** The path relative to its entry's resource ({@code identifier[0].value}), or the full path. */
        String inResource() {
            int at = path.indexOf("].resource");
            if (at < 0) {
                return path;
            }
            String rest = path.substring(at + "].resource".length());
            return rest.startsWith(".") ? rest.substring(1) : "(resource)";
        }
    }

    /** The Bundle as the root node. */
    static Node root(Bundle bundle) {
        return new Node(bundle, null, null, "Bundle", List.of());
    }

    /** Every element of the Bundle (not the Bundle itself), depth first, in the model's order. */
    static List<Node> walk(Bundle bundle) {
        List<Node> out = new ArrayList<>();
        walk(root(bundle), out);
        return out;
    }

    /** Every element below the node, depth first. */
    static List<Node> below(Node node) {
        List<Node> out = new ArrayList<>();
        walk(node, out);
        return out;
    }

    private static void walk(Node node, List<Node> out) {
        for (Property property : node.value().children()) {
            if (!property.hasValues()) {
                continue;
            }
            List<Base> values = property.getValues();
            for (int i = 0; i < values.size(); i++) {
                Base value = values.get(i);
                if (value == null || value.isEmpty()) {
                    continue;
                }
                Node child = child(node, property, i, value);
                out.add(child);
                walk(child, out);
            }
        }
    }

    private static Node child(Node parent, Property property, int index, Base value) {
        String name = jsonName(property.getName(), value);
        boolean list = property.isList();
        String path = parent.path() + "." + name + (list ? "[" + index + "]" : "");
        List<Step> steps = new ArrayList<>(parent.steps());
        steps.add(new Step(name, property.getName(), list ? index : -1, value.isPrimitive()));
        return new Node(value, parent.value(), property.getName(), path, List.copyOf(steps));
    }

    /** {@code value[x]} holding a string is {@code valueString} in JSON. */
    static String jsonName(String property, Base value) {
        if (!property.endsWith("[x]")) {
            return property;
        }
        String type = value.fhirType();
        return property.substring(0, property.length() - 3)
                + type.substring(0, 1).toUpperCase(Locale.ROOT)
                + type.substring(1);
    }

    /** The node in this Bundle at the place of a node of another Bundle of the same shape (a copy). */
    static Node locate(Bundle bundle, Node like) {
        Node current = root(bundle);
        for (Step step : like.steps()) {
            Property property = property(current.value(), step.property());
            int index = Math.max(step.index(), 0);
            if (property == null || property.getValues().size() <= index) {
                throw new IllegalArgumentException("no element at " + like.path());
            }
            current = child(current, property, index, property.getValues().get(index));
        }
        return current;
    }

    /** Every node of the Bundle that holds an element of this class. */
    static <T extends Base> List<Node> ofType(Bundle bundle, Class<T> type) {
        return walk(bundle).stream().filter(n -> type.isInstance(n.value())).toList();
    }

    // ---------------------------------------------------------------- profiles

    /** A profile's snapshot, its elements by id. */
    record Profile(StructureDefinition sd, Map<String, ElementDefinition> byId) {

        static Profile of(StructureDefinition sd) {
            Map<String, ElementDefinition> byId = new HashMap<>();
            for (ElementDefinition ed : sd.getSnapshot().getElement()) {
                byId.put(ed.getId(), ed);
            }
            return new Profile(sd, Collections.unmodifiableMap(byId));
        }

        String url() {
            return sd.getUrl();
        }

        /** The profile's id, e.g. {@code wmo-patient}. */
        String name() {
            return sd.getUrl().substring(sd.getUrl().lastIndexOf('/') + 1);
        }

        ElementDefinition element(String id) {
            return byId.get(id);
        }

        List<ElementDefinition> elements() {
            return sd.getSnapshot().getElement();
        }
    }

    /**
     * The instances of a profile element below the node the profile applies to: {@code
     * Patient.identifier:bsn.value} selects the values of the identifiers that are BSNs.
     */
    static List<Node> select(Node root, String elementId, Profile profile) {
        String[] segments = elementId.split("\\.");
        List<Node> current = List.of(root);
        StringBuilder prefix = new StringBuilder(segments[0]);
        for (int s = 1; s < segments.length && !current.isEmpty(); s++) {
            String segment = segments[s];
            int colon = segment.indexOf(':');
            String name = colon < 0 ? segment : segment.substring(0, colon);
            String slice = colon < 0 ? null : segment.substring(colon + 1);
            String slicedId = prefix + "." + name;
            List<Node> next = new ArrayList<>();
            for (Node node : current) {
                Property property = property(node.value(), name);
                if (property == null || !property.hasValues()) {
                    continue;
                }
                List<Base> values = property.getValues();
                for (int i = 0; i < values.size(); i++) {
                    Base value = values.get(i);
                    if (value == null || value.isEmpty()) {
                        continue;
                    }
                    if (slice != null && !inSlice(profile, slicedId, slicedId + ":" + slice, value)) {
                        continue;
                    }
                    Node child = child(node, property, i, value);
                    // the model reports value[x] under the name asked for; keep that name for removeChild
                    next.add(new Node(child.value(), child.parent(), name, child.path(), child.steps()));
                }
            }
            prefix.append('.').append(segment);
            current = next;
        }
        return List.copyOf(current);
    }

    private static Property property(Base base, String name) {
        try {
            return base.getNamedProperty(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether the value belongs to the slice, by the discriminators of the slicing. */
    static boolean inSlice(Profile profile, String slicedId, String sliceId, Base value) {
        ElementDefinition sliced = profile.element(slicedId);
        ElementDefinition slice = profile.element(sliceId);
        if (sliced == null || slice == null || !sliced.hasSlicing()) {
            return false;
        }
        List<ElementDefinitionSlicingDiscriminatorComponent> discriminators =
                sliced.getSlicing().getDiscriminator();
        if (discriminators.isEmpty()) {
            return false;
        }
        for (ElementDefinitionSlicingDiscriminatorComponent d : discriminators) {
            if (!matches(profile, slice, d, value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(
            Profile profile, ElementDefinition slice, ElementDefinitionSlicingDiscriminatorComponent d, Base value) {
        String path = d.getPath();
        String type = d.getType() == null ? "" : d.getType().toCode();
        if ("$this".equals(path)) {
            if ("type".equals(type)) {
                return slice.getType().stream().anyMatch(t -> t.getCode().equals(value.fhirType()));
            }
            Base pattern = slice.hasPattern() ? slice.getPattern() : slice.hasFixed() ? slice.getFixed() : null;
            return pattern != null && containsPattern(pattern, value);
        }
        ElementDefinition at = profile.element(slice.getId() + "." + path);
        Property property = property(value, path);
        List<Base> children = property == null ? List.of() : property.getValues();
        if ("type".equals(type)) {
            return at != null
                    && children.stream()
                            .anyMatch(c -> at.getType().stream()
                                    .anyMatch(t -> t.getCode().equals(c.fhirType())));
        }
        Base pattern = at == null ? null : at.hasPattern() ? at.getPattern() : at.hasFixed() ? at.getFixed() : null;
        if (pattern == null && "url".equals(path) && value instanceof Extension extension) {
            // an extension slice names its extension by the type's profile
            return slice.getType().stream()
                    .flatMap(t -> t.getProfile().stream())
                    .anyMatch(p -> p.getValue().equals(extension.getUrl()));
        }
        return pattern != null && children.stream().anyMatch(c -> containsPattern(pattern, c));
    }

    /** FHIR's pattern matching: every value in the pattern is present in the instance. */
    static boolean containsPattern(Base pattern, Base value) {
        if (pattern.isPrimitive()) {
            return value.isPrimitive() && Objects.equals(pattern.primitiveValue(), value.primitiveValue());
        }
        for (Property property : pattern.children()) {
            if (!property.hasValues()) {
                continue;
            }
            Property there = property(value, property.getName());
            List<Base> values = there == null ? List.of() : there.getValues();
            for (Base expected : property.getValues()) {
                if (expected == null || expected.isEmpty()) {
                    continue;
                }
                if (values.stream().noneMatch(v -> v != null && containsPattern(expected, v))) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- JSON

    /** The Bundle as JSON (HAPI's encoding). */
    static String encode(Bundle bundle) {
        return CTX.newJsonParser().encodeResourceToString(bundle);
    }

    /** A Bundle parsed from JSON, and whether HAPI only read it with its invalid-value checks off. */
    record Parsed(Bundle bundle, boolean lenient) {}

    /**
     * Parses with HAPI's default parser; when that refuses a value the model cannot hold (an unknown
     * enumeration code, an impossible date), once more with the invalid-value check off, so the model
     * holds the raw text; empty when neither reads it.
     */
    static Optional<Parsed> parse(String json) {
        try {
            return Optional.of(new Parsed(parse(json, false), false));
        } catch (DataFormatException refused) {
            try {
                return Optional.of(new Parsed(parse(json, true), true));
            } catch (RuntimeException unreadable) {
                return Optional.empty();
            }
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** Parses with HAPI's default parser, or with its invalid-value check off. */
    static Bundle parse(String json, boolean lenient) {
        IParser parser = CTX.newJsonParser();
        if (lenient) {
            parser.setParserErrorHandler(new LenientErrorHandler(false).setErrorOnInvalidValue(false));
        }
        return parser.parseResource(Bundle.class, json);
    }

    /** The JSON with the primitive at these steps replaced by the value (a JSON string, number, ...). */
    static String withPrimitive(String json, List<Step> steps, JsonNode value) {
        return editJson(json, root -> {
            JsonNode container = container(root, steps);
            Step last = steps.get(steps.size() - 1);
            if (last.index() >= 0) {
                ((ArrayNode) container.get(last.name())).set(last.index(), value);
            } else {
                ((ObjectNode) container).set(last.name(), value);
            }
        });
    }

    /** The JSON object holding the element at these steps. */
    private static JsonNode container(JsonNode root, List<Step> steps) {
        JsonNode current = root;
        for (int k = 0; k < steps.size() - 1; k++) {
            Step step = steps.get(k);
            JsonNode next = current.get(step.primitive() ? "_" + step.name() : step.name());
            if (next != null && step.index() >= 0) {
                next = next.get(step.index());
            }
            if (next == null) {
                throw new IllegalArgumentException("no JSON at " + step + " of " + steps);
            }
            current = next;
        }
        return current;
    }

    /** Edits the JSON tree of a document. */
    static String editJson(String json, Consumer<ObjectNode> edit) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(json);
            edit.accept(root);
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON string value. */
    static JsonNode text(String value) {
        return JSON.getNodeFactory().textNode(value);
    }

    /** A JSON number written exactly as given. */
    static JsonNode number(String value) {
        return DecimalNode.valueOf(new BigDecimal(value));
    }

    /** A JSON document as a tree. */
    static JsonNode json(String document) {
        try {
            return JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A JSON number that is an integer. */
    static JsonNode integer(long value) {
        return JSON.getNodeFactory().numberNode(value);
    }
}
