package nl.wmogateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.context.support.ValueSetExpansionOptions;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.BackboneType;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Enumerations.BindingStrength;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The compiled fast path of profile validation: a walk over the already parsed Bundle that answers
 * either "clean, with exactly these warnings" or "ask HAPI". It is built once from the generated
 * snapshots of the gateway's profiles and of the FHIR core types they use: per element its
 * cardinality, types, fixed and pattern values, slices, required bindings (expanded once), invariants
 * (FHIRPath parsed once) and, for references, the allowed targets inside the Bundle.
 *
 * <p>It never produces an error itself. Whatever it finds, and whatever it does not know (an
 * extension without a definition that allows it here, a code system it cannot check, narrative,
 * contained resources, a reference it cannot resolve, a primitive it is not sure HAPI would accept
 * silently), makes it defer, so every error a caller sees still comes from HAPI. The only findings it
 * reports are warnings it has learned from HAPI on the examples at start-up ({@link #learn}): the same
 * coding at the same element gives the same warning. {@code FastPathDifferentialTest} holds it to
 * HAPI's verdicts on a generated corpus.
 *
 * <p>Thread-safe after {@link #learn}; one FHIRPath engine per thread, the parsed expressions shared.
 */
final class FastPath {

    /** Thrown (without a stack trace) where the fast path cannot vouch for the Bundle. */
    static final class Defer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Defer(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final String CORE = "http://hl7.org/fhir/StructureDefinition/";
    private static final String BEST_PRACTICE =
            "http://hl7.org/fhir/StructureDefinition/elementdefinition-bestpractice";

    /**
     * FHIR core invariants the walk checks itself or that cannot fail on what it lets through: ele-1
     * (empty elements are dropped, element ids defer), ext-1 (checked for every extension), dom-2..5
     * (contained resources defer), dom-6 (best practice, which HAPI ignores here), ref-1 (only
     * urn:uuid references into the Bundle pass), bdl-5 and bdl-8 (every entry has a resource and a
     * urn:uuid fullUrl).
     */
    private static final Set<String> STRUCTURAL =
            Set.of("ele-1", "ext-1", "dom-2", "dom-3", "dom-4", "dom-5", "dom-6", "ref-1", "bdl-5", "bdl-8");

    private static final Pattern UUID_URN =
            Pattern.compile("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern HTTP_URI = Pattern.compile("https?://[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]+");
    private static final Pattern OID_URN = Pattern.compile("urn:oid:[0-2](\\.(0|[1-9][0-9]*))+");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern DATE = Pattern.compile("(\\d{4})(-(\\d{2})(-(\\d{2}))?)?");
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,3})?(Z|[+-](0\\d|1[0-4]):[0-5]\\d)");
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9]\\d{0,11})(\\.\\d{1,6})?");
    /** Longer strings are rare in a plan and go to HAPI, which knows its own limits. */
    private static final int MAX_STRING = 8_000;

    private static final int MAX_BASE64 = 1_000_000;

    private final IValidationSupport support;
    private final Map<String, StructureDefinition> ours;
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();
    private final Map<String, Terms> codeSystems = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> expansions = new ConcurrentHashMap<>();
    private final Map<String, ExpressionNode> expressions = new ConcurrentHashMap<>();
    private final ThreadLocal<FHIRPathEngine> engines;

    /** What HAPI said, on the examples, about codes the fast path cannot check itself (see {@link #learn}). */
    private volatile Map<String, Finding> learnedWarnings = Map.of();

    private volatile Set<String> learnedSilent = Set.of();

    /** Whether HAPI, as configured here, reports nothing (or only information) for a display that differs. */
    private volatile boolean displayMismatchSilent;

    FastPath(FhirContext ctx, IValidationSupport support, List<StructureDefinition> snapshots) {
        this.support = support;
        Map<String, StructureDefinition> byUrl = new HashMap<>();
        for (StructureDefinition sd : snapshots) {
            byUrl.put(sd.getUrl(), sd);
        }
        this.ours = Map.copyOf(byUrl);
        HapiWorkerContext worker = new HapiWorkerContext(ctx, support);
        FHIRPathEngine parser = new FHIRPathEngine(worker);
        this.engines = ThreadLocal.withInitial(() -> new FHIRPathEngine(worker));
        this.expressionParser = parser;
        for (String url : ours.keySet()) {
            compiled(url);
        }
    }

    private final FHIRPathEngine expressionParser;

    // ---------------------------------------------------------------- the compiled model

    /** One element of a snapshot, with what it allows. */
    private static final class Def {
        final String id;
        final String path;
        final String name;
        final int min;
        final int max;
        final boolean list;
        final List<ElementDefinition.TypeRefComponent> types;
        final List<String> typeCodes = new ArrayList<>();
        final Base fixed;
        final Base pattern;
        final BindingStrength strength;
        final String valueSet;
        final List<ElementDefinition.ElementDefinitionConstraintComponent> constraints = new ArrayList<>();
        final Map<String, Def> children = new HashMap<>();
        final List<Def> slices = new ArrayList<>();
        final ElementDefinition.ElementDefinitionSlicingComponent slicing;
        final String contentReference;
        final Integer minValue;
        final Integer maxValue;
        final int maxLength;

        Def(ElementDefinition ed) {
            this.id = ed.getId();
            this.path = ed.getPath();
            this.name = path.substring(path.lastIndexOf('.') + 1);
            this.min = ed.getMin();
            this.max = "*".equals(ed.getMax()) ? Integer.MAX_VALUE : Integer.parseInt(ed.getMax());
            String baseMax = ed.getBase().hasMax() ? ed.getBase().getMax() : ed.getMax();
            this.list = !"1".equals(baseMax) && !"0".equals(baseMax);
            this.types = ed.getType();
            for (var t : types) {
                typeCodes.add(t.getWorkingCode());
            }
            this.fixed = ed.getFixed();
            this.pattern = ed.getPattern();
            this.strength = ed.hasBinding() ? ed.getBinding().getStrength() : null;
            this.valueSet = ed.hasBinding() && ed.getBinding().hasValueSet()
                    ? ed.getBinding().getValueSet().replaceFirst("\\|.*$", "")
                    : null;
            for (var c : ed.getConstraint()) {
                boolean bestPractice = c.hasExtension(BEST_PRACTICE)
                        && "true"
                                .equals(c.getExtensionByUrl(BEST_PRACTICE)
                                        .getValue()
                                        .primitiveValue());
                if (!bestPractice && !STRUCTURAL.contains(c.getKey())) {
                    constraints.add(c);
                }
            }
            this.slicing = ed.hasSlicing() ? ed.getSlicing() : null;
            this.contentReference = ed.hasContentReference() ? ed.getContentReference() : null;
            this.minValue =
                    ed.hasMinValueIntegerType() ? ed.getMinValueIntegerType().getValue() : null;
            this.maxValue =
                    ed.hasMaxValueIntegerType() ? ed.getMaxValueIntegerType().getValue() : null;
            this.maxLength = ed.hasMaxLength() ? ed.getMaxLength() : 0;
        }

        String typeCode() {
            return typeCodes.size() == 1 ? typeCodes.get(0) : null;
        }
    }

    /** A compiled StructureDefinition: its root and its elements by id. */
    private record Compiled(String url, Def root, Map<String, Def> byId, StructureDefinition sd) {}

    private Compiled compiled(String url) {
        Compiled c = compiled.get(url);
        if (c != null) {
            return c;
        }
        synchronized (compiled) {
            c = compiled.get(url);
            if (c == null) {
                c = compile(url);
                compiled.put(url, c);
            }
            return c;
        }
    }

    private Compiled compile(String url) {
        StructureDefinition sd = ours.get(url);
        if (sd == null) {
            IBaseResource fetched = support.fetchStructureDefinition(url);
            if (!(fetched instanceof StructureDefinition core) || !core.hasSnapshot()) {
                throw new Defer("no snapshot for " + url);
            }
            sd = core;
        }
        Map<String, Def> byId = new HashMap<>();
        Def root = null;
        for (ElementDefinition ed : sd.getSnapshot().getElement()) {
            Def def = new Def(ed);
            byId.put(def.id, def);
            for (var c : def.constraints) {
                expressions.computeIfAbsent(c.getExpression(), expressionParser::parse);
            }
            int dot = def.id.lastIndexOf('.');
            int colon = def.id.lastIndexOf(':');
            if (dot < 0 && colon < 0) {
                root = def;
            } else if (colon > dot) {
                Def base = byId.get(def.id.substring(0, colon));
                if (base == null) {
                    throw new IllegalStateException("slice without base in " + url + ": " + def.id);
                }
                base.slices.add(def);
            } else {
                Def parent = byId.get(def.id.substring(0, dot));
                if (parent == null) {
                    throw new IllegalStateException("element without parent in " + url + ": " + def.id);
                }
                parent.children.put(def.name, def);
            }
        }
        if (root == null) {
            throw new IllegalStateException("no root element in " + url);
        }
        return new Compiled(url, root, Map.copyOf(byId), sd);
    }

    // ---------------------------------------------------------------- learning from HAPI

    /**
     * Learns, from HAPI's findings on an example (with the profiles assigned as for validation), what
     * HAPI says about the codes the fast path cannot check itself: codes of systems without a complete
     * CodeSystem here, and codes bound to value sets that cannot be expanded here. A code at an element
     * where HAPI reported nothing is learned as silent; one where HAPI reported exactly one warning is
     * learned with that warning. Returns whether the fast path now answers the example exactly as HAPI
     * did.
     */
    boolean learn(Bundle bundle, Map<Resource, String> profiles, List<Finding> hapi) {
        List<Question> questions = new ArrayList<>();
        try {
            new Walk(bundle, profiles, questions).run();
        } catch (RuntimeException e) {
            return false;
        }
        Map<String, Finding> warnings = new HashMap<>(learnedWarnings);
        Set<String> silent = new HashSet<>(learnedSilent);
        for (Question q : questions) {
            List<Finding> here = hapi.stream()
                    .filter(f -> f.expression() != null
                            && (f.expression().equals(q.location)
                                    || f.expression().startsWith(q.location + ".")
                                    || f.expression().equals(q.parentLocation)))
                    .toList();
            if (here.isEmpty()) {
                silent.add(q.key);
            } else if (here.size() == 1 && !here.get(0).isError() && q.parentLocation != null) {
                Finding f = here.get(0);
                String at = f.expression().equals(q.location) ? LEARNED_AT_SELF : LEARNED_AT_PARENT;
                warnings.put(q.key, new Finding(f.severity(), f.code(), f.message(), at));
            }
        }
        learnedWarnings = Map.copyOf(warnings);
        learnedSilent = Set.copyOf(silent);
        Optional<List<Finding>> verdict = verdict(bundle, profiles);
        return verdict.isPresent() && verdict.get().equals(hapi);
    }

    /**
     * A copy of a Bundle in which every coding of a code system the fast path checks itself has a
     * display that differs from the code system's, to learn with {@link #learnDisplays} what HAPI says
     * about that. Null when the Bundle has no such coding.
     */
    Bundle displayProbe(Bundle bundle) {
        Bundle copy = bundle.copy();
        int changed = 0;
        List<Coding> codings = new ArrayList<>();
        collectCodings(copy, codings);
        for (Coding coding : codings) {
            if (coding.hasSystem() && coding.hasCode() && terms(coding.getSystem()) != null) {
                coding.setDisplay("~" + coding.getCode() + "~");
                changed++;
            }
        }
        return changed == 0 ? null : copy;
    }

    private static void collectCodings(Base base, List<Coding> into) {
        if (base instanceof Coding coding) {
            into.add(coding);
        }
        for (Property p : base.children()) {
            for (Base child : p.getValues()) {
                if (child != null) {
                    collectCodings(child, into);
                }
            }
        }
    }

    /** Learns that displays which differ are silent when HAPI found the same on the probe as on the original. */
    void learnDisplays(List<Finding> original, List<Finding> probe) {
        displayMismatchSilent = original.equals(probe);
    }

    /** A code the fast path could not check itself, where it was met (and the element holding it). */
    private record Question(String key, String location, String parentLocation) {}

    /** Marks a learned warning that HAPI reports at the element holding the coding (a CodeableConcept). */
    private static final String LEARNED_AT_PARENT = "parent";

    private static final String LEARNED_AT_SELF = "self";

    private static final Pattern INDEX = Pattern.compile("\\[\\d+\\]");

    // ---------------------------------------------------------------- the walk

    /**
     * The fast path's verdict on a Bundle whose request resources carry the profiles in {@code
     * profiles} (the others are checked against FHIR core, as HAPI does).
     */
    Optional<List<Finding>> verdict(Bundle bundle, Map<Resource, String> profiles) {
        try {
            return Optional.of(new Walk(bundle, profiles, null).run());
        } catch (RuntimeException | StackOverflowError e) {
            // Defer, or anything the walk did not foresee: HAPI answers
            return Optional.empty();
        }
    }

    /** Why the fast path defers on a Bundle, or null when it answers; for tests and diagnosis. */
    String deferReason(Bundle bundle, Map<Resource, String> profiles) {
        try {
            new Walk(bundle, profiles, null).run();
            return null;
        } catch (RuntimeException | StackOverflowError e) {
            return e instanceof Defer ? e.getMessage() : e.toString();
        }
    }

    private final class Walk {
        private final Bundle bundle;
        private final Map<Resource, String> profiles;
        private final List<Question> questions;
        private final Map<String, Resource> byFullUrl = new HashMap<>();
        private final List<Finding> findings = new ArrayList<>();
        private final FHIRPathEngine engine = engines.get();
        private Resource resource;
        private String profile;

        Walk(Bundle bundle, Map<Resource, String> profiles, List<Question> questions) {
            this.bundle = bundle;
            this.profiles = profiles;
            this.questions = questions;
        }

        List<Finding> run() {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                checkEntry(entry);
            }
            Compiled root = compiled(ProfileValidator.BUNDLE_PROFILE);
            resource = bundle;
            profile = root.url;
            checkResourceShape(bundle, null);
            element(bundle, root.root, root, "Bundle", "Bundle", "", "Bundle");
            return List.copyOf(findings);
        }

        private void checkEntry(Bundle.BundleEntryComponent entry) {
            if (entry.hasLink() || entry.hasSearch() || entry.hasResponse() || entry.hasModifierExtension()) {
                throw new Defer("entry with link, search, response or modifier extension");
            }
            String fullUrl = entry.getFullUrl();
            Resource r = entry.getResource();
            if (fullUrl == null || r == null || !UUID_URN.matcher(fullUrl).matches()) {
                throw new Defer("entry without a urn:uuid fullUrl or resource");
            }
            if (byFullUrl.put(fullUrl, r) != null) {
                throw new Defer("duplicate fullUrl");
            }
            if (!entry.hasRequest()) {
                throw new Defer("entry without request");
            }
            Bundle.BundleEntryRequestComponent request = entry.getRequest();
            if (request.getMethod() != Bundle.HTTPVerb.POST
                    || !r.fhirType().equals(request.getUrl())
                    || request.hasIfNoneMatch()
                    || request.hasIfMatch()
                    || request.hasIfModifiedSince()
                    || request.hasIfNoneExist()) {
                throw new Defer("entry request other than a plain POST of its type");
            }
            checkResourceShape(r, fullUrl);
        }

        private void checkResourceShape(Resource r, String fullUrl) {
            boolean entry = fullUrl != null;
            // HAPI's parser gives an entry's resource its fullUrl as id; the encoder leaves that out again
            String id = r.hasIdElement() ? r.getIdElement().getValue() : null;
            boolean parsedId = entry && id != null && id.equals(fullUrl);
            if ((entry && id != null && !parsedId) || r.hasImplicitRules() || r.hasLanguage()) {
                throw new Defer("resource id, implicitRules or language");
            }
            if (r.hasMeta()) {
                var meta = r.getMeta();
                if (meta.hasVersionId()
                        || meta.hasLastUpdated()
                        || meta.hasSource()
                        || meta.hasSecurity()
                        || meta.hasTag()
                        || meta.hasExtension()
                        || meta.hasId()) {
                    throw new Defer("meta other than profile");
                }
                String assigned = entry ? profiles.get(r) : null;
                for (var p : meta.getProfile()) {
                    if (assigned == null || !assigned.equals(p.getValue())) {
                        throw new Defer("declared profile");
                    }
                }
            }
            if (r instanceof DomainResource dr && (dr.hasText() || dr.hasContained() || dr.hasModifierExtension())) {
                throw new Defer("narrative, contained resources or modifier extensions");
            }
        }

        private Compiled profileOf(Resource r) {
            String url = profiles.get(r);
            return compiled(url != null ? url : CORE + r.fhirType());
        }

        /**
         * Checks one element against its definition.
         *
         * @param value    the element
         * @param def      its definition
         * @param in       the compiled StructureDefinition the definition belongs to
         * @param type     the element's type code
         * @param location the location as HAPI reports it
         * @param typePath the element's path from its nearest type (e.g. HumanName.family), for extension contexts
         */
        private void element(
                Base value,
                Def def,
                Compiled in,
                String type,
                String location,
                String parentLocation,
                String typePath) {
            if (value instanceof Resource r && value != resource) {
                Resource outer = resource;
                String outerProfile = profile;
                Compiled c = profileOf(r);
                resource = r;
                profile = c.url;
                element(r, c.root, c, r.fhirType(), location, parentLocation, r.fhirType());
                resource = outer;
                profile = outerProfile;
                return;
            }
            if (def.fixed != null && !matches(def.fixed, value, true)) {
                throw new Defer("fixed value differs at " + def.id);
            }
            if (def.pattern != null && !matches(def.pattern, value, false)) {
                throw new Defer("pattern differs at " + def.id);
            }
            if (value instanceof Element e && e.hasId() && !(value instanceof Resource)) {
                throw new Defer("element id");
            }
            if (value instanceof BackboneType bt && bt.hasExtension()) {
                // BackboneType (Timing, Dosage, ...) leaves id and extension out of its children():
                // extensions on complex elements are left to HAPI, also where children() does not show them
                throw new Defer("extension on a complex element");
            }
            if (value instanceof PrimitiveType<?> primitive) {
                primitive(primitive, def, type);
                binding(def, value, location);
                if (primitive.hasExtension()) {
                    Compiled typeSd = compiled(CORE + type);
                    Def ext = typeSd.root.children.get("extension");
                    extensions(primitive.getExtension(), ext, typeSd, location, typePath);
                }
                invariants(def.constraints, value);
                return;
            }
            // the children: from this snapshot where it lists them, else from the type's own definition
            Def holder = def;
            Compiled childSd = in;
            if (def.contentReference != null) {
                holder = in.byId.get(def.contentReference.substring(def.contentReference.indexOf('#') + 1));
                if (holder == null) {
                    throw new Defer("unresolved content reference " + def.contentReference);
                }
            }
            boolean datatype =
                    !(value instanceof Resource) && !"BackboneElement".equals(type) && !"Element".equals(type);
            if (datatype) {
                typePath = type;
            }
            if (holder.children.isEmpty() && !(value instanceof Resource)) {
                String typeUrl = typeProfile(def, type);
                childSd = compiled(typeUrl);
                holder = childSd.root;
                if (holder.fixed != null || holder.pattern != null) {
                    throw new Defer("type profile with a fixed value");
                }
            }
            // what the type itself requires, also where this snapshot lists the children
            List<ElementDefinition.ElementDefinitionConstraintComponent> typeInvariants = holder != def
                    ? holder.constraints
                    : datatype && !"Extension".equals(type) ? compiled(CORE + type).root.constraints : List.of();
            switch (type) {
                case "Reference" -> reference((Reference) value, def);
                case "Coding" -> {
                    coding((Coding) value, location, parentLocation);
                    binding(def, value, location);
                }
                case "CodeableConcept" -> binding(def, value, location);
                case "Quantity" -> quantity((Quantity) value, def);
                case "Extension" -> {
                    Extension x = (Extension) value;
                    if (x.hasExtension() == x.hasValue()) {
                        throw new Defer("extension with both or neither value and extensions");
                    }
                }
                case "Narrative", "xhtml", "Signature" -> throw new Defer("type " + type);
                case "Attachment" -> attachment(value);
                default -> {
                    if (def.strength != null) {
                        binding(def, value, location);
                    }
                }
            }
            children(value, holder, childSd, location, typePath);
            // invariants last: by now every primitive below is known to be well-formed
            invariants(def.constraints, value);
            invariants(typeInvariants, value);
        }

        private String typeProfile(Def def, String type) {
            for (var t : def.types) {
                if (type.equals(t.getWorkingCode()) && t.hasProfile()) {
                    if (t.getProfile().size() != 1) {
                        throw new Defer("several type profiles");
                    }
                    return t.getProfile().get(0).getValue();
                }
            }
            return CORE + type;
        }

        private void children(Base value, Def holder, Compiled in, String location, String typePath) {
            Set<String> seen = new HashSet<>();
            for (Property property : value.children()) {
                String name = property.getName();
                List<Base> values = nonEmpty(property.getValues());
                if (values.isEmpty()) {
                    continue;
                }
                if ("modifierExtension".equals(name)) {
                    throw new Defer("modifier extension");
                }
                if (("meta".equals(name) || "id".equals(name)) && value instanceof Resource && value != bundle) {
                    continue; // checked with the resource's shape: only the assigned profile, the parser's id
                }
                Def child = holder.children.get(name);
                if (child == null) {
                    throw new Defer("no definition for " + holder.id + "." + name);
                }
                seen.add(name);
                if (values.size() < child.min || values.size() > child.max) {
                    throw new Defer("cardinality of " + child.id);
                }
                String childPath = typePath + "." + name;
                if ("extension".equals(name)) {
                    if (!(value instanceof Resource) && !(value instanceof Extension)) {
                        // extensions on complex elements: their contexts are left to HAPI
                        throw new Defer("extension on a complex element");
                    }
                    List<Extension> extensions = new ArrayList<>();
                    for (Base b : values) {
                        extensions.add((Extension) b);
                    }
                    extensions(extensions, child, in, location, typePath);
                    continue;
                }
                Def[] slice = child.slicing != null ? slices(child, values) : null;
                for (int i = 0; i < values.size(); i++) {
                    Base v = values.get(i);
                    String type = typeOf(child, v);
                    String label = name.endsWith("[x]")
                            ? name.substring(0, name.length() - 3)
                                    + Character.toUpperCase(type.charAt(0))
                                    + type.substring(1)
                            : name;
                    String loc = location + "." + label + (child.list ? "[" + i + "]" : "");
                    Def d = slice != null && slice[i] != null ? slice[i] : child;
                    element(v, d, in, type, loc, location, childPath);
                }
            }
            for (Def child : holder.children.values()) {
                if (!seen.contains(child.name)) {
                    if (child.min > 0) {
                        throw new Defer("missing " + child.id);
                    }
                    for (Def slice : child.slices) {
                        if (slice.min > 0) {
                            throw new Defer("missing slice " + slice.id);
                        }
                    }
                }
            }
        }

        private String typeOf(Def def, Base value) {
            String type = value.fhirType();
            if (value instanceof Resource) {
                for (String code : def.typeCodes) {
                    if (code.equals(type) || "Resource".equals(code) || "DomainResource".equals(code)) {
                        return type;
                    }
                }
                throw new Defer("resource type not allowed at " + def.id);
            }
            if (type.indexOf('.') > 0 && def.typeCodes.size() == 1) {
                String code = def.typeCodes.get(0);
                if ("BackboneElement".equals(code) || "Element".equals(code)) {
                    return code;
                }
            }
            for (String code : def.typeCodes) {
                if (code.equals(type)) {
                    return type;
                }
                if (code.startsWith("http://hl7.org/fhirpath/System.") && value instanceof PrimitiveType<?>) {
                    throw new Defer("system-typed element " + def.id);
                }
            }
            throw new Defer("type " + type + " not allowed at " + def.id);
        }

        /** Assigns each value to the slice it belongs to, or null; defers where that is not clear-cut. */
        private Def[] slices(Def base, List<Base> values) {
            var slicing = base.slicing;
            if (slicing.getOrdered()
                    || slicing.getRules() == ElementDefinition.SlicingRules.CLOSED
                    || slicing.getRules() == ElementDefinition.SlicingRules.OPENATEND) {
                throw new Defer("ordered or closed slicing at " + base.id);
            }
            Def[] assigned = new Def[values.size()];
            int[] counts = new int[base.slices.size()];
            for (int i = 0; i < values.size(); i++) {
                for (int s = 0; s < base.slices.size(); s++) {
                    if (inSlice(base, base.slices.get(s), values.get(i))) {
                        if (assigned[i] != null) {
                            throw new Defer("value in two slices of " + base.id);
                        }
                        assigned[i] = base.slices.get(s);
                        counts[s]++;
                    }
                }
            }
            for (int s = 0; s < base.slices.size(); s++) {
                Def slice = base.slices.get(s);
                if (counts[s] < slice.min || counts[s] > slice.max) {
                    throw new Defer("cardinality of slice " + slice.id);
                }
            }
            return assigned;
        }

        private boolean inSlice(Def base, Def slice, Base value) {
            for (var discriminator : base.slicing.getDiscriminator()) {
                String path = discriminator.getPath();
                switch (discriminator.getType()) {
                    case VALUE, PATTERN -> {
                        Def at = "$this".equals(path) ? slice : slice.children.get(path);
                        if (at == null || (at.fixed == null && at.pattern == null) || path.contains(".")) {
                            throw new Defer("slice discriminator " + path + " at " + slice.id);
                        }
                        List<Base> candidates = "$this".equals(path)
                                ? List.of(value)
                                : nonEmpty(Objects.requireNonNull(value.getNamedProperty(path))
                                        .getValues());
                        Base wanted = at.fixed != null ? at.fixed : at.pattern;
                        boolean any = false;
                        for (Base candidate : candidates) {
                            any |= matches(wanted, candidate, at.fixed != null);
                        }
                        if (!any) {
                            return false;
                        }
                    }
                    case TYPE -> {
                        if (!"resource".equals(path) && !"$this".equals(path)) {
                            throw new Defer("type discriminator " + path);
                        }
                        Def at = "$this".equals(path) ? slice : slice.children.get(path);
                        Base target = "$this".equals(path)
                                ? value
                                : firstOrNull(value.getNamedProperty(path).getValues());
                        if (at == null || at.typeCode() == null || target == null) {
                            throw new Defer("type discriminator at " + slice.id);
                        }
                        if (!at.typeCode().equals(target.fhirType())) {
                            return false;
                        }
                    }
                    default -> throw new Defer("discriminator " + discriminator.getType());
                }
            }
            return true;
        }

        private void extensions(List<Extension> extensions, Def def, Compiled in, String location, String typePath) {
            if (def == null) {
                throw new Defer("extensions where none are defined");
            }
            Map<Def, Integer> counts = new HashMap<>();
            for (int i = 0; i < extensions.size(); i++) {
                Extension x = extensions.get(i);
                String url = x.getUrl();
                if (url == null) {
                    throw new Defer("extension without url");
                }
                String loc = location + ".extension[" + i + "]";
                Def slice = null;
                for (Def s : def.slices) {
                    String declared =
                            s.types.size() == 1 && s.types.get(0).getProfile().size() == 1
                                    ? s.types.get(0).getProfile().get(0).getValue()
                                    : null;
                    Def urlDef = s.children.get("url");
                    String fixedUrl = urlDef != null && urlDef.fixed != null ? urlDef.fixed.primitiveValue() : null;
                    if (url.equals(declared) || url.equals(fixedUrl)) {
                        slice = s;
                    }
                }
                if (slice != null) {
                    counts.merge(slice, 1, Integer::sum);
                }
                if (slice != null && !slice.types.get(0).hasProfile()) {
                    // a complex extension's part defined inline (Extension.extension:part)
                    element(x, slice, in, "Extension", loc, location, "Extension");
                    continue;
                }
                Compiled definition;
                try {
                    definition = compiled(url);
                } catch (Defer e) {
                    throw new Defer("unknown extension");
                }
                if (!contextAllows(definition.sd, typePath, def)) {
                    throw new Defer("extension not allowed here");
                }
                element(x, definition.root, definition, "Extension", loc, location, "Extension");
            }
            for (Def s : def.slices) {
                int n = counts.getOrDefault(s, 0);
                if (n < s.min || n > s.max) {
                    throw new Defer("cardinality of extension slice " + s.id);
                }
            }
        }

        /**
         * Whether the extension's context names this element: its path from the nearest type (e.g.
         * HumanName.family), or the resource itself for an extension on the resource.
         */
        private boolean contextAllows(StructureDefinition sd, String typePath, Def extensionDef) {
            boolean onResource = extensionDef.path.equals(resource.fhirType() + ".extension");
            for (var context : sd.getContext()) {
                if (context.getType() != StructureDefinition.ExtensionContextType.ELEMENT) {
                    return false;
                }
                String expression = context.getExpression();
                if ((onResource && expression.equals(resource.fhirType()))
                        || (!onResource && typePath.contains(".") && expression.equals(typePath))) {
                    return true;
                }
            }
            return false;
        }

        private void invariants(List<ElementDefinition.ElementDefinitionConstraintComponent> constraints, Base value) {
            for (var c : constraints) {
                ExpressionNode node = expressions.get(c.getExpression());
                boolean ok;
                try {
                    ok = engine.convertToBoolean(engine.evaluate(null, resource, resource, value, node));
                } catch (RuntimeException e) {
                    throw new Defer("invariant " + c.getKey() + " could not be evaluated");
                }
                if (!ok) {
                    throw new Defer("invariant " + c.getKey());
                }
            }
        }

        private void reference(Reference reference, Def def) {
            String ref = reference.getReference();
            if (ref == null || reference.hasType()) {
                throw new Defer("reference without a reference or with a type");
            }
            Resource target = byFullUrl.get(ref);
            if (target == null) {
                throw new Defer("reference not in the Bundle");
            }
            for (var t : def.types) {
                if (!"Reference".equals(t.getWorkingCode())) {
                    continue;
                }
                if (!t.hasTargetProfile()) {
                    return;
                }
                for (var targetProfile : t.getTargetProfile()) {
                    String url = targetProfile.getValue();
                    if (url.equals(CORE + target.fhirType())
                            || url.equals(CORE + "Resource")
                            || url.equals(profiles.get(target))) {
                        return;
                    }
                }
            }
            throw new Defer("reference target not allowed");
        }

        private void coding(Coding coding, String location, String parentLocation) {
            String system = coding.getSystem();
            if (system == null || !coding.hasCode() || coding.hasVersion()) {
                throw new Defer("coding without system or code, or with a version");
            }
            Terms terms = terms(system);
            if (terms != null) {
                String display = terms.displays.get(coding.getCode());
                if (display == null && !terms.displays.containsKey(coding.getCode())) {
                    throw new Defer("code not in its code system");
                }
                if (coding.hasDisplay() && !coding.getDisplay().equals(display) && !displayMismatchSilent) {
                    throw new Defer("display differs from the code system");
                }
                return;
            }
            String key = profile + "|" + INDEX.matcher(location).replaceAll("") + "|" + system + "|" + coding.getCode()
                    + "|" + coding.getDisplay();
            if (questions != null) {
                questions.add(new Question(key, location, parentLocation));
                return;
            }
            Finding warning = learnedWarnings.get(key);
            if (warning != null) {
                String at = LEARNED_AT_PARENT.equals(warning.expression()) ? parentLocation : location;
                findings.add(new Finding(warning.severity(), warning.code(), warning.message(), at));
            } else if (!learnedSilent.contains(key)) {
                throw new Defer("code system not checkable here");
            }
        }

        private void quantity(Quantity quantity, Def def) {
            if (def.strength != null || quantity.hasComparator()) {
                throw new Defer("bound quantity or comparator");
            }
            if (quantity.hasCode() || quantity.hasSystem()) {
                Terms terms = quantity.hasSystem() ? terms(quantity.getSystem()) : null;
                if (terms == null || !quantity.hasCode() || !terms.displays.containsKey(quantity.getCode())) {
                    throw new Defer("quantity unit not checkable here");
                }
            }
        }

        private void attachment(Base value) {
            var attachment = (org.hl7.fhir.r4.model.Attachment) value;
            if (attachment.hasSize() || attachment.hasLanguage() || attachment.hasUrl()) {
                throw new Defer("attachment with size, language or url");
            }
            if (attachment.hasHash()) {
                // HAPI checks the hash against the data (SHA-1, base64)
                String data = attachment.hasData() ? attachment.getDataElement().getValueAsString() : null;
                if (data == null || data.length() > MAX_BASE64 || !isBase64(data)) {
                    throw new Defer("attachment hash without readable data");
                }
                try {
                    byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
                            .digest(java.util.Base64.getDecoder().decode(data));
                    if (!java.util.Base64.getEncoder()
                            .encodeToString(digest)
                            .equals(attachment.getHashElement().getValueAsString())) {
                        throw new Defer("attachment hash does not match its data");
                    }
                } catch (java.security.NoSuchAlgorithmException | IllegalArgumentException e) {
                    throw new Defer("attachment hash");
                }
            }
        }

        private void binding(Def def, Base value, String location) {
            if (def.strength != BindingStrength.REQUIRED) {
                return;
            }
            if (def.valueSet == null) {
                throw new Defer("required binding without value set");
            }
            Set<String> codes = expansion(def.valueSet);
            List<String> offered = new ArrayList<>();
            if (value instanceof Coding c) {
                offered.add(c.getSystem() + "|" + c.getCode());
            } else if (value instanceof CodeableConcept cc) {
                for (Coding c : cc.getCoding()) {
                    offered.add(c.getSystem() + "|" + c.getCode());
                }
            } else if (value instanceof PrimitiveType<?> p && "code".equals(value.fhirType())) {
                offered.add("|" + p.getValueAsString());
            } else {
                throw new Defer("required binding on " + value.fhirType());
            }
            for (String code : offered) {
                if (codes != null && codes.contains(code)) {
                    return;
                }
            }
            String key = "binding|" + def.valueSet + "|" + offered;
            if (questions != null) {
                questions.add(new Question(key, location, null));
                return;
            }
            if (!learnedSilent.contains(key)) {
                throw new Defer("code not in the required value set " + def.valueSet);
            }
        }

        private void primitive(PrimitiveType<?> p, Def def, String type) {
            String s = p.getValueAsString();
            if (s == null) {
                return; // only extensions
            }
            if (s.length() > MAX_STRING && !"base64Binary".equals(type)) {
                throw new Defer("long value");
            }
            if (p.getValue() == null) {
                throw new Defer("a value its type could not read");
            }
            switch (type) {
                case "string", "markdown" -> {
                    if (s.isEmpty() || s.length() > MAX_STRING || !s.equals(s.strip()) || hasControl(s)) {
                        throw new Defer("string HAPI may remark on");
                    }
                }
                case "code" -> {
                    if (!isCode(s)) {
                        throw new Defer("code");
                    }
                }
                case "id" -> {
                    if (!ID.matcher(s).matches()) {
                        throw new Defer("id");
                    }
                }
                case "uri", "url" -> {
                    if (!(UUID_URN.matcher(s).matches()
                            || ("Bundle.entry.request.url".equals(def.path)
                                    && ID.matcher(s).matches())
                            || HTTP_URI.matcher(s).matches()
                            || OID_URN.matcher(s).matches())) {
                        throw new Defer("uri");
                    }
                }
                case "canonical" -> throw new Defer("canonical");
                case "boolean" -> {}
                case "integer", "positiveInt", "unsignedInt" -> {
                    int v = ((org.hl7.fhir.r4.model.IntegerType) p).getValue();
                    if (("positiveInt".equals(type) && v < 1) || ("unsignedInt".equals(type) && v < 0)) {
                        throw new Defer("integer range");
                    }
                    if ((def.minValue != null && v < def.minValue) || (def.maxValue != null && v > def.maxValue)) {
                        throw new Defer("integer outside min/max");
                    }
                }
                case "decimal" -> {
                    if (!DECIMAL.matcher(s).matches()) {
                        throw new Defer("decimal");
                    }
                }
                case "date" -> date(s);
                case "dateTime" -> {
                    if (s.length() <= 10) {
                        date(s);
                    } else {
                        dateTime(s);
                    }
                }
                case "instant" -> dateTime(s);
                case "time" -> {
                    if (!TIME.matcher(s).matches()) {
                        throw new Defer("time");
                    }
                }
                case "base64Binary" -> {
                    if (s.length() > MAX_BASE64 || s.isEmpty() || !isBase64(s)) {
                        throw new Defer("base64Binary");
                    }
                }
                default -> throw new Defer("primitive type " + type);
            }
            if (def.maxLength > 0 && s.length() > def.maxLength) {
                throw new Defer("maxLength");
            }
        }

        private void date(String s) {
            var m = DATE.matcher(s);
            if (!m.matches()) {
                throw new Defer("date");
            }
            int year = Integer.parseInt(m.group(1));
            if (year < 1900 || year > 2100) {
                throw new Defer("year");
            }
            if (m.group(3) != null) {
                int month = Integer.parseInt(m.group(3));
                int day = m.group(5) == null ? 1 : Integer.parseInt(m.group(5));
                valid(year, month, day);
            }
        }

        private void dateTime(String s) {
            var m = DATE_TIME.matcher(s);
            if (!m.matches()) {
                throw new Defer("dateTime");
            }
            int year = Integer.parseInt(m.group(1));
            if (year < 1900 || year > 2100) {
                throw new Defer("year");
            }
            valid(year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        }

        private static void valid(int year, int month, int day) {
            try {
                LocalDate.of(year, month, day);
            } catch (DateTimeException e) {
                throw new Defer("impossible date");
            }
        }
    }

    // ---------------------------------------------------------------- terminology, cached

    /** The codes of a complete code system, with their displays. */
    private record Terms(boolean known, Map<String, String> displays) {}

    private static final Terms UNKNOWN = new Terms(false, Map.of());

    private Terms terms(String system) {
        Terms terms = codeSystems.computeIfAbsent(system, this::loadTerms);
        return terms.known() ? terms : null;
    }

    private Terms loadTerms(String system) {
        IBaseResource fetched = support.fetchCodeSystem(system);
        if (!(fetched instanceof CodeSystem cs) || cs.getContent() != CodeSystem.CodeSystemContentMode.COMPLETE) {
            return UNKNOWN;
        }
        Map<String, String> displays = new HashMap<>();
        flatten(cs.getConcept(), displays);
        return new Terms(true, displays);
    }

    private static void flatten(List<CodeSystem.ConceptDefinitionComponent> concepts, Map<String, String> into) {
        for (var concept : concepts) {
            into.put(concept.getCode(), concept.getDisplay());
            flatten(concept.getConcept(), into);
        }
    }

    /** The expansion of a value set as "system|code" and "|code", or null when it cannot be expanded here. */
    private Set<String> expansion(String url) {
        Set<String> codes = expansions.computeIfAbsent(url, u -> {
            try {
                IBaseResource vs = support.fetchValueSet(u);
                if (vs == null) {
                    return Set.of();
                }
                var outcome = support.expandValueSet(
                        new ValidationSupportContext(support), new ValueSetExpansionOptions().setCount(5000), vs);
                if (outcome == null
                        || outcome.getValueSet() == null
                        || outcome.getError() != null
                        || !(outcome.getValueSet() instanceof ValueSet expanded)) {
                    return Set.of();
                }
                Set<String> out = new HashSet<>();
                for (var c : expanded.getExpansion().getContains()) {
                    out.add(c.getSystem() + "|" + c.getCode());
                    out.add("|" + c.getCode());
                }
                return Set.copyOf(out);
            } catch (RuntimeException e) {
                return Set.of();
            }
        });
        return codes.isEmpty() ? null : codes;
    }

    // ---------------------------------------------------------------- helpers

    private static List<Base> nonEmpty(List<Base> values) {
        boolean allPresent = true;
        for (Base b : values) {
            if (b == null || b.isEmpty()) {
                allPresent = false;
                break;
            }
        }
        if (allPresent) {
            return values;
        }
        List<Base> out = new ArrayList<>();
        for (Base b : values) {
            if (b != null && !b.isEmpty()) {
                out.add(b);
            }
        }
        return out;
    }

    private static Base firstOrNull(List<Base> values) {
        List<Base> present = nonEmpty(values);
        return present.isEmpty() ? null : present.get(0);
    }

    /** A FHIR code: no whitespace but single spaces between parts (checked without a regex: codes can be long). */
    private static boolean isCode(String s) {
        if (s.isEmpty() || s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) && (c != ' ' || s.charAt(i - 1) == ' ')) {
                return false;
            }
        }
        return true;
    }

    /** Padded standard base64 without whitespace (checked without a regex: attachments can be large). */
    private static boolean isBase64(String s) {
        if (s.isEmpty() || s.length() % 4 != 0) {
            return false;
        }
        int padding = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
        for (int i = 0; i < s.length() - padding; i++) {
            char c = s.charAt(i);
            boolean ok =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                return true;
            }
            if (Character.isSurrogate(c) || c == 0xFFFD || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a value has the fixed value (exactly) or the pattern (at least what the pattern has). On
     * any doubt about a shape it does not know, it says no, which makes the fast path defer.
     */
    static boolean matches(Base wanted, Base value, boolean exact) {
        if (wanted.isPrimitive() || value.isPrimitive()) {
            return wanted.isPrimitive()
                    && value.isPrimitive()
                    && wanted.fhirType().equals(value.fhirType())
                    && Objects.equals(wanted.primitiveValue(), value.primitiveValue())
                    && (!exact || !((Element) value).hasExtension());
        }
        if (exact) {
            return wanted.equalsDeep(value);
        }
        if (!wanted.fhirType().equals(value.fhirType())) {
            return false;
        }
        for (Property p : wanted.children()) {
            List<Base> want = nonEmpty(p.getValues());
            if (want.isEmpty()) {
                continue;
            }
            Property have = value.getNamedProperty(p.getName());
            List<Base> got = have == null ? List.of() : nonEmpty(have.getValues());
            for (Base w : want) {
                boolean found = false;
                for (Base g : got) {
                    found |= matches(w, g, false);
                }
                if (!found) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FastPath[%d definitions compiled]", compiled.size());
    }
}
