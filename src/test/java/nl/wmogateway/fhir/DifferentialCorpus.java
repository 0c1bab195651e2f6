package nl.wmogateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import nl.wmogateway.fhir.DifferentialPaths.Node;
import nl.wmogateway.fhir.DifferentialPaths.Parsed;
import nl.wmogateway.fhir.DifferentialPaths.Profile;
import nl.wmogateway.fixtures.HostileRequests;
import nl.wmogateway.fixtures.HostileRequests.HostileRequest;
import nl.wmogateway.fixtures.TestBundles;
import nl.wmogateway.support.Requests;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.BackboneElement;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Timing;

/**
 * Generates the cases of {@link FastPathDifferentialTest} from the profiles: their snapshots (required
 * elements, slices, limits), their differential JSON (the {@code wmo-*} invariants) and their
 * CodeSystems, applied to the example plan (a few to {@link Requests#fresh()} plans); plus the intake's
 * hostile bodies ({@link HostileRequests}) that parse as a Bundle, extras a real EHR sends, and benign
 * variants. Each case is a finished Bundle; cases that change nothing, repeat another case (same JSON) or
 * whose JSON no longer parses are not kept, only counted.
 *
 * <p>Changes the R4 model can hold are made on the model; the others (an unknown status code, an
 * impossible date, a number as a string) on the JSON, parsed again with HAPI's default parser. When that
 * parser refuses a value the model can still hold as text, the JSON is read once more with HAPI's
 * invalid-value check off and the case name ends in {@code [lenient parse]}: the gateway's intake would
 * refuse such a body, but a Bundle like it can still reach the validator, and the fast path must defer
 * on it rather than answer or throw.
 *
 * <p>Positions that repeat the same shape (the five Conditions' subject references, say) are covered
 * once per profile and path unless {@code -Dwmo.differential.full=true}, which keeps every occurrence
 * (about twice the cases and twice the run time). Required elements are removed in every resource
 * carrying the profile either way.
 */
final class DifferentialCorpus {

    /** The nine kinds of case. */
    enum Category {
        REQUIRED("1 required element removed"),
        INVARIANT("2 invariant or limit broken"),
        CODING("3 coding or code"),
        REFERENCE("4 reference"),
        SLICE("5 slice"),
        EXTENSION("6 extension"),
        PRIMITIVE("7 primitive format"),
        EXTRA("8 extra"),
        BENIGN("9 benign");

        final String label;

        Category(String label) {
            this.label = label;
        }
    }

    /** What the case was written to provoke; HAPI decides, a surprise is only reported. */
    enum Expect {
        ERROR,
        CLEAN,
        EITHER
    }

    /**
     * One case.
     *
     * @param invariant the {@code wmo-*} key the case breaks, or null
     * @param fresh     makes the case's Bundle anew (a copy, or parsed again), so no call sees what another
     *                  call did to it
     */
    record Case(Category category, String name, Expect expect, String invariant, Supplier<Bundle> fresh) {

        String displayName() {
            return category.label + ": " + name;
        }
    }

    /** Thrown by a change that finds nothing to change: the case is dropped. */
    static final class NothingToChange extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NothingToChange(String what) {
            super(what, null, false, false);
        }
    }

    static final String UNKNOWN_EXTENSION = "https://example.org/fhir/StructureDefinition/onbekend";
    static final String UNKNOWN_SYSTEM = "https://example.org/fhir/CodeSystem/onbekend";
    static final String EVALUATIEDATUM = ProfileValidator.PROFILE_BASE + "evaluatiedatum";
    private static final Pattern VALUE_MATCHES = Pattern.compile("value\\.matches\\('([^']*)'\\)");
    private static final Pattern LIMIT_CODE = Pattern.compile("^code = '([^']+)' implies");
    private static final Pattern LIMIT_UNIT =
            Pattern.compile("periodUnit = '(\\w+)'\\)\\.exists\\(\\) implies value <= (\\d+)");
    private static final String CONTROL = String.valueOf((char) 1);
    /** Primitive types whose variants are the generic text ones (whitespace, control characters, length). */
    private static final Set<String> STRING_LIKE =
            Set.of("string", "code", "uri", "url", "canonical", "id", "oid", "uuid", "markdown");

    private final FhirContext ctx = FhirContext.forR4Cached();
    private final Path profilesDir;
    private final boolean full;
    private final Bundle example;
    private final String exampleJson;
    private final List<Node> nodes;
    private final Map<Integer, String> profileOfEntry = new HashMap<>();
    private final List<Profile> profiles = new ArrayList<>();
    private final Map<String, Profile> byUrl = new HashMap<>();
    private final Map<String, String> typeOfFullUrl = new HashMap<>();

    private final List<Case> cases = new ArrayList<>();
    private final Set<String> seenJson = new HashSet<>();
    private final Set<String> names = new HashSet<>();
    private final Set<String> shapes = new HashSet<>();
    private final Map<Category, Integer> unparseable = new EnumMap<>(Category.class);
    private final Map<Category, Integer> repeated = new EnumMap<>(Category.class);
    private final Map<String, List<String>> breakers = new TreeMap<>();

    DifferentialCorpus(ProfileValidator validator, Path profilesDir, Bundle example, boolean full) {
        this.profilesDir = profilesDir;
        this.full = full;
        this.example = example;
        this.exampleJson = DifferentialPaths.encode(example);
        this.nodes = DifferentialPaths.walk(example);
        seenJson.add(exampleJson);
        Bundle assigned = example.copy();
        validator.assignProfiles(assigned);
        for (int i = 0; i < assigned.getEntry().size(); i++) {
            Resource resource = assigned.getEntry().get(i).getResource();
            if (resource != null && resource.getMeta().hasProfile()) {
                profileOfEntry.put(i, resource.getMeta().getProfile().get(0).getValue());
            }
        }
        for (StructureDefinition sd : validator.profileSnapshots()) {
            if (!sd.hasSnapshot() || sd.getSnapshot().getElement().isEmpty()) {
                throw new IllegalStateException(
                        "ProfileValidator.profileSnapshots() returned " + sd.getUrl() + " without a snapshot");
            }
            Profile profile = Profile.of(sd);
            profiles.add(profile);
            byUrl.put(sd.getUrl(), profile);
        }
        for (Bundle.BundleEntryComponent entry : example.getEntry()) {
            typeOfFullUrl.put(entry.getFullUrl(), entry.getResource().fhirType());
        }
    }

    /** Every case, by category. */
    List<Case> generate() {
        required();
        invariants();
        codings();
        references();
        slices();
        extensions();
        primitives();
        extras();
        benign();
        onFreshPlans();
        List<Case> sorted = new ArrayList<>(cases);
        sorted.sort(Comparator.comparing(Case::category));
        return sorted;
    }

    /** Cases dropped because their JSON did not parse, by category. */
    Map<Category, Integer> unparseable() {
        return unparseable;
    }

    /** Cases dropped because they changed nothing or repeated an earlier case, by category. */
    Map<Category, Integer> repeated() {
        return repeated;
    }

    /** The case names that break each invariant key. */
    Map<String, List<String>> breakers() {
        return breakers;
    }

    /** The {@code wmo-*} constraint keys in the differential JSON of the profiles. */
    static Set<String> invariantKeys(Path profilesDir) {
        Set<String> keys = new java.util.TreeSet<>();
        for (Invariant invariant : readInvariants(profilesDir)) {
            keys.add(invariant.key());
        }
        return keys;
    }

    // ---------------------------------------------------------------- 1 required elements

    private void required() {
        for (Profile profile : profiles) {
            for (Node target : targets(profile)) {
                for (ElementDefinition ed : profile.elements()) {
                    if (ed.getMin() < 1 || !ed.getPath().contains(".")) {
                        continue;
                    }
                    List<Node> found = DifferentialPaths.select(target, ed.getId(), profile);
                    if (found.isEmpty()) {
                        continue;
                    }
                    String name = profile.name() + " " + ed.getId() + " removed at " + target.path()
                            + (found.size() > 1 ? " (" + found.size() + " occurrences)" : "");
                    // inside an optional slice, removing its discriminator just moves the element out of it
                    Expect expect = inOptionalSlice(profile, ed.getId()) ? Expect.EITHER : Expect.ERROR;
                    add(Category.REQUIRED, name, expect, null, b -> {
                        Node there = DifferentialPaths.locate(b, target);
                        for (Node n : DifferentialPaths.select(there, ed.getId(), profile)) {
                            n.parent().removeChild(n.property(), n.value());
                        }
                    });
                }
            }
        }
    }

    /** Whether the element lies inside a slice that may be absent. */
    private static boolean inOptionalSlice(Profile profile, String elementId) {
        String[] segments = elementId.split("\\.");
        StringBuilder id = new StringBuilder(segments[0]);
        for (int s = 1; s < segments.length - 1; s++) {
            id.append('.').append(segments[s]);
            ElementDefinition ed = profile.element(id.toString());
            if (ed != null && ed.hasSliceName() && ed.getMin() == 0) {
                return true;
            }
        }
        return false;
    }

    /** The nodes of the example the profile applies to: resources it is assigned to, its extensions, the Bundle. */
    private List<Node> targets(Profile profile) {
        String type = profile.sd().getType();
        if ("Bundle".equals(type)) {
            return List.of(DifferentialPaths.root(example));
        }
        if ("Extension".equals(type)) {
            return nodes.stream()
                    .filter(n ->
                            n.value() instanceof Extension e && profile.url().equals(e.getUrl()))
                    .toList();
        }
        return nodes.stream()
                .filter(n -> n.value() instanceof Resource && n.path().endsWith("].resource"))
                .filter(n -> profile.url().equals(profileOfEntry.get(n.entry())))
                .toList();
    }

    // ---------------------------------------------------------------- 2 invariants and limits

    /** One constraint in a profile's differential. */
    record Invariant(String key, String profileUrl, String elementId, String expression) {}

    static List<Invariant> readInvariants(Path profilesDir) {
        ObjectMapper json = new ObjectMapper();
        List<Invariant> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(profilesDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("StructureDefinition-"))
                    .sorted()
                    .toList()) {
                JsonNode sd = json.readTree(file.toFile());
                for (JsonNode element : sd.path("differential").path("element")) {
                    for (JsonNode constraint : element.path("constraint")) {
                        String key = constraint.path("key").asText();
                        if (key.startsWith("wmo-")) {
                            all.add(new Invariant(
                                    key,
                                    sd.path("url").asText(),
                                    element.path("id").asText(),
                                    constraint.path("expression").asText()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    private void invariants() {
        for (Invariant invariant : readInvariants(profilesDir)) {
            Profile profile = byUrl.get(invariant.profileUrl());
            Matcher regex = VALUE_MATCHES.matcher(invariant.expression());
            if (regex.find()) {
                regexBreakers(invariant, profile, Pattern.compile(regex.group(1)));
            }
            if (LIMIT_CODE.matcher(invariant.expression()).find()) {
                limitBreakers(invariant);
            }
            if (invariant.expression().contains("$this.toString().length()")) {
                partialDateBreakers(invariant, profile);
            }
            tableBreakers(invariant);
        }
        profileLimits();
    }

    /** Values that do not match the invariant's regex, in every element it constrains (created when absent). */
    private void regexBreakers(Invariant invariant, Profile profile, Pattern regex) {
        Map<String, String> bad = new LinkedHashMap<>();
        String sample = null;
        for (int length = 1; length <= 20 && sample == null; length++) {
            String digits = digits(length);
            if (regex.matcher(digits).find()) {
                sample = digits;
            }
        }
        if (sample != null) {
            int n = sample.length();
            if (n > 1) {
                bad.put(n - 1 + " digits", digits(n - 1));
            }
            bad.put(n + 1 + " digits", digits(n + 1));
            bad.put("a letter among the digits", "A" + sample.substring(1));
            bad.put("a trailing space", sample + " ");
            bad.put("a leading space", " " + sample);
        }
        bad.put("a word", "onbekend");
        bad.values().removeIf(v -> regex.matcher(v).find());
        List<Node> targets = targets(profile);
        for (Node target : targets) {
            for (Map.Entry<String, String> value : bad.entrySet()) {
                add(
                        Category.INVARIANT,
                        invariant.key() + " " + invariant.elementId() + " with " + value.getKey() + " at "
                                + target.path(),
                        Expect.ERROR,
                        invariant.key(),
                        b -> {
                            Node there = DifferentialPaths.locate(b, target);
                            List<Node> values =
                                    DifferentialPaths.select(there, invariant.elementId() + ".value", profile);
                            if (values.isEmpty()) {
                                Base created = createSliceMember(there, invariant.elementId(), profile);
                                created.setProperty("value", new StringType(value.getValue()));
                            }
                            for (Node n : values) {
                                ((PrimitiveType<?>) n.value()).setValueAsString(value.getValue());
                            }
                        });
            }
        }
    }

    /** A new member of the slice, made from the slice's pattern, added to the node. */
    private static Base createSliceMember(Node node, String sliceId, Profile profile) {
        ElementDefinition slice = profile.element(sliceId);
        if (slice == null || !slice.hasPattern()) {
            throw new NothingToChange("no pattern to make a member of " + sliceId);
        }
        Base member = slice.getPattern().copy();
        String property = slice.getPath().substring(slice.getPath().lastIndexOf('.') + 1);
        node.value().setProperty(property, member);
        return member;
    }

    /** One more than each per-period limit of the invariant (and exactly the limit, a benign case). */
    private void limitBreakers(Invariant invariant) {
        Matcher code = LIMIT_CODE.matcher(invariant.expression());
        if (!code.find()) {
            return;
        }
        Matcher unit = LIMIT_UNIT.matcher(invariant.expression());
        while (unit.find()) {
            String periodUnit = unit.group(1);
            long limit = Long.parseLong(unit.group(2));
            for (long value : new long[] {limit + 1, limit}) {
                boolean breaks = value > limit;
                add(
                        breaks ? Category.INVARIANT : Category.BENIGN,
                        invariant.key() + " eenheid " + code.group(1) + " " + (breaks ? "one more than " : "exactly ")
                                + limit + " per " + periodUnit,
                        breaks ? Expect.ERROR : Expect.CLEAN,
                        breaks ? invariant.key() : null,
                        b -> {
                            ServiceRequest request = first(b, ServiceRequest.class);
                            request.getQuantityQuantity().setCode(code.group(1)).setValue(value);
                            request.getOccurrenceTiming()
                                    .getRepeat()
                                    .setPeriod(1)
                                    .setPeriodUnit(Timing.UnitsOfTime.fromCode(periodUnit));
                        });
            }
        }
    }

    /** Dates that must be full dates, given as year-month and as year only. */
    private void partialDateBreakers(Invariant invariant, Profile profile) {
        List<Node> targets = targets(profile);
        Node target = targets.stream()
                .filter(t -> !DifferentialPaths.select(t, invariant.elementId(), profile)
                        .isEmpty())
                .findFirst()
                .orElse(targets.isEmpty() ? null : targets.get(0));
        if (target == null) {
            return;
        }
        for (int length : new int[] {7, 4}) {
            add(
                    Category.INVARIANT,
                    invariant.key() + " " + invariant.elementId() + " with only "
                            + (length == 7 ? "year-month" : "year") + " at " + target.path(),
                    Expect.ERROR,
                    invariant.key(),
                    b -> {
                        Node there = DifferentialPaths.locate(b, target);
                        List<Node> dates = DifferentialPaths.select(there, invariant.elementId(), profile);
                        if (dates.isEmpty()) {
                            dates = seedDate(there, invariant, profile);
                        }
                        for (Node n : dates) {
                            PrimitiveType<?> date = (PrimitiveType<?>) n.value();
                            date.setValueAsString(date.getValueAsString().substring(0, length));
                        }
                    });
        }
    }

    /** Gives the example an element it lacks so its invariant can be broken (a Goal's due date). */
    private static List<Node> seedDate(Node there, Invariant invariant, Profile profile) {
        if (there.value() instanceof Goal goal && invariant.elementId().startsWith("Goal.target.due")) {
            goal.addTarget().setDue(new DateType("2026-12-31"));
        } else if (there.value() instanceof ServiceRequest request
                && invariant.elementId().endsWith(".end")) {
            request.getOccurrenceTiming().getRepeat().getBoundsPeriod().setEndElement(new DateTimeType("2027-12-31"));
        } else {
            throw new NothingToChange("no " + invariant.elementId() + " to break");
        }
        return DifferentialPaths.select(there, invariant.elementId(), profile);
    }

    /** The breakers that need to know what the invariant means. */
    private void tableBreakers(Invariant invariant) {
        String key = invariant.key();
        switch (key) {
            case "wmo-bsn-1" -> {
                breaker(key, "a BSN with a wrong check digit", b -> {
                    Identifier bsn = first(b, Patient.class).getIdentifierFirstRep();
                    String v = bsn.getValue();
                    bsn.setValue(v.substring(0, 8) + (char) ('0' + (v.charAt(8) - '0' + 1) % 10));
                });
                breaker(key, "a BSN with two digits swapped", b -> {
                    Identifier bsn = first(b, Patient.class).getIdentifierFirstRep();
                    String v = bsn.getValue();
                    if (v.charAt(0) == v.charAt(1)) {
                        throw new NothingToChange("equal digits");
                    }
                    bsn.setValue("" + v.charAt(1) + v.charAt(0) + v.substring(2));
                });
                breaker(key, "a BSN with a space in it", b -> {
                    Identifier bsn = first(b, Patient.class).getIdentifierFirstRep();
                    String v = bsn.getValue();
                    bsn.setValue(v.substring(0, 4) + " " + v.substring(4));
                });
            }
            case "wmo-pat-1" -> {
                breaker(key, "born next year", b -> birthDate(b, LocalDate.now().plusYears(1)));
                breaker(key, "born tomorrow", b -> birthDate(b, LocalDate.now().plusDays(1)));
                breaker(
                        key,
                        "born 121 years ago",
                        b -> birthDate(b, LocalDate.now().minusYears(121)));
                breaker(key, "born in 1850", b -> birthDate(b, LocalDate.of(1850, 1, 1)));
            }
            case "wmo-pat-2" -> {
                breaker(
                        key,
                        "a family name of 201 characters",
                        b -> patientName(b).setFamily("V".repeat(201)));
                breaker(key, "a family name on two lines", b -> patientName(b).setFamily("de\nVries"));
                breaker(
                        key,
                        "a family name with a carriage return",
                        b -> patientName(b).setFamily("de\rVries"));
                breaker(key, "given names of 201 characters together", b -> {
                    HumanName name = patientName(b);
                    name.getGiven().clear();
                    name.addGiven("H".repeat(100)).addGiven("J".repeat(100));
                });
                breaker(
                        key,
                        "a given name on two lines",
                        b -> patientName(b).getGiven().get(0).setValue("Hen\ndrik"));
                breaker(key, "a voorvoegsel of 11 characters", b -> {
                    Extension prefix = patientName(b)
                            .getFamilyElement()
                            .getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/humanname-own-prefix");
                    if (prefix == null) {
                        throw new NothingToChange("no voorvoegsel");
                    }
                    prefix.setValue(new StringType("van der den"));
                });
            }
            case "wmo-sr-1" -> {
                breaker(key, "an open-ended request without evaluatiedatum", b -> {
                    ServiceRequest open = serviceRequests(b).stream()
                            .filter(ServiceRequest::hasExtension)
                            .findFirst()
                            .orElseThrow(() -> new NothingToChange("no evaluatiedatum"));
                    open.getExtension().clear();
                });
                breaker(key, "a request with an end date, the end removed", b -> {
                    ServiceRequest closed = serviceRequests(b).stream()
                            .filter(sr -> !sr.hasExtension())
                            .findFirst()
                            .orElseThrow(() -> new NothingToChange("no request without extension"));
                    closed.getOccurrenceTiming().getRepeat().getBoundsPeriod().setEndElement(null);
                });
            }
            case "wmo-sr-2" -> {
                for (int i = 0; i < 2; i++) {
                    int index = i;
                    breaker(
                            key,
                            "productcode without Omvang on request " + (i + 1),
                            b -> serviceRequests(b).get(index).setQuantity(null));
                }
            }
            case "wmo-sr-3" -> {
                breaker(key, "Omvang 1.5", b -> omvang(b).setValueElement(new DecimalType("1.5")));
                breaker(key, "Omvang of 9 digits", b -> omvang(b).setValueElement(new DecimalType("123456789")));
                breaker(key, "Omvang -5", b -> omvang(b).setValueElement(new DecimalType("-5")));
                breaker(key, "Omvang 180.0", b -> omvang(b).setValueElement(new DecimalType("180.0")));
                breaker(key, "Omvang 1.8E+2", b -> omvang(b).setValueElement(new DecimalType("1.8E+2")));
            }
            case "wmo-sr-4" -> {
                breaker(key, "periodUnit h", b -> repeat(b).setPeriodUnit(Timing.UnitsOfTime.H));
                breaker(key, "periodUnit a", b -> repeat(b).setPeriodUnit(Timing.UnitsOfTime.A));
                breaker(key, "period 2", b -> repeat(b).setPeriod(2));
                breaker(key, "period 0.5", b -> repeat(b).setPeriodElement(new DecimalType("0.5")));
                breaker(key, "periodUnit wk without period", b -> repeat(b).setPeriodElement(null));
            }
            case "wmo-afw-1" -> {
                breaker(
                        key,
                        "an afweging with an unknown plan-onderdeel code",
                        b -> afwegingCoding(b).setCode("onbekend"));
                breaker(
                        key,
                        "an afweging coded in the leefgebied system",
                        b -> afwegingCoding(b)
                                .setSystem("https://wmo-gateway.nl/fhir/CodeSystem/leefgebied")
                                .setCode("huishouden"));
            }
            case "wmo-con-1" -> {
                breaker(key, "a form without title", b -> attachment(b).setTitle(null));
                breaker(key, "a form without contentType", b -> attachment(b).setContentType(null));
                breaker(key, "a form without data or url", b -> attachment(b).setData(null));
            }
            case "wmo-bundle-1" -> {
                breaker(key, "the Patient on another server, references along", b -> {
                    Patient patient = first(b, Patient.class);
                    patient.setId("p1");
                    rereference(b, patient, "https://fhir.elders.example/Patient/p1");
                });
                breaker(
                        key,
                        "a Goal's fullUrl on another server, references left dangling",
                        b -> fullUrl(b, first(b, Goal.class)).setFullUrl("https://fhir.elders.example/Goal/1"));
                breaker(
                        key,
                        "the MedicationStatement as urn:oid",
                        b -> fullUrl(b, first(b, MedicationStatement.class))
                                .setFullUrl("urn:oid:2.16.840.1.113883.3.1937"));
                breaker(key, "a fullUrl URN:UUID: in capitals", b -> {
                    Bundle.BundleEntryComponent entry = fullUrl(b, first(b, MedicationStatement.class));
                    entry.setFullUrl(entry.getFullUrl().replace("urn:uuid:", "URN:UUID:"));
                });
            }
            default -> {
                // generated from the expression (regex, limits, full dates), or no breaker: the test says so
            }
        }
    }

    private void breaker(String key, String description, Consumer<Bundle> change) {
        add(Category.INVARIANT, key + " " + description, Expect.ERROR, key, change);
    }

    /** Limits of the snapshots that are not invariants: maxLength, min/max values, cardinalities tightened. */
    private void profileLimits() {
        for (Profile profile : profiles) {
            List<Node> targets = targets(profile);
            for (ElementDefinition ed : profile.elements()) {
                if (ed.hasMaxLength()) {
                    int max = ed.getMaxLength();
                    limit(profile, ed, targets, "a value of " + (max + 1) + " characters", n -> {
                        PrimitiveType<?> value = (PrimitiveType<?>) n.value();
                        value.setValueAsString((value.getValueAsString() + "X".repeat(max + 1)).substring(0, max + 1));
                    });
                }
                if (ed.hasMinValue() && ed.getMinValue() instanceof IntegerType min) {
                    limit(
                            profile,
                            ed,
                            targets,
                            "one less than the minimum",
                            n -> ((IntegerType) n.value()).setValue(min.getValue() - 1));
                    limit(
                            profile,
                            ed,
                            targets,
                            "exactly the minimum",
                            n -> ((IntegerType) n.value()).setValue(min.getValue()));
                }
                if (ed.hasMaxValue() && ed.getMaxValue() instanceof IntegerType max) {
                    limit(
                            profile,
                            ed,
                            targets,
                            "one more than the maximum",
                            n -> ((IntegerType) n.value()).setValue(max.getValue() + 1));
                    limit(
                            profile,
                            ed,
                            targets,
                            "exactly the maximum",
                            n -> ((IntegerType) n.value()).setValue(max.getValue()));
                }
                tightenedCardinality(profile, ed, targets);
            }
        }
    }

    /** The change at every instance of the element, for the first resource that has one (every one in full mode). */
    private void limit(Profile profile, ElementDefinition ed, List<Node> targets, String what, Consumer<Node> change) {
        boolean breaks = !what.startsWith("exactly");
        for (Node target : targets) {
            if (DifferentialPaths.select(target, ed.getId(), profile).isEmpty()) {
                continue;
            }
            add(
                    breaks ? Category.INVARIANT : Category.BENIGN,
                    "profile limit " + profile.name() + " " + ed.getId() + " " + what + " at " + target.path(),
                    breaks ? Expect.ERROR : Expect.CLEAN,
                    null,
                    b -> DifferentialPaths.select(DifferentialPaths.locate(b, target), ed.getId(), profile)
                            .forEach(change));
            if (!full) {
                return;
            }
        }
    }

    /** One repetition more than a profile allows where FHIR core allows more (Practitioner.name, CarePlan.activity). */
    private void tightenedCardinality(Profile profile, ElementDefinition ed, List<Node> targets) {
        if (ed.hasSliceName() || "*".equals(ed.getMax()) || !ed.getPath().contains(".") || !ed.hasBase()) {
            return;
        }
        int max = Integer.parseInt(ed.getMax());
        String baseMax = ed.getBase().getMax();
        if (!"*".equals(baseMax) && Integer.parseInt(baseMax) <= max) {
            return;
        }
        String parentId = ed.getId().substring(0, ed.getId().lastIndexOf('.'));
        String property = ed.getPath().substring(ed.getPath().lastIndexOf('.') + 1);
        for (Node target : targets) {
            List<Node> present = DifferentialPaths.select(target, ed.getId(), profile);
            boolean extension = "extension".equals(property);
            if (present.isEmpty() && !(extension && max == 0)) {
                continue;
            }
            add(
                    Category.INVARIANT,
                    "profile limit " + profile.name() + " " + ed.getId() + " " + (max + 1) + " times (max " + max
                            + ") at " + target.path(),
                    Expect.ERROR,
                    null,
                    b -> {
                        Node there = DifferentialPaths.locate(b, target);
                        List<Node> parents = parentId.contains(".")
                                ? DifferentialPaths.select(there, parentId, profile)
                                : List.of(there);
                        for (Node parent : parents) {
                            List<Node> items = DifferentialPaths.select(parent, "X." + property, profile);
                            for (int k = items.size(); k <= max; k++) {
                                Base item = items.isEmpty()
                                        ? new Extension(UNKNOWN_EXTENSION, new StringType("x"))
                                        : items.get(0).value().copy();
                                parent.value().setProperty(property, item);
                            }
                        }
                    });
            if (!full) {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- 3 codings and codes

    private void codings() {
        for (Node node : nodes) {
            if (!(node.value() instanceof Coding coding) || !once("coding", node, coding.getSystem())) {
                continue;
            }
            String at = label(node);
            boolean ours =
                    coding.hasSystem() && coding.getSystem().startsWith("https://wmo-gateway.nl/fhir/CodeSystem/");
            coding(
                    node,
                    at + " unknown code",
                    ours ? Expect.ERROR : Expect.EITHER,
                    c -> c.setCode("onbekende-code-xyz"));
            coding(node, at + " system dropped", Expect.EITHER, c -> c.setSystem(null));
            coding(node, at + " unknown system", Expect.EITHER, c -> c.setSystem(UNKNOWN_SYSTEM));
            if (coding.hasCode()) {
                coding(node, at + " wrong display", Expect.EITHER, c -> c.setDisplay("Verkeerde weergave"));
            }
            if (coding.hasDisplay()) {
                coding(node, at + " display dropped", Expect.EITHER, c -> c.setDisplay(null));
            }
            add(Category.CODING, at + " a second coding from an unknown system", Expect.EITHER, null, b -> {
                Node there = DifferentialPaths.locate(b, node);
                Coding other = new Coding(UNKNOWN_SYSTEM, "x1", "Iets anders");
                if (there.parent() instanceof CodeableConcept concept) {
                    concept.addCoding(other);
                } else {
                    there.parent().setProperty(there.property(), other);
                }
            });
        }
        for (Node node : nodes) {
            if (!"code".equals(node.value().fhirType()) || node.parent() instanceof Coding || !once("code", node, "")) {
                continue;
            }
            addJson(
                    Category.CODING,
                    label(node) + " an invalid code",
                    Expect.EITHER,
                    json -> DifferentialPaths.withPrimitive(
                            json, node.steps(), DifferentialPaths.text("onbekende-code")));
        }
    }

    private void coding(Node node, String name, Expect expect, Consumer<Coding> change) {
        add(
                Category.CODING,
                name,
                expect,
                null,
                b -> change.accept((Coding) DifferentialPaths.locate(b, node).value()));
    }

    // ---------------------------------------------------------------- 4 references

    private void references() {
        for (Node node : nodes) {
            if (!(node.value() instanceof Reference reference) || !reference.hasReference()) {
                continue;
            }
            String targetType = typeOfFullUrl.getOrDefault(reference.getReference(), "?");
            String targetProfile = profileOfEntry.getOrDefault(entryOf(reference.getReference()), targetType);
            if (!once("reference", node, targetProfile)) {
                continue;
            }
            String sourceType = node.entry() < 0
                    ? "Bundle"
                    : example.getEntry().get(node.entry()).getResource().fhirType();
            String wrong = example.getEntry().stream()
                    .filter(e -> !e.getResource().fhirType().equals(targetType)
                            && !e.getResource().fhirType().equals(sourceType))
                    .map(Bundle.BundleEntryComponent::getFullUrl)
                    .findFirst()
                    .orElseThrow();
            String at = label(node);
            reference(
                    node,
                    at + " dangling",
                    Expect.ERROR,
                    r -> r.setReference("urn:uuid:"
                            + UUID.nameUUIDFromBytes(("dangling " + node.path()).getBytes(StandardCharsets.UTF_8))));
            reference(
                    node,
                    at + " to a " + typeOfFullUrl.get(wrong) + " instead of a " + targetType,
                    restrictsTarget(node) ? Expect.ERROR : Expect.EITHER,
                    r -> r.setReference(wrong));
            reference(
                    node,
                    at + " relative " + targetType + "/123",
                    Expect.EITHER,
                    r -> r.setReference(targetType + "/123"));
            reference(node, at + " only a display", Expect.EITHER, r -> {
                r.setReference(null);
                if (!r.hasDisplay()) {
                    r.setDisplay("alleen een naam");
                }
            });
        }
    }

    /** Whether the profile (or FHIR core) limits what the reference may point to (not Reference(Any)). */
    private boolean restrictsTarget(Node node) {
        if (node.entry() < 0) {
            return true;
        }
        Resource resource = example.getEntry().get(node.entry()).getResource();
        String url = profileOfEntry.get(node.entry());
        Profile profile = url == null ? null : byUrl.get(url);
        if (profile == null) {
            return true;
        }
        ElementDefinition ed =
                profile.element(resource.fhirType() + "." + node.inResource().replaceAll("\\[\\d+]", ""));
        return ed == null
                || ed.getType().stream()
                        .flatMap(t -> t.getTargetProfile().stream())
                        .noneMatch(p -> p.getValue().endsWith("/Resource"));
    }

    private int entryOf(String fullUrl) {
        for (int i = 0; i < example.getEntry().size(); i++) {
            if (fullUrl.equals(example.getEntry().get(i).getFullUrl())) {
                return i;
            }
        }
        return -1;
    }

    private void reference(Node node, String name, Expect expect, Consumer<Reference> change) {
        add(
                Category.REFERENCE,
                name,
                expect,
                null,
                b -> change.accept((Reference) DifferentialPaths.locate(b, node).value()));
    }

    // ---------------------------------------------------------------- 5 slices

    private void slices() {
        for (Profile profile : profiles) {
            for (ElementDefinition sliced : profile.elements()) {
                if (!sliced.hasSlicing()) {
                    continue;
                }
                for (ElementDefinition slice : profile.elements()) {
                    if (slice.hasSliceName() && slice.getId().equals(sliced.getId() + ":" + slice.getSliceName())) {
                        slice(profile, slice);
                    }
                }
            }
        }
    }

    private void slice(Profile profile, ElementDefinition slice) {
        for (Node target : targets(profile)) {
            List<Node> members = DifferentialPaths.select(target, slice.getId(), profile);
            if (members.isEmpty()) {
                continue;
            }
            String at = profile.name() + " " + slice.getId() + " at " + target.path();
            boolean single = "1".equals(slice.getMax());
            add(Category.SLICE, at + " member duplicated", single ? Expect.ERROR : Expect.EITHER, null, b -> {
                Node member = DifferentialPaths.select(DifferentialPaths.locate(b, target), slice.getId(), profile)
                        .get(0);
                Base copy = member.value().copy();
                if (copy instanceof Bundle.BundleEntryComponent entry) {
                    entry.setFullUrl("urn:uuid:" + UUID.nameUUIDFromBytes(at.getBytes(StandardCharsets.UTF_8)));
                }
                member.parent().setProperty(member.property(), copy);
            });
            boolean last = members.size() == 1 && slice.getMin() >= 1;
            add(Category.SLICE, at + " one member removed", last ? Expect.ERROR : Expect.EITHER, null, b -> {
                Node member = DifferentialPaths.select(DifferentialPaths.locate(b, target), slice.getId(), profile)
                        .get(0);
                member.parent().removeChild(member.property(), member.value());
            });
            if (members.get(0).value() instanceof Identifier
                    || members.get(0).value() instanceof Coding
                    || members.get(0).value() instanceof CodeableConcept) {
                add(Category.SLICE, at + " a member of no slice added", Expect.EITHER, null, b -> {
                    Node member = DifferentialPaths.select(DifferentialPaths.locate(b, target), slice.getId(), profile)
                            .get(0);
                    Base copy = member.value().copy();
                    if (copy instanceof Identifier identifier) {
                        identifier.setSystem("urn:oid:2.999.1");
                    } else if (copy instanceof Coding c) {
                        c.setSystem(UNKNOWN_SYSTEM);
                    } else {
                        ((CodeableConcept) copy).getCoding().forEach(c -> c.setSystem(UNKNOWN_SYSTEM));
                    }
                    member.parent().setProperty(member.property(), copy);
                });
            }
            if (!full) {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- 6 extensions

    private void extensions() {
        for (Node node : nodes) {
            if (node.value() instanceof DomainResource && once("resource extension", node, "")) {
                extension(
                        node,
                        label(node) + " unknown extension on the resource",
                        Expect.EITHER,
                        e -> ((DomainResource) e).addExtension(unknownExtension()));
            }
            if (node.value() instanceof DomainResource
                    && onceKey("resource modifier|" + node.value().fhirType())) {
                extension(
                        node,
                        label(node) + " unknown modifierExtension on the resource",
                        Expect.ERROR,
                        e -> ((DomainResource) e).addModifierExtension(unknownExtension()));
            }
        }
        for (Node node : nodes) {
            if (node.value() instanceof Resource || node.value() instanceof Extension) {
                continue;
            }
            if (node.value() instanceof BackboneElement && once("backbone modifier", node, "")) {
                extension(
                        node,
                        label(node) + " unknown modifierExtension",
                        Expect.ERROR,
                        e -> ((BackboneElement) e).addModifierExtension(unknownExtension()));
            }
            if (node.value() instanceof Element
                    && !(node.value() instanceof PrimitiveType<?>)
                    && onceKey("nested extension|" + node.value().fhirType())) {
                extension(
                        node,
                        label(node) + " unknown extension on a " + node.value().fhirType(),
                        Expect.EITHER,
                        e -> ((Element) e).addExtension(unknownExtension()));
            }
        }
        extension(patientNode(), "Patient an extension with a value and extensions", Expect.ERROR, e -> {
            Extension both = unknownExtension();
            both.addExtension(new Extension(UNKNOWN_EXTENSION + "-deel", new StringType("y")));
            ((Patient) e).addExtension(both);
        });
        add(
                Category.EXTENSION,
                "evaluatiedatum with a nested extension",
                Expect.ERROR,
                null,
                b -> evaluatiedatum(b).addExtension(new Extension(UNKNOWN_EXTENSION, new StringType("y"))));
        add(
                Category.EXTENSION,
                "evaluatiedatum as valueString",
                Expect.ERROR,
                null,
                b -> evaluatiedatum(b).setValue(new StringType("2027-02-01")));
        add(
                Category.EXTENSION,
                "evaluatiedatum as valueDateTime with a time",
                Expect.ERROR,
                null,
                b -> evaluatiedatum(b).setValue(new DateTimeType("2027-02-01T10:00:00+01:00")));
        add(
                Category.EXTENSION,
                "evaluatiedatum without value",
                Expect.ERROR,
                null,
                b -> evaluatiedatum(b).setValue(null));
        add(Category.EXTENSION, "evaluatiedatum twice on the request", Expect.ERROR, null, b -> {
            ServiceRequest request = withEvaluatiedatum(b);
            request.addExtension(request.getExtensionByUrl(EVALUATIEDATUM).copy());
        });
        add(
                Category.EXTENSION,
                "evaluatiedatum also on the request with an end date",
                Expect.EITHER,
                null,
                b -> serviceRequests(b).stream()
                        .filter(sr -> !sr.hasExtension())
                        .findFirst()
                        .orElseThrow()
                        .addExtension(EVALUATIEDATUM, new DateType("2026-10-01")));
        add(Category.EXTENSION, "evaluatiedatum as a modifierExtension", Expect.ERROR, null, b -> {
            ServiceRequest request = withEvaluatiedatum(b);
            Extension existing = request.getExtensionByUrl(EVALUATIEDATUM);
            request.getExtension().clear();
            request.addModifierExtension(existing);
        });
        Map<String, Place> wrongPlaces = new LinkedHashMap<>();
        wrongPlaces.put("on the Patient", b -> first(b, Patient.class));
        wrongPlaces.put("on the CarePlan", b -> first(b, CarePlan.class));
        wrongPlaces.put("on the Task", b -> first(b, Task.class));
        wrongPlaces.put("on the Consent", b -> first(b, Consent.class));
        wrongPlaces.put(
                "on ServiceRequest.code", b -> first(b, ServiceRequest.class).getCode());
        wrongPlaces.put(
                "on ServiceRequest.occurrenceTiming",
                b -> first(b, ServiceRequest.class).getOccurrenceTiming());
        wrongPlaces.put("on Patient.birthDate", b -> first(b, Patient.class).getBirthDateElement());
        wrongPlaces.put("on a Bundle entry", b -> b.getEntryFirstRep());
        for (Map.Entry<String, Place> place : wrongPlaces.entrySet()) {
            add(
                    Category.EXTENSION,
                    "evaluatiedatum " + place.getKey(),
                    Expect.ERROR,
                    null,
                    b -> addExtension(
                            place.getValue().at(b), new Extension(EVALUATIEDATUM, new DateType("2027-02-01"))));
        }
        for (Node node : nodes) {
            if (node.value() instanceof PrimitiveType<?>
                    && onceKey("primitive extension|" + node.value().fhirType())) {
                extension(
                        node,
                        label(node) + " unknown extension on a " + node.value().fhirType(),
                        Expect.EITHER,
                        e -> ((Element) e).addExtension(unknownExtension()));
            }
        }
    }

    /** Where to put something in a Bundle. */
    @FunctionalInterface
    interface Place {
        Base at(Bundle bundle);
    }

    private void extension(Node node, String name, Expect expect, Consumer<Base> change) {
        add(
                Category.EXTENSION,
                name,
                expect,
                null,
                b -> change.accept(DifferentialPaths.locate(b, node).value()));
    }

    /** Adds the extension to a resource or an element. */
    private static void addExtension(Base base, Extension extension) {
        if (base instanceof DomainResource resource) {
            resource.addExtension(extension);
        } else {
            ((Element) base).addExtension(extension);
        }
    }

    private static Extension unknownExtension() {
        return new Extension(UNKNOWN_EXTENSION, new StringType("onbekend"));
    }

    private static Extension evaluatiedatum(Bundle b) {
        return withEvaluatiedatum(b).getExtensionByUrl(EVALUATIEDATUM);
    }

    private static ServiceRequest withEvaluatiedatum(Bundle b) {
        return serviceRequests(b).stream()
                .filter(sr -> sr.getExtensionByUrl(EVALUATIEDATUM) != null)
                .findFirst()
                .orElseThrow(() -> new NothingToChange("no evaluatiedatum"));
    }

    private Node patientNode() {
        return nodes.stream()
                .filter(n -> n.value() instanceof Patient)
                .findFirst()
                .orElseThrow();
    }

    // ---------------------------------------------------------------- 7 primitives

    private void primitives() {
        int rotation = 0;
        for (Node node : nodes) {
            if (!(node.value() instanceof PrimitiveType<?> primitive)
                    || node.parent() instanceof Coding
                    || (node.parent() instanceof Reference && "reference".equals(node.property()))
                    || !once("primitive", node, primitive.fhirType())
                    // a Reference's display is the same element in every profile: a few positions suffice
                    || (node.parent() instanceof Reference
                            && !onceKey("reference " + node.property() + "|" + rotation % 4))) {
                continue;
            }
            List<Variant> variants = variants(primitive);
            // the type's own variants (dates, numbers, base64) all at its first position; string-like
            // types, and later positions, one variant each in turn
            boolean all =
                    onceKey("primitive type|" + primitive.fhirType()) && !STRING_LIKE.contains(primitive.fhirType());
            for (int k = 0; k < variants.size(); k++) {
                if (!all && (k + rotation) % variants.size() != 0) {
                    continue;
                }
                Variant variant = variants.get(k);
                addJson(
                        Category.PRIMITIVE,
                        label(node) + " (" + primitive.fhirType() + ") " + variant.description(),
                        Expect.EITHER,
                        json -> DifferentialPaths.withPrimitive(json, node.steps(), variant.value()));
            }
            rotation++;
        }
        enrichedPrimitives();
    }

    /**
     * The primitive types the example lacks (instant, boolean, markdown, positiveInt), given to a copy
     * of it in valid places, and their variants there.
     */
    private void enrichedPrimitives() {
        Bundle enriched = example.copy();
        enriched.setTimestampElement(new InstantType("2026-01-12T10:30:00.000+01:00"));
        first(enriched, Practitioner.class).setActive(true);
        first(enriched, CarePlan.class).addNote().setText("*Evaluatie* na een half jaar.");
        repeat(enriched).setFrequency(1);
        accept(
                Category.BENIGN,
                "the example with an instant, a boolean, markdown and a positiveInt",
                Expect.CLEAN,
                null,
                enriched,
                enriched::copy);
        String base = DifferentialPaths.encode(enriched);
        for (Node node : DifferentialPaths.walk(enriched)) {
            if (!(node.value() instanceof PrimitiveType<?> primitive)
                    || !Set.of("instant", "boolean", "markdown", "positiveInt").contains(primitive.fhirType())
                    || !onceKey("primitive type|" + primitive.fhirType())) {
                continue;
            }
            for (Variant variant : variants(primitive)) {
                addJson(
                        Category.PRIMITIVE,
                        node.path() + " (" + primitive.fhirType() + ") " + variant.description(),
                        Expect.EITHER,
                        base,
                        json -> DifferentialPaths.withPrimitive(json, node.steps(), variant.value()));
            }
        }
    }

    /** A replacement value of a primitive. */
    record Variant(String description, JsonNode value) {}

    private static List<Variant> variants(PrimitiveType<?> primitive) {
        String v = primitive.getValueAsString();
        List<Variant> out = new ArrayList<>();
        switch (primitive.fhirType()) {
            case "integer", "positiveInt", "unsignedInt" -> {
                out.add(new Variant("0", DifferentialPaths.integer(0)));
                out.add(new Variant("-1", DifferentialPaths.integer(-1)));
                out.add(new Variant("6", DifferentialPaths.integer(6)));
                out.add(new Variant("the largest int", DifferentialPaths.integer(Integer.MAX_VALUE)));
                out.add(new Variant("the smallest int", DifferentialPaths.integer(Integer.MIN_VALUE)));
                out.add(new Variant("one past the largest int", DifferentialPaths.integer(1L + Integer.MAX_VALUE)));
                out.add(new Variant("as a JSON string", DifferentialPaths.text(v)));
                out.add(new Variant("as a decimal", DifferentialPaths.number(v + ".0")));
            }
            case "decimal" -> {
                out.add(new Variant("with .0", DifferentialPaths.number(v + ".0")));
                out.add(new Variant("in exponent notation", DifferentialPaths.number(v + "E0")));
                out.add(new Variant("negative", DifferentialPaths.number("-" + v)));
                out.add(new Variant("0", DifferentialPaths.number("0")));
                out.add(new Variant("of 12 digits", DifferentialPaths.number("123456789012")));
                out.add(new Variant("0.5", DifferentialPaths.number("0.5")));
                out.add(new Variant("as a JSON string", DifferentialPaths.text(v)));
            }
            case "boolean" -> {
                out.add(new Variant("as a JSON string", DifferentialPaths.text(v)));
                out.add(new Variant("as 1", DifferentialPaths.integer(1)));
            }
            case "date" -> {
                out.add(new Variant("an impossible date 2023-02-30", DifferentialPaths.text("2023-02-30")));
                out.add(new Variant("month 13", DifferentialPaths.text("2026-13-01")));
                out.add(new Variant("year only", DifferentialPaths.text(v.substring(0, 4))));
                out.add(new Variant("year-month", DifferentialPaths.text(v.substring(0, 7))));
                out.add(new Variant("with a time", DifferentialPaths.text(v + "T10:00:00+01:00")));
                out.add(new Variant("with a leading space", DifferentialPaths.text(" " + v)));
                out.add(new Variant("without leading zeros", DifferentialPaths.text(v.replace("-0", "-"))));
                out.add(new Variant("empty", DifferentialPaths.text("")));
            }
            case "dateTime", "instant" -> {
                String day = v.substring(0, 10);
                out.add(new Variant("a time without timezone", DifferentialPaths.text(day + "T10:30:00")));
                out.add(new Variant("hour 24", DifferentialPaths.text(day + "T24:00:00+01:00")));
                out.add(new Variant("an impossible day", DifferentialPaths.text("2026-02-30T10:00:00+01:00")));
                out.add(new Variant("date only", DifferentialPaths.text(day)));
                out.add(new Variant("no seconds", DifferentialPaths.text(day + "T10:30+01:00")));
                out.add(new Variant("in UTC", DifferentialPaths.text(day + "T09:30:00Z")));
                out.add(new Variant("with a trailing space", DifferentialPaths.text(v + " ")));
            }
            case "base64Binary" -> {
                out.add(new Variant("not base64", DifferentialPaths.text("dit is geen base64!")));
                out.add(new Variant(
                        "other content (hash no longer matches)",
                        DifferentialPaths.text(Base64.getEncoder()
                                .encodeToString("ander formulier".getBytes(StandardCharsets.UTF_8)))));
                out.add(new Variant("with line breaks", DifferentialPaths.text(v.replaceAll("(.{16})", "$1\n"))));
                out.add(new Variant("empty", DifferentialPaths.text("")));
            }
            default -> {
                out.add(new Variant("with a leading space", DifferentialPaths.text(" " + v)));
                out.add(new Variant("with a trailing space", DifferentialPaths.text(v + " ")));
                out.add(new Variant("blank", DifferentialPaths.text("   ")));
                out.add(new Variant("empty", DifferentialPaths.text("")));
                out.add(new Variant("with a control character", DifferentialPaths.text(v + CONTROL + "x")));
                out.add(new Variant("with a tab and a newline", DifferentialPaths.text(v + "\t\nx")));
                out.add(new Variant(
                        "of 10,000 characters",
                        DifferentialPaths.text((v + " ").repeat(10_000).substring(0, 10_000))));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- 8 extras

    private void extras() {
        extra(
                "Patient with a valid id",
                Expect.CLEAN,
                b -> first(b, Patient.class).setId("patient-1"));
        extra("every resource with a valid id", Expect.CLEAN, b -> {
            int i = 0;
            for (Bundle.BundleEntryComponent entry : b.getEntry()) {
                entry.getResource().setId("r" + i++);
            }
        });
        addJson(
                Category.EXTRA,
                "Patient id with invalid characters",
                Expect.ERROR,
                json -> withResourceField(json, "Patient", "id", DifferentialPaths.text("p 1!")));
        addJson(
                Category.EXTRA,
                "Patient id of 65 characters",
                Expect.ERROR,
                json -> withResourceField(json, "Patient", "id", DifferentialPaths.text("a".repeat(65))));
        addJson(
                Category.EXTRA,
                "Patient id of 64 characters",
                Expect.CLEAN,
                json -> withResourceField(json, "Patient", "id", DifferentialPaths.text("a".repeat(64))));
        extra(
                "MedicationStatement declaring an unknown nl-core profile",
                Expect.CLEAN,
                b -> first(b, MedicationStatement.class)
                        .getMeta()
                        .addProfile("http://nictiz.nl/fhir/StructureDefinition/nl-core-MedicationUse2"));
        extra(
                "Patient declaring an nl-core profile (replaced by the gateway)",
                Expect.CLEAN,
                b -> first(b, Patient.class)
                        .getMeta()
                        .addProfile("http://nictiz.nl/fhir/StructureDefinition/nl-core-Patient"));
        extra(
                "MedicationStatement declaring a gateway profile of another type",
                Expect.ERROR,
                b -> first(b, MedicationStatement.class)
                        .getMeta()
                        .addProfile(ProfileValidator.PROFILE_BASE + "wmo-patient"));
        extra("Patient with a valid narrative", Expect.CLEAN, b -> {
            Narrative text = first(b, Patient.class).getText();
            text.setStatus(Narrative.NarrativeStatus.GENERATED);
            text.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>H. de Vries</p></div>");
        });
        addJson(
                Category.EXTRA,
                "Patient narrative with a script",
                Expect.ERROR,
                json -> withResourceField(
                        json,
                        "Patient",
                        "text",
                        DifferentialPaths.json(
                                "{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">"
                                        + "<script>alert(1)</script></div>\"}")));
        addJson(
                Category.EXTRA,
                "Patient narrative without the xhtml namespace",
                Expect.ERROR,
                json -> withResourceField(
                        json,
                        "Patient",
                        "text",
                        DifferentialPaths.json(
                                "{\"status\":\"generated\",\"div\":\"<div><p>H. de Vries</p></div>\"}")));
        addJson(
                Category.EXTRA,
                "Patient narrative that is not XML",
                Expect.ERROR,
                json -> withResourceField(
                        json,
                        "Patient",
                        "text",
                        DifferentialPaths.json(
                                "{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><p>\"}")));
        addJson(
                Category.EXTRA,
                "Patient narrative without status",
                Expect.ERROR,
                json -> withResourceField(
                        json,
                        "Patient",
                        "text",
                        DifferentialPaths.json(
                                "{\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">x</div>\"}")));
        extra("Patient with a contained Organization it references", Expect.CLEAN, b -> {
            Patient patient = first(b, Patient.class);
            Organization huisarts = new Organization().setName("Huisartsenpraktijk");
            huisarts.setId("huisarts");
            patient.addContained(huisarts);
            patient.addGeneralPractitioner(new Reference("#huisarts"));
        });
        extra("Patient with a contained Organization nobody references", Expect.ERROR, b -> {
            Organization huisarts = new Organization().setName("Huisartsenpraktijk");
            huisarts.setId("huisarts");
            first(b, Patient.class).addContained(huisarts);
        });
        extra("Patient with a contained resource that contains one", Expect.ERROR, b -> {
            Patient patient = first(b, Patient.class);
            Organization huisarts = new Organization().setName("Huisartsenpraktijk");
            huisarts.setId("huisarts");
            Organization inner = new Organization().setName("binnen");
            inner.setId("binnen");
            huisarts.addContained(inner);
            patient.addContained(huisarts);
            patient.addGeneralPractitioner(new Reference("#huisarts"));
        });
        extra("Bundle language nl-NL", Expect.CLEAN, b -> b.setLanguage("nl-NL"));
        extra("Patient language nl", Expect.CLEAN, b -> first(b, Patient.class).setLanguage("nl"));
        extra(
                "Patient language not a language",
                Expect.EITHER,
                b -> first(b, Patient.class).setLanguage("klingon-xx"));
        extra(
                "Patient with implicitRules",
                Expect.EITHER,
                b -> first(b, Patient.class).setImplicitRules("https://example.org/regels"));
        extra(
                "the MedicationStatement with a relative fullUrl",
                Expect.ERROR,
                b -> fullUrl(b, first(b, MedicationStatement.class)).setFullUrl("MedicationStatement/1"));
        extra(
                "two entries with the same fullUrl",
                Expect.ERROR,
                b -> b.getEntry()
                        .get(entryIndex(b, Goal.class, 1))
                        .setFullUrl(
                                b.getEntry().get(entryIndex(b, Goal.class, 0)).getFullUrl()));
        extra(
                "the MedicationStatement entry without request",
                Expect.ERROR,
                b -> fullUrl(b, first(b, MedicationStatement.class)).setRequest(null));
        for (Bundle.HTTPVerb verb : new Bundle.HTTPVerb[] {
            Bundle.HTTPVerb.PUT, Bundle.HTTPVerb.GET, Bundle.HTTPVerb.DELETE, Bundle.HTTPVerb.PATCH
        }) {
            extra(
                    "the Patient entry with method " + verb.toCode(),
                    Expect.EITHER,
                    b -> fullUrl(b, first(b, Patient.class)).getRequest().setMethod(verb));
        }
        extra(
                "the Patient entry with request.url Observation",
                Expect.EITHER,
                b -> fullUrl(b, first(b, Patient.class)).getRequest().setUrl("Observation"));
        extra(
                "the Patient entry as a conditional create",
                Expect.EITHER,
                b -> fullUrl(b, first(b, Patient.class))
                        .getRequest()
                        .setIfNoneExist("identifier=http://fhir.nl/fhir/NamingSystem/bsn|1"));
        for (Bundle.BundleType type : new Bundle.BundleType[] {
            Bundle.BundleType.BATCH,
            Bundle.BundleType.COLLECTION,
            Bundle.BundleType.DOCUMENT,
            Bundle.BundleType.SEARCHSET,
            Bundle.BundleType.TRANSACTIONRESPONSE
        }) {
            extra("Bundle.type " + type.toCode(), Expect.ERROR, b -> b.setType(type));
        }
        extra("Bundle.total on a transaction", Expect.ERROR, b -> b.setTotal(32));
        extra(
                "Bundle with a timestamp",
                Expect.CLEAN,
                b -> b.setTimestampElement(new InstantType("2026-01-12T10:30:00+01:00")));
        extra(
                "an entry with a search element",
                Expect.ERROR,
                b -> b.getEntryFirstRep().getSearch().setMode(Bundle.SearchEntryMode.MATCH));
        extra(
                "an entry with a response element",
                Expect.ERROR,
                b -> b.getEntryFirstRep().getResponse().setStatus("201 Created"));
        extra("an unrelated Condition without leefgebied", Expect.CLEAN, b -> {
            Condition diagnosis = new Condition();
            diagnosis.getCode().setText("CVA");
            diagnosis.setSubject(
                    new Reference(fullUrl(b, first(b, Patient.class)).getFullUrl()));
            b.addEntry()
                    .setFullUrl("urn:uuid:3f0e1c9a-8a55-4c43-9d55-6f1a1c0d7e21")
                    .setResource(diagnosis)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Condition");
        });
        extra(
                "an entry without resource",
                Expect.ERROR,
                b -> b.addEntry()
                        .setFullUrl("urn:uuid:0b6c1c0e-6c3e-4f43-9e0f-3d5f1f6c2a10")
                        .getRequest()
                        .setMethod(Bundle.HTTPVerb.POST)
                        .setUrl("Observation"));
        hostile();
    }

    /** The intake's hostile bodies that parse as a Bundle and are small enough to validate. */
    private void hostile() {
        for (HostileRequest hostile : HostileRequests.all(Requests::fresh)) {
            boolean json = hostile.contentType().equals(HostileRequests.JSON);
            if (!json || hostile.status() == 413 || hostile.contentEncoding().isPresent() || hostile.streamed()) {
                continue;
            }
            if (hostile.name().contains("exponent") || hostile.name().contains("extra entries")) {
                // refused by the intake before validation; here they would cost minutes (10,000 entries to
                // validate) or risk a billion-digit decimal (1e999999999) in FHIRPath's toString()
                continue;
            }
            String body = new String(hostile.body().get(), StandardCharsets.UTF_8);
            addJson(Category.EXTRA, "hostile: " + hostile.name(), Expect.EITHER, unused -> body);
        }
    }

    private void extra(String name, Expect expect, Consumer<Bundle> change) {
        add(Category.EXTRA, name, expect, null, change);
    }

    private static String withResourceField(String json, String resourceType, String field, JsonNode value) {
        return DifferentialPaths.editJson(json, root -> {
            for (JsonNode entry : root.path("entry")) {
                JsonNode resource = entry.path("resource");
                if (resourceType.equals(resource.path("resourceType").asText())) {
                    ((ObjectNode) resource).set(field, value);
                    return;
                }
            }
            throw new NothingToChange("no " + resourceType);
        });
    }

    // ---------------------------------------------------------------- 9 benign

    private void benign() {
        cases.add(new Case(Category.BENIGN, "the example unchanged", Expect.CLEAN, null, example::copy));
        try (Stream<Path> files = Files.list(profilesDir.resolve("examples"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                String json = Files.readString(file, StandardCharsets.UTF_8);
                addJson(Category.BENIGN, "example " + file.getFileName(), Expect.CLEAN, j -> json);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 1; i <= 3; i++) {
            fixture("Requests.fresh() #" + i, Requests::fresh);
        }
        fixture("TestBundles.valid()", TestBundles::valid);
        Random random = new Random(20260112L);
        for (int i = 1; i <= 4; i++) {
            String bsn = validBsn(random);
            add(
                    Category.BENIGN,
                    "another valid BSN #" + i,
                    Expect.CLEAN,
                    null,
                    b -> first(b, Patient.class).getIdentifierFirstRep().setValue(bsn));
        }
        otherCodes();
        droppedOptional();
        addedOptional();
    }

    private void fixture(String name, Supplier<Bundle> bundle) {
        Bundle made = bundle.get();
        accept(Category.BENIGN, name, Expect.CLEAN, null, made, made::copy);
    }

    /** Every code of the gateway's CodeSystems where the profiles do not fix the code. */
    private void otherCodes() {
        Set<String> fixedSystems = new HashSet<>();
        for (Profile profile : profiles) {
            for (ElementDefinition ed : profile.elements()) {
                if (ed.hasPattern()) {
                    for (Node n : DifferentialPaths.below(new Node(ed.getPattern(), null, null, "p", List.of()))) {
                        if (n.value() instanceof Coding c && c.hasCode()) {
                            fixedSystems.add(c.getSystem());
                        }
                    }
                    if (ed.getPattern() instanceof Coding c && c.hasCode()) {
                        fixedSystems.add(c.getSystem());
                    }
                }
            }
        }
        for (CodeSystem codeSystem : codeSystems()) {
            List<Node> positions = nodes.stream()
                    .filter(n ->
                            n.value() instanceof Coding c && codeSystem.getUrl().equals(c.getSystem()))
                    .toList();
            if (positions.isEmpty() || fixedSystems.contains(codeSystem.getUrl())) {
                continue;
            }
            List<CodeSystem.ConceptDefinitionComponent> concepts = codeSystem.getConcept();
            for (int i = 0; i < concepts.size(); i++) {
                CodeSystem.ConceptDefinitionComponent concept = concepts.get(i);
                Node position = positions.get(i % positions.size());
                add(
                        Category.BENIGN,
                        label(position) + " code " + concept.getCode() + " of " + codeSystem.getName(),
                        Expect.CLEAN,
                        null,
                        b -> ((Coding) DifferentialPaths.locate(b, position).value())
                                .setCode(concept.getCode())
                                .setDisplay(concept.getDisplay()));
            }
        }
        for (String code : List.of("eigen-kracht", "sociaal-netwerk", "voorliggend-veld", "betrokkenheid")) {
            add(Category.BENIGN, "the reden-samen-indiceren afweging coded " + code, Expect.CLEAN, null, b -> {
                Coding coding = afwegingCoding(b, "reden-samen-indiceren");
                coding.setCode(code).setDisplay(null);
            });
        }
        for (String code : List.of("01", "04", "14", "16", "82", "83", "84")) {
            add(
                    Category.BENIGN,
                    "Omvang 1 in eenheid " + code,
                    Expect.CLEAN,
                    null,
                    b -> omvang(b).setCode(code).setValue(1));
        }
    }

    private List<CodeSystem> codeSystems() {
        List<CodeSystem> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(profilesDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("CodeSystem-"))
                    .sorted()
                    .toList()) {
                all.add(ctx.newJsonParser()
                        .parseResource(CodeSystem.class, Files.readString(file, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** Each optional element of each profile that the example has, dropped at its first resource. */
    private void droppedOptional() {
        for (Profile profile : profiles) {
            List<Node> targets = targets(profile);
            if (targets.isEmpty()) {
                continue;
            }
            Node target = targets.get(0);
            for (ElementDefinition ed : profile.elements()) {
                if (ed.getMin() != 0 || !ed.getPath().contains(".") || requiresBelow(profile, ed)) {
                    continue;
                }
                if (DifferentialPaths.select(target, ed.getId(), profile).isEmpty()) {
                    continue;
                }
                add(
                        Category.BENIGN,
                        profile.name() + " optional " + ed.getId() + " dropped at " + target.path(),
                        Expect.CLEAN,
                        null,
                        b -> {
                            Node there = DifferentialPaths.locate(b, target);
                            for (Node n : DifferentialPaths.select(there, ed.getId(), profile)) {
                                n.parent().removeChild(n.property(), n.value());
                            }
                        });
            }
        }
    }

    /** Whether a required slice sits below the element (dropping it drops the slice). */
    private static boolean requiresBelow(Profile profile, ElementDefinition ed) {
        return profile.elements().stream().anyMatch(e -> e.getId().startsWith(ed.getId() + ":") && e.getMin() >= 1);
    }

    private void addedOptional() {
        benign(
                "Patient with a phone number",
                b -> first(b, Patient.class)
                        .addTelecom()
                        .setSystem(ContactPoint.ContactPointSystem.PHONE)
                        .setValue("0612345678"));
        benign(
                "Patient with an address",
                b -> first(b, Patient.class)
                        .addAddress()
                        .setCity("Enschede")
                        .setPostalCode("7511 AA")
                        .addLine("Oude Markt 1"));
        benign("Patient with a second given name", b -> patientName(b).addGiven("Jan"));
        benign(
                "Patient with a second, unofficial name",
                b -> first(b, Patient.class)
                        .addName()
                        .setUse(HumanName.NameUse.USUAL)
                        .setFamily("Vries"));
        benign(
                "Practitioner with a valid AGB",
                b -> first(b, Practitioner.class)
                        .addIdentifier()
                        .setSystem(TestBundles.AGB_SYSTEM)
                        .setValue("01234567"));
        benign("a Goal with a due date", b -> first(b, Goal.class).addTarget().setDue(new DateType("2026-12-31")));
        benign("CarePlan with a note", b -> first(b, CarePlan.class).addNote().setText("Evaluatie na een half jaar."));
        benign(
                "CarePlan with a period",
                b -> first(b, CarePlan.class).setPeriod(new Period().setStartElement(new DateTimeType("2026-02-01"))));
        benign(
                "Consent provision period without end",
                b -> first(b, Consent.class).getProvision().getPeriod().setEndElement(null));
        benign(
                "Consent form by url instead of data",
                b -> attachment(b)
                        .setData(null)
                        .setHash(null)
                        .setUrl("https://ehr.thuiszorg-voorbeeld.nl/formulieren/1"));
        benign("a request per day: 60 minutes", b -> {
            omvang(b).setValue(60);
            repeat(b).setPeriodUnit(Timing.UnitsOfTime.D);
        });
        benign("a request in total: no periodUnit, 99999999 euro", b -> {
            omvang(b).setValue(99_999_999).setCode("83");
            repeat(b).setPeriodElement(null).setPeriodUnitElement(null);
        });
        benign("a request without productcode and without Omvang", b -> {
            ServiceRequest request = first(b, ServiceRequest.class);
            request.getCode().getCoding().removeIf(c -> TestBundles.PRODUCTCODE.equals(c.getSystem()));
            request.setQuantity(null);
        });
        benign(
                "a productcode of exactly 5 characters",
                b -> first(b, ServiceRequest.class).getCode().getCoding().stream()
                        .filter(c -> TestBundles.PRODUCTCODE.equals(c.getSystem()))
                        .findFirst()
                        .orElseThrow()
                        .setCode("ABCDE"));
        benign("ZRM score 1", b -> first(b, Observation.class).setValue(new IntegerType(1)));
        benign("ZRM score 5", b -> first(b, Observation.class).setValue(new IntegerType(5)));
        benign("born 119 years ago", b -> birthDate(b, LocalDate.now().minusYears(119)));
        benign("born today", b -> birthDate(b, LocalDate.now()));
        benign("a given name of 200 characters", b -> {
            HumanName name = patientName(b);
            name.getGiven().clear();
            name.addGiven("H".repeat(200));
        });
        benign("a second ServiceRequest in the plan", b -> {
            ServiceRequest copy = first(b, ServiceRequest.class).copy();
            String fullUrl = "urn:uuid:5e1d2c3b-4a59-4e68-8f7a-6b5c4d3e2f10";
            b.addEntry()
                    .setFullUrl(fullUrl)
                    .setResource(copy)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("ServiceRequest");
            first(b, CarePlan.class).addActivity().setReference(new Reference(fullUrl));
        });
        benign(
                "a Condition with clinicalStatus active",
                b -> first(b, Condition.class)
                        .setClinicalStatus(new CodeableConcept(new Coding(
                                "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"))));
        benign(
                "an Observation with a note",
                b -> first(b, Observation.class).addNote().setText("Gescoord in het huisbezoek."));
        benign(
                "a Goal achievement in words",
                b -> first(b, Goal.class).getAchievementStatus().setText("in voortgang"));
    }

    private void benign(String name, Consumer<Bundle> change) {
        add(Category.BENIGN, name, Expect.CLEAN, null, change);
    }

    // ---------------------------------------------------------------- on Requests.fresh()

    /** A few breakers of each kind on {@link Requests#fresh()} plans rather than on the example. */
    private void onFreshPlans() {
        onFresh(
                Category.REQUIRED,
                "CarePlan.description removed",
                null,
                b -> first(b, CarePlan.class).setDescriptionElement(null));
        onFresh(
                Category.REQUIRED,
                "Patient.birthDate removed",
                null,
                b -> first(b, Patient.class).setBirthDateElement(null));
        onFresh(Category.INVARIANT, "a BSN with a wrong check digit", "wmo-bsn-1", b -> {
            Identifier bsn = first(b, Patient.class).getIdentifierFirstRep();
            String v = bsn.getValue();
            bsn.setValue(v.substring(0, 8) + (char) ('0' + (v.charAt(8) - '0' + 1) % 10));
        });
        onFresh(
                Category.INVARIANT,
                "100,000 minutes per week",
                "wmo-sr-5",
                b -> omvang(b).setValue(100_000));
        onFresh(Category.INVARIANT, "born in 2090", "wmo-pat-1", b -> birthDate(b, LocalDate.of(2090, 1, 1)));
        onFresh(
                Category.REFERENCE,
                "a dangling goal reference",
                null,
                b -> first(b, CarePlan.class)
                        .getGoalFirstRep()
                        .setReference("urn:uuid:00000000-0000-4000-8000-000000000000"));
        onFresh(
                Category.CODING,
                "an unknown leefgebied code",
                null,
                b -> first(b, Condition.class)
                        .getCategoryFirstRep()
                        .getCodingFirstRep()
                        .setCode("onbekend"));
        onFresh(
                Category.SLICE,
                "a second BSN",
                null,
                b -> first(b, Patient.class)
                        .addIdentifier()
                        .setSystem(TestBundles.BSN_SYSTEM)
                        .setValue(Requests.randomBsn()));
        onFresh(
                Category.EXTENSION,
                "the evaluatiedatum on the Patient",
                null,
                b -> first(b, Patient.class).addExtension(new Extension(EVALUATIEDATUM, new DateType("2027-02-01"))));
        onFresh(
                Category.PRIMITIVE,
                "Task.authoredOn without timezone",
                null,
                b -> first(b, Task.class).setAuthoredOnElement(new DateTimeType("2026-03-02T10:15:00")));
        onFresh(Category.EXTRA, "Bundle.type batch", null, b -> b.setType(Bundle.BundleType.BATCH));
    }

    private void onFresh(Category category, String name, String invariant, Consumer<Bundle> change) {
        Bundle bundle = Requests.fresh();
        change.accept(bundle);
        accept(category, "Requests.fresh() " + name, Expect.ERROR, invariant, bundle, bundle::copy);
    }

    // ---------------------------------------------------------------- keeping cases

    private void add(Category category, String name, Expect expect, String invariant, Consumer<Bundle> change) {
        Bundle bundle = example.copy();
        try {
            change.accept(bundle);
        } catch (NothingToChange e) {
            count(repeated, category);
            return;
        }
        accept(category, name, expect, invariant, bundle, bundle::copy);
    }

    private void addJson(Category category, String name, Expect expect, UnaryOperator<String> change) {
        addJson(category, name, expect, exampleJson, change);
    }

    private void addJson(Category category, String name, Expect expect, String base, UnaryOperator<String> change) {
        String json;
        try {
            json = change.apply(base);
        } catch (NothingToChange e) {
            count(repeated, category);
            return;
        }
        Optional<Parsed> parsed = DifferentialPaths.parse(json);
        if (parsed.isEmpty()) {
            count(unparseable, category);
            return;
        }
        boolean lenient = parsed.get().lenient();
        accept(
                category,
                name + (lenient ? " [lenient parse]" : ""),
                expect,
                null,
                parsed.get().bundle(),
                () -> DifferentialPaths.parse(json, lenient));
    }

    private void accept(
            Category category, String name, Expect expect, String invariant, Bundle bundle, Supplier<Bundle> fresh) {
        String json;
        try {
            json = DifferentialPaths.encode(bundle);
        } catch (RuntimeException e) {
            // HAPI cannot write it (an extension with both a value and extensions): kept, HAPI will say why
            json = "unencodable " + name;
        }
        if (!seenJson.add(json)) {
            count(repeated, category);
            return;
        }
        String unique = name;
        for (int n = 2; !names.add(unique); n++) {
            unique = name + " #" + n;
        }
        cases.add(new Case(category, unique, expect, invariant, fresh));
        if (invariant != null) {
            breakers.computeIfAbsent(invariant, k -> new ArrayList<>()).add(unique);
        }
    }

    private static void count(Map<Category, Integer> counts, Category category) {
        counts.merge(category, 1, Integer::sum);
    }

    /**
     * Whether this is the first position of its shape (profile, path without indices, and what else
     * distinguishes it) for this kind of case; always true in full mode.
     */
    private boolean once(String kind, Node node, String distinguishing) {
        String key = kind + "|" + owner(node) + "|" + node.shape().replaceFirst("^Bundle\\.entry\\.resource", "") + "|"
                + distinguishing;
        return shapes.add(key) || full;
    }

    /** Whether this key is new; always true in full mode. */
    private boolean onceKey(String key) {
        return shapes.add(key) || full;
    }

    /** The profile (or resource type) of the node's resource. */
    private String owner(Node node) {
        if (node.entry() < 0) {
            return "wmo-request-bundle";
        }
        String profile = profileOfEntry.get(node.entry());
        return profile != null
                ? profile.substring(profile.lastIndexOf('/') + 1)
                : example.getEntry().get(node.entry()).getResource().fhirType();
    }

    /** {@code wmo-patient[1] identifier[0].value}: profile, entry, path in the resource. */
    private String label(Node node) {
        return node.entry() < 0 ? node.path() : owner(node) + "[" + node.entry() + "] " + node.inResource();
    }

    // ---------------------------------------------------------------- the example's parts

    private static <T extends Resource> T first(Bundle b, Class<T> type) {
        return b.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElseThrow(() -> new NothingToChange("no " + type.getSimpleName()));
    }

    private static int entryIndex(Bundle b, Class<? extends Resource> type, int nth) {
        int seen = 0;
        for (int i = 0; i < b.getEntry().size(); i++) {
            if (type.isInstance(b.getEntry().get(i).getResource()) && seen++ == nth) {
                return i;
            }
        }
        throw new NothingToChange("no " + type.getSimpleName() + " #" + nth);
    }

    private static List<ServiceRequest> serviceRequests(Bundle b) {
        return b.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(ServiceRequest.class::isInstance)
                .map(ServiceRequest.class::cast)
                .toList();
    }

    private static Bundle.BundleEntryComponent fullUrl(Bundle b, Resource resource) {
        return b.getEntry().stream()
                .filter(e -> e.getResource() == resource)
                .findFirst()
                .orElseThrow();
    }

    private static void rereference(Bundle b, Resource resource, String to) {
        Bundle.BundleEntryComponent entry = fullUrl(b, resource);
        String from = entry.getFullUrl();
        entry.setFullUrl(to);
        for (Node node : DifferentialPaths.ofType(b, Reference.class)) {
            Reference reference = (Reference) node.value();
            if (from.equals(reference.getReference())) {
                reference.setReference(to);
            }
        }
    }

    private static HumanName patientName(Bundle b) {
        return first(b, Patient.class).getNameFirstRep();
    }

    private static void birthDate(Bundle b, LocalDate date) {
        first(b, Patient.class).setBirthDateElement(new DateType(date.toString()));
    }

    /** The Omvang of the first maatwerkvoorziening. */
    private static Quantity omvang(Bundle b) {
        return first(b, ServiceRequest.class).getQuantityQuantity();
    }

    private static Timing.TimingRepeatComponent repeat(Bundle b) {
        return first(b, ServiceRequest.class).getOccurrenceTiming().getRepeat();
    }

    private static Attachment attachment(Bundle b) {
        return first(b, Consent.class).getSourceAttachment();
    }

    private static Coding afwegingCoding(Bundle b) {
        return afwegingCoding(b, "eigen-kracht");
    }

    private static Coding afwegingCoding(Bundle b, String code) {
        return b.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Observation.class::isInstance)
                .flatMap(r -> ((Observation) r).getCode().getCoding().stream())
                .filter(c -> code.equals(c.getCode()))
                .findFirst()
                .orElseThrow(() -> new NothingToChange("no afweging " + code));
    }

    private static String digits(int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append((char) ('1' + i % 9));
        }
        return sb.toString();
    }

    /** A BSN that passes the 11-proef, from the given random source. */
    private static String validBsn(Random random) {
        while (true) {
            int[] d = new int[9];
            int sum = 0;
            for (int i = 0; i < 8; i++) {
                d[i] = i == 0 ? 1 + random.nextInt(9) : random.nextInt(10);
                sum += (9 - i) * d[i];
            }
            int last = sum % 11;
            if (last <= 9) {
                d[8] = last;
                StringBuilder sb = new StringBuilder();
                for (int x : d) {
                    sb.append(x);
                }
                return sb.toString();
            }
        }
    }
}
