package nl.wmogateway.fhir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * A submitted Wmo request: the parsed transaction {@link Bundle} with its references resolved, seen
 * from its one {@link Task}. Create one with {@link #of(Bundle)}, which either returns a PlanBundle or
 * the structural {@link Finding}s that prevent reading the Bundle as a plan (not a transaction, no or
 * several Tasks, Task.focus not a CarePlan in the Bundle, a reference that does not resolve, ...).
 *
 * <p>Only the resources reachable from the Task belong to the plan ({@link #referencedByPlan()}):
 * everything else in the Bundle (medication, unrelated diagnoses) is accepted but must never be
 * forwarded. All typed accessors return resources from that set only, except {@link #consents()},
 * which returns every Consent so the consent gate can explain why a Consent does not apply.
 *
 * <p>Locations are FHIRPath expressions rooted at the Bundle, e.g. {@code Bundle.entry[3].resource}
 * ({@link #pathOf(Resource)}), so that findings point into the Bundle exactly as the EHR sent it.
 *
 * <p>A PlanBundle does not copy the Bundle: do not change the Bundle while using it.
 */
public final class PlanBundle {

    public static final String BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn";
    public static final String AGB_SYSTEM = "http://fhir.nl/fhir/NamingSystem/agb-z";
    public static final String URA_SYSTEM = "http://fhir.nl/fhir/NamingSystem/ura";
    public static final String BIG_SYSTEM = "http://fhir.nl/fhir/NamingSystem/big";
    public static final String UZI_SYSTEM = "http://fhir.nl/fhir/NamingSystem/uzi-nr-pers";
    public static final String GEMEENTECODE_SYSTEM = "https://wmo-gateway.nl/fhir/NamingSystem/cbs-gemeentecode";
    public static final String PLAN_ONDERDEEL_SYSTEM = "https://wmo-gateway.nl/fhir/CodeSystem/plan-onderdeel";

    /**
     * The resource types an ondersteuningsplan consists of. References to other types are never
     * followed, so e.g. a MedicationStatement stays out of the plan even when a Condition points at it.
     */
    private static final Set<String> PLAN_TYPES = Set.of(
            "Task",
            "CarePlan",
            "Patient",
            "Organization",
            "Practitioner",
            "PractitionerRole",
            "RelatedPerson",
            "Condition",
            "Observation",
            "Goal",
            "ServiceRequest",
            "Consent");

    private final Bundle bundle;
    private final Map<Resource, Integer> indexOf;
    private final Map<String, Resource> byFullUrl;
    private final Task task;
    private final CarePlan carePlan;
    private final Patient patient;
    private final Set<Resource> referencedByPlan;

    /**
     * What reading a Bundle as a plan gave: the plan, or the structural findings (never both).
     *
     * @param plan     the plan when the Bundle is structurally sound
     * @param findings the structural problems, each an ERROR located in the Bundle; empty when
     *                 {@code plan} is present
     */
    public record Result(Optional<PlanBundle> plan, List<Finding> findings) {

        public Result {
            findings = List.copyOf(findings);
        }

        /** True when the Bundle can be read as a plan. */
        public boolean isPlan() {
            return plan.isPresent();
        }
    }

    private PlanBundle(
            Bundle bundle,
            Map<Resource, Integer> indexOf,
            Map<String, Resource> byFullUrl,
            Task task,
            CarePlan carePlan,
            Patient patient,
            Set<Resource> referencedByPlan) {
        this.bundle = bundle;
        this.indexOf = indexOf;
        this.byFullUrl = byFullUrl;
        this.task = task;
        this.carePlan = carePlan;
        this.patient = patient;
        this.referencedByPlan = Collections.unmodifiableSet(referencedByPlan);
    }

    /**
     * Reads a parsed Bundle as a Wmo request. Reports every structural problem it can find at once,
     * so the EHR developer can fix them in one round.
     */
    public static Result of(Bundle bundle) {
        Objects.requireNonNull(bundle, "bundle");
        List<Finding> findings = new ArrayList<>();
        Map<Resource, Integer> indexOf = new IdentityHashMap<>();
        Map<String, Resource> byFullUrl = new HashMap<>();

        if (bundle.getType() != Bundle.BundleType.TRANSACTION) {
            findings.add(Finding.error(
                    "invalid",
                    "Bundle.type is '" + (bundle.hasType() ? bundle.getType().toCode() : "")
                            + "', but a Wmo request is a Bundle of type 'transaction'",
                    "Bundle.type"));
        }
        List<Bundle.BundleEntryComponent> entries = bundle.getEntry();
        for (int i = 0; i < entries.size(); i++) {
            Bundle.BundleEntryComponent entry = entries.get(i);
            if (entry.hasResource()) {
                indexOf.put(entry.getResource(), i);
            }
            if (entry.hasFullUrl() && entry.hasResource()) {
                Resource earlier = byFullUrl.putIfAbsent(entry.getFullUrl(), entry.getResource());
                if (earlier != null) {
                    findings.add(Finding.error(
                            "invalid",
                            "fullUrl '" + entry.getFullUrl() + "' is also used by " + "Bundle.entry["
                                    + indexOf.get(earlier) + "]: every entry needs its own fullUrl",
                            "Bundle.entry[" + i + "].fullUrl"));
                }
            }
        }

        checkReferenceGraph(entries, new Resolver(bundle, indexOf, byFullUrl), findings);

        List<Task> tasks = entries.stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Task.class::isInstance)
                .map(Task.class::cast)
                .toList();
        if (tasks.isEmpty()) {
            findings.add(Finding.error(
                    "required",
                    "the Bundle holds no Task: a Wmo request is one Task (code wmo-taak#wmo-aanvraag) whose focus is the CarePlan",
                    "Bundle.entry"));
            return new Result(Optional.empty(), findings);
        }
        if (tasks.size() > 1) {
            String where = tasks.stream()
                    .map(t -> "Bundle.entry[" + indexOf.get(t) + "].resource")
                    .collect(Collectors.joining(", "));
            for (Task t : tasks) {
                findings.add(Finding.error(
                        "invalid",
                        "the Bundle holds " + tasks.size() + " Tasks (" + where
                                + "): submit exactly one Task per Wmo request",
                        "Bundle.entry[" + indexOf.get(t) + "].resource"));
            }
            return new Result(Optional.empty(), findings);
        }

        Resolver resolver = new Resolver(bundle, indexOf, byFullUrl);
        Task task = tasks.get(0);
        String taskPath = "Bundle.entry[" + indexOf.get(task) + "].resource";

        Optional<CarePlan> carePlan = requireTarget(
                resolver,
                task.getFocus(),
                CarePlan.class,
                taskPath + ".focus",
                "Task.focus must reference the CarePlan (the ondersteuningsplan) in the Bundle",
                findings);
        Optional<Patient> patient = requireTarget(
                resolver,
                task.getFor(),
                Patient.class,
                taskPath + ".for",
                "Task.for must reference the client's Patient in the Bundle",
                findings);
        if (task.getOwner().hasReference()) {
            Optional<Resource> owner = resolver.resolve(task.getOwner());
            if (owner.isPresent() && !(owner.get() instanceof Organization)) {
                findings.add(Finding.error(
                        "invalid",
                        "Task.owner references a " + owner.get().fhirType()
                                + ", but must reference the gemeente Organization",
                        taskPath + ".owner"));
            }
        }

        Set<Resource> reachable = new LinkedHashSet<>();
        Deque<Resource> queue = new ArrayDeque<>();
        reachable.add(task);
        queue.add(task);
        drain(queue, reachable, resolver, findings);
        if (patient.isPresent()) {
            // Consents and mantelzorgers are about the client, not referenced from the Task or CarePlan.
            for (Bundle.BundleEntryComponent entry : entries) {
                Resource r = entry.getResource();
                Reference about = r instanceof Consent c
                        ? c.getPatient()
                        : r instanceof RelatedPerson rp ? rp.getPatient() : null;
                if (about != null && resolver.resolve(about).orElse(null) == patient.get() && reachable.add(r)) {
                    queue.add(r);
                }
            }
            drain(queue, reachable, resolver, findings);
        }

        if (!findings.isEmpty() || carePlan.isEmpty() || patient.isEmpty()) {
            return new Result(Optional.empty(), findings);
        }
        PlanBundle plan = new PlanBundle(bundle, indexOf, byFullUrl, task, carePlan.get(), patient.get(), reachable);
        if (plan.gemeentecode().isEmpty()) {
            findings.add(Finding.error(
                    "required",
                    "Task.owner identifies no gemeente: reference the gemeente "
                            + "Organization with an identifier of system " + GEMEENTECODE_SYSTEM
                            + ", or give owner.identifier with that system",
                    taskPath + ".owner"));
            return new Result(Optional.empty(), findings);
        }
        return new Result(Optional.of(plan), List.of());
    }

    /**
     * The references that make resources part of, or derived from, one another. Along them the
     * resources of a request must form a hierarchy: a CarePlan part of itself, or Observations that
     * are members of each other, cannot be mapped (or rendered) by anyone.
     */
    private static final Set<String> HIERARCHY = Set.of("partOf", "basedOn", "replaces", "hasMember", "derivedFrom");

    /**
     * No resource refers to itself, and no chain of {@link #HIERARCHY} references leads back to where it
     * started. Each problem is reported at the reference that closes it.
     */
    private static void checkReferenceGraph(
            List<Bundle.BundleEntryComponent> entries, Resolver resolver, List<Finding> findings) {
        Map<Resource, List<Map.Entry<Resource, String>>> edges = new IdentityHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Resource from = entries.get(i).getResource();
            if (from == null) {
                continue;
            }
            forEachReference(
                    from,
                    "Bundle.entry[" + i + "].resource",
                    (ref, refPath) -> resolver.resolve(ref).ifPresent(to -> {
                        String element =
                                refPath.substring(refPath.lastIndexOf('.') + 1).replaceFirst("\\[\\d+]$", "");
                        if (to == from) {
                            findings.add(Finding.error(
                                    "invalid",
                                    "the " + from.fhirType() + " refers to itself (" + element
                                            + "); a resource cannot be related to itself",
                                    refPath));
                        } else if (HIERARCHY.contains(element)) {
                            edges.computeIfAbsent(from, k -> new ArrayList<>()).add(Map.entry(to, refPath));
                        }
                    }));
        }
        // depth-first, without recursion: a reference to a resource still on the path closes a cycle
        Map<Resource, Boolean> done = new IdentityHashMap<>();
        for (Resource start : edges.keySet()) {
            if (done.containsKey(start)) {
                continue;
            }
            Deque<Resource> path = new ArrayDeque<>();
            Deque<Iterator<Map.Entry<Resource, String>>> next = new ArrayDeque<>();
            Set<Resource> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
            path.push(start);
            onPath.add(start);
            next.push(edges.getOrDefault(start, List.of()).iterator());
            while (!path.isEmpty()) {
                if (!next.peek().hasNext()) {
                    done.put(path.peek(), true);
                    onPath.remove(path.pop());
                    next.pop();
                    continue;
                }
                Map.Entry<Resource, String> edge = next.peek().next();
                Resource to = edge.getKey();
                if (onPath.contains(to)) {
                    String element = edge.getValue()
                            .substring(edge.getValue().lastIndexOf('.') + 1)
                            .replaceFirst("\\[\\d+]$", "");
                    findings.add(Finding.error(
                            "invalid",
                            "this reference (" + element + ") closes a cycle: "
                                    + describeCycle(path, to, resolver)
                                    + "; resources that are part of or derived from one "
                                    + "another must form a hierarchy",
                            edge.getValue()));
                } else if (!done.containsKey(to)) {
                    path.push(to);
                    onPath.add(to);
                    next.push(edges.getOrDefault(to, List.of()).iterator());
                }
            }
        }
    }

    /** "Bundle.entry[5] → Bundle.entry[6] → Bundle.entry[5]", from the cycle's start to where it closes. */
    private static String describeCycle(Deque<Resource> path, Resource closesAt, Resolver resolver) {
        List<Resource> cycle = new ArrayList<>();
        for (Iterator<Resource> it = path.descendingIterator(); it.hasNext(); ) {
            Resource r = it.next();
            if (r == closesAt || !cycle.isEmpty()) {
                cycle.add(r);
            }
        }
        cycle.add(closesAt);
        return cycle.stream()
                .map(r -> r.fhirType() + " Bundle.entry[" + resolver.indexOf().get(r) + "]")
                .collect(Collectors.joining(" → "));
    }

    private static <T extends Resource> Optional<T> requireTarget(
            Resolver resolver, Reference ref, Class<T> type, String path, String requirement, List<Finding> findings) {
        if (!ref.hasReference() && ref.getResource() == null) {
            findings.add(Finding.error("required", requirement, path));
            return Optional.empty();
        }
        Optional<Resource> target = resolver.resolve(ref);
        if (target.isEmpty()) {
            if (!reportedAsDangling(ref)) {
                findings.add(Finding.error(
                        "not-found",
                        requirement + "; '" + ref.getReference() + "' does not resolve to a resource in the Bundle",
                        path));
            }
            return Optional.empty();
        }
        if (!type.isInstance(target.get())) {
            findings.add(Finding.error(
                    "invalid", requirement + "; it references a " + target.get().fhirType(), path));
            return Optional.empty();
        }
        return Optional.of(type.cast(target.get()));
    }

    private static void drain(
            Deque<Resource> queue, Set<Resource> reachable, Resolver resolver, List<Finding> findings) {
        while (!queue.isEmpty()) {
            Resource from = queue.poll();
            String path = "Bundle.entry[" + resolver.indexOf.get(from) + "].resource";
            forEachReference(from, path, (ref, refPath) -> {
                if (!reportedAsDangling(ref)) {
                    if (ref.getResource() instanceof Resource r
                            && resolver.indexOf.containsKey(r)
                            && PLAN_TYPES.contains(r.fhirType())
                            && reachable.add(r)) {
                        queue.add(r);
                    }
                    return;
                }
                Optional<Resource> target = resolver.resolve(ref);
                if (target.isEmpty()) {
                    findings.add(Finding.error(
                            "not-found",
                            "reference '" + ref.getReference()
                                    + "' does not resolve to a resource in the Bundle: include that resource with this "
                                    + "fullUrl, or refer to it by identifier only",
                            refPath + ".reference"));
                } else if (PLAN_TYPES.contains(target.get().fhirType()) && reachable.add(target.get())) {
                    queue.add(target.get());
                }
            });
        }
    }

    /**
     * Whether an unresolvable reference counts as dangling: only literal references to types the plan
     * consists of (or of unknown type, as {@code urn:uuid:}) must resolve; a reference to, say, a
     * Medication the EHR left out is harmless because it is never followed.
     */
    private static boolean reportedAsDangling(Reference ref) {
        return ref.hasReference()
                && !ref.getReference().startsWith("#")
                && targetType(ref).map(PLAN_TYPES::contains).orElse(true);
    }

    private static Optional<String> targetType(Reference ref) {
        if (ref.hasType()) {
            return Optional.of(ref.getType());
        }
        String value = ref.getReference();
        if (value.startsWith("urn:")) {
            return Optional.empty();
        }
        String[] parts = stripHistory(value).split("/");
        return parts.length >= 2 ? Optional.of(parts[parts.length - 2]) : Optional.empty();
    }

    /** Calls {@code action} for every Reference in the resource, with its FHIRPath location. */
    private static void forEachReference(Base element, String path, BiConsumer<Reference, String> action) {
        for (Property property : element.children()) {
            if (!property.hasValues() || property.getName().equals("contained")) {
                continue;
            }
            String name = property.getName().replace("[x]", "");
            List<Base> values = property.getValues();
            for (int i = 0; i < values.size(); i++) {
                Base value = values.get(i);
                String childPath = path + "." + name + (property.getMaxCardinality() > 1 ? "[" + i + "]" : "");
                if (value instanceof Reference ref) {
                    action.accept(ref, childPath);
                } else if (!value.isPrimitive()) {
                    forEachReference(value, childPath, action);
                }
            }
        }
    }

    private static String stripHistory(String reference) {
        int history = reference.indexOf("/_history/");
        return history < 0 ? reference : reference.substring(0, history);
    }

    /** Resolves references against the entries of one Bundle. */
    private record Resolver(Bundle bundle, Map<Resource, Integer> indexOf, Map<String, Resource> byFullUrl) {

        Optional<Resource> resolve(Reference ref) {
            if (ref.getResource() instanceof Resource r && indexOf.containsKey(r)) {
                return Optional.of(r);
            }
            if (!ref.hasReference()) {
                return Optional.empty();
            }
            String value = stripHistory(ref.getReference());
            Resource exact = byFullUrl.get(value);
            if (exact != null) {
                return Optional.of(exact);
            }
            if (value.startsWith("urn:") || value.startsWith("#")) {
                return Optional.empty();
            }
            String[] parts = value.split("/");
            if (parts.length < 2) {
                return Optional.empty();
            }
            String type = parts[parts.length - 2];
            String id = parts[parts.length - 1];
            boolean absolute = value.contains("://");
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Resource r = entry.getResource();
                if (r == null || !r.fhirType().equals(type)) {
                    continue;
                }
                // A relative reference resolves against the entry's fullUrl or, lacking that, its logical id.
                boolean fullUrlMatches =
                        !absolute && entry.hasFullUrl() && entry.getFullUrl().endsWith("/" + type + "/" + id);
                boolean idMatches = !absolute
                        && r.hasIdElement()
                        && !r.getIdElement().isUrn()
                        && id.equals(r.getIdElement().getIdPart());
                if (fullUrlMatches || idMatches) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- the plan

    /** The Bundle as received. */
    public Bundle bundle() {
        return bundle;
    }

    /** The request's Task. */
    public Task task() {
        return task;
    }

    /** The ondersteuningsplan: the CarePlan that Task.focus references. */
    public CarePlan carePlan() {
        return carePlan;
    }

    /** The client: the Patient that Task.for references. */
    public Patient patient() {
        return patient;
    }

    /** The Bundle.identifier as {@code system|value}, the idempotency key, when both are given. */
    public Optional<String> bundleIdentifier() {
        Identifier id = bundle.getIdentifier();
        return id.hasSystem() && id.hasValue() ? Optional.of(id.getSystem() + "|" + id.getValue()) : Optional.empty();
    }

    /** The gemeente Organization that Task.owner references; empty when owner is a logical reference. */
    public Optional<Organization> gemeente() {
        return resolve(task.getOwner(), Organization.class);
    }

    /**
     * The addressed gemeente's CBS gemeentecode: from the gemeente Organization's identifier, or from
     * Task.owner.identifier when owner is a logical reference.
     */
    public Optional<String> gemeentecode() {
        return gemeente()
                .flatMap(o -> identifier(o.getIdentifier(), GEMEENTECODE_SYSTEM))
                .or(() -> identifier(task.getOwner(), GEMEENTECODE_SYSTEM));
    }

    /** The PractitionerRole that Task.requester references, when it is one. */
    public Optional<PractitionerRole> practitionerRole() {
        return resolve(task.getRequester(), PractitionerRole.class);
    }

    /** The professional: PractitionerRole.practitioner, or Task.requester when that is a Practitioner. */
    public Optional<Practitioner> practitioner() {
        return practitionerRole()
                .flatMap(role -> resolve(role.getPractitioner(), Practitioner.class))
                .or(() -> resolve(task.getRequester(), Practitioner.class));
    }

    /** The care organisation: PractitionerRole.organization, or Task.requester when that is an Organization. */
    public Optional<Organization> zorgorganisatie() {
        return practitionerRole()
                .flatMap(role -> resolve(role.getOrganization(), Organization.class))
                .or(() -> resolve(task.getRequester(), Organization.class));
    }

    /**
     * The care organisation's AGB code: from the zorgorganisatie Organization, or from the logical
     * reference PractitionerRole.organization.identifier (or Task.requester.identifier).
     */
    public Optional<String> zorgorganisatieAgb() {
        return zorgorganisatie()
                .flatMap(o -> identifier(o.getIdentifier(), AGB_SYSTEM))
                .or(() -> practitionerRole().flatMap(role -> identifier(role.getOrganization(), AGB_SYSTEM)))
                .or(() -> identifier(task.getRequester(), AGB_SYSTEM));
    }

    /** The client's BSN from Patient.identifier. */
    public Optional<String> bsn() {
        return identifier(patient.getIdentifier(), BSN_SYSTEM);
    }

    /** The requested maatwerkvoorzieningen: the ServiceRequests of CarePlan.activity.reference, in activity order. */
    public List<ServiceRequest> serviceRequests() {
        return carePlan.getActivity().stream()
                .map(activity -> resolve(activity.getReference(), ServiceRequest.class))
                .flatMap(Optional::stream)
                .distinct()
                .toList();
    }

    /** The limitations: the Conditions the CarePlan references (addresses, supportingInfo). */
    public List<Condition> conditions() {
        return referencedByCarePlan(Condition.class);
    }

    /** The Observations the CarePlan references (ZRM scores, step 4 and Samen-indiceren statements). */
    public List<Observation> observations() {
        return referencedByCarePlan(Observation.class);
    }

    /** The CarePlan's Observations with code {@code plan-onderdeel#<code>}, in CarePlan order. */
    public List<Observation> observations(String planOnderdeelCode) {
        return observations().stream()
                .filter(o -> hasCoding(o.getCode(), PLAN_ONDERDEEL_SYSTEM, planOnderdeelCode))
                .toList();
    }

    /** The first of {@link #observations(String)}. */
    public Optional<Observation> observation(String planOnderdeelCode) {
        return observations(planOnderdeelCode).stream().findFirst();
    }

    /** The support needs: the Goals the CarePlan references. */
    public List<Goal> goals() {
        return referencedByCarePlan(Goal.class);
    }

    /** The informal carers: RelatedPersons of the plan (about the client, or referenced by the plan). */
    public List<RelatedPerson> relatedPersons() {
        return inPlan(RelatedPerson.class);
    }

    /** Every Consent in the Bundle, whoever it is about: the consent gate decides which one applies. */
    public List<Consent> consents() {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Consent.class::isInstance)
                .map(Consent.class::cast)
                .toList();
    }

    /**
     * The resources that make up the plan: the Task and what is reachable from it over references
     * (CarePlan and what it references, ServiceRequests, Patient, Practitioner and role,
     * Organizations), plus the Consents and RelatedPersons about the client. Only resources of the
     * types an ondersteuningsplan consists of are included. Nothing outside this set may leave the
     * gateway.
     */
    public Set<Resource> referencedByPlan() {
        return referencedByPlan;
    }

    /** {@code Bundle.entry[i].resource} for a resource of this Bundle, for use in FHIRPath expressions. */
    public String pathOf(Resource resource) {
        Integer index = indexOf.get(resource);
        if (index == null) {
            throw new IllegalArgumentException(resource.fhirType() + " is not an entry of this Bundle");
        }
        return "Bundle.entry[" + index + "].resource";
    }

    /** The fullUrl of a resource of this Bundle, when the entry has one. */
    public Optional<String> fullUrlOf(Resource resource) {
        Integer index = indexOf.get(resource);
        return index == null
                ? Optional.empty()
                : Optional.ofNullable(bundle.getEntry().get(index).getFullUrl());
    }

    /** Resolves a reference to a resource of this Bundle ({@code urn:uuid:}, absolute or relative {@code Type/id}). */
    public Optional<Resource> resolve(Reference reference) {
        return new Resolver(bundle, indexOf, byFullUrl).resolve(reference);
    }

    /** Resolves a reference to a resource of this Bundle of the given type. */
    public <T extends Resource> Optional<T> resolve(Reference reference, Class<T> type) {
        return resolve(reference).filter(type::isInstance).map(type::cast);
    }

    // ---------------------------------------------------------------- small FHIR helpers

    /** The value of the first identifier with the given system. */
    public static Optional<String> identifier(List<Identifier> identifiers, String system) {
        return identifiers.stream()
                .filter(i -> system.equals(i.getSystem()) && i.hasValue())
                .map(Identifier::getValue)
                .findFirst();
    }

    /** The value of a reference's logical identifier when it has the given system. */
    public static Optional<String> identifier(Reference reference, String system) {
        return reference.hasIdentifier() ? identifier(List.of(reference.getIdentifier()), system) : Optional.empty();
    }

    /** True when the concept has a coding with this system and code. */
    public static boolean hasCoding(CodeableConcept concept, String system, String code) {
        return concept.getCoding().stream().anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    /** The code of the first coding with this system in any of the concepts. */
    public static Optional<String> code(List<CodeableConcept> concepts, String system) {
        return concepts.stream()
                .flatMap(c -> c.getCoding().stream())
                .filter(c -> system.equals(c.getSystem()) && c.hasCode())
                .map(Coding::getCode)
                .findFirst();
    }

    private <T extends Resource> List<T> referencedByCarePlan(Class<T> type) {
        Map<Resource, Boolean> found = new LinkedHashMap<>();
        forEachReference(carePlan, "", (ref, path) -> resolve(ref, type).ifPresent(r -> found.put(r, true)));
        return found.keySet().stream().map(type::cast).toList();
    }

    private <T extends Resource> List<T> inPlan(Class<T> type) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance)
                .filter(referencedByPlan::contains)
                .map(type::cast)
                .toList();
    }
}
