package nl.wmogateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BackboneType;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ResourceType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a submitted Wmo request (a FHIR R4 transaction Bundle) against the gateway's own
 * profiles in {@code profiles/} (see {@code profiles/README.md}), fully offline.
 *
 * <p>The constructor loads every {@code *.json} directly in the profiles folder (StructureDefinitions,
 * CodeSystems, ValueSets; other conformance resources such as the NamingSystem are parsed but only
 * serve as documentation) and builds one validation support chain and one {@link FhirValidator}. It
 * fails fast, naming the file, when a file is not valid FHIR JSON. Building takes a second or two;
 * the first validation loads the FHIR core definitions and generates the snapshots of the
 * differential-only profiles and takes several seconds more, so call {@link #warmUp()} once before
 * reporting ready.
 *
 * <p>{@link #validate(Bundle)} works on a copy of the Bundle: it assigns our profiles to the resources
 * that belong to the request (see {@link #assignProfiles(Bundle)}), validates the whole Bundle against
 * {@code wmo-request-bundle} and returns the errors and warnings as {@link Finding}s; informational
 * messages are dropped. Instances are thread-safe and meant to be shared (one per application).
 */
public final class ProfileValidator {

    /** Canonical base of the gateway's StructureDefinitions. */
    public static final String PROFILE_BASE = "https://wmo-gateway.nl/fhir/StructureDefinition/";
    /** The profile the whole Bundle is validated against. */
    public static final String BUNDLE_PROFILE = PROFILE_BASE + "wmo-request-bundle";

    static final String GEMEENTECODE_SYSTEM = "https://wmo-gateway.nl/fhir/NamingSystem/cbs-gemeentecode";
    static final String PLAN_ONDERDEEL_SYSTEM = "https://wmo-gateway.nl/fhir/CodeSystem/plan-onderdeel";

    private static final Logger LOG = LoggerFactory.getLogger(ProfileValidator.class);

    private static final Map<ResourceType, String> PROFILE_BY_TYPE = profilesByType();

    /** Resource types that start the request: they and everything they reference get our profiles. */
    private static final Set<ResourceType> ROOT_TYPES =
            Set.of(ResourceType.Task, ResourceType.CarePlan, ResourceType.Consent, ResourceType.RelatedPerson);

    /** HAPI marks the resource type inside locations with a comment: <code>Bundle.entry[1].resource/*Patient/null*&#47;</code>. */
    private static final Pattern LOCATION_COMMENT = Pattern.compile("/\\*.*?\\*/");

    /** HAPI's id for a urn:uuid reference that no entry of the Bundle resolves (a warning by default). */
    private static final String UNRESOLVED_URN_REFERENCE = "Bundle_BUNDLE_Not_Local";

    /** "CarePlan.description: minimum required = 1, but only found 0 (from ...)". */
    private static final Pattern MINIMUM_MESSAGE =
            Pattern.compile("^([A-Z][A-Za-z]*(?:\\.[A-Za-z\\[\\]:\\-]+)+): minimum required");

    private final FhirContext ctx;
    private final Path profilesDir;
    private final FhirValidator validator;
    private final WorkerContextValidationSupportAdapter workerContext;
    private final List<String> profileUrls;
    private final ValidationSupportChain chain;
    private volatile boolean fastPathEnabled = true;
    private volatile double shadowSample;
    private final LongAdder answered = new LongAdder();
    private final LongAdder deferred = new LongAdder();
    private final LongAdder shadowSame = new LongAdder();
    private final LongAdder shadowDifferent = new LongAdder();
    /** Built with the snapshots; see {@link FastPath}. */
    private FastPath fastPath;
    /** Set once the snapshots of all our profiles exist; snapshot generation itself is not thread-safe. */
    private volatile boolean snapshotsGenerated;

    /**
     * Loads the profiles and builds the validator.
     *
     * @param ctx         an R4 context (share the application's one; it is thread-safe)
     * @param profilesDir the folder holding the profiles ({@code profiles/}); sub-folders such as
     *                    {@code examples/} are not loaded
     * @throws IllegalArgumentException when the context is not R4 or the folder does not exist
     * @throws IllegalStateException    when a file cannot be read or parsed (the message names the file),
     *                                  two files share a canonical URL, or {@code wmo-request-bundle} is missing
     */
    @SuppressWarnings(
            "deprecation") // UnknownCodeSystemWarningValidationSupport: deprecated in HAPI 8.6, still the documented
    // way
    public ProfileValidator(FhirContext ctx, Path profilesDir) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.profilesDir = Objects.requireNonNull(profilesDir, "profilesDir");
        if (ctx.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("ProfileValidator needs an R4 FhirContext, got "
                    + ctx.getVersion().getVersion());
        }
        if (!Files.isDirectory(profilesDir)) {
            throw new IllegalArgumentException("FHIR profiles folder not found: " + profilesDir.toAbsolutePath());
        }

        PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(ctx);
        Map<String, Path> seen = new HashMap<>();
        List<String> profileUrls = new ArrayList<>();
        for (Path file : jsonFiles(profilesDir)) {
            IBaseResource resource = parseStrict(file);
            if (resource instanceof StructureDefinition sd) {
                checkUnique(seen, sd.getUrl(), file);
                ours.addStructureDefinition(sd);
                profileUrls.add(sd.getUrl());
            } else if (resource instanceof CodeSystem cs) {
                checkUnique(seen, cs.getUrl(), file);
                ours.addCodeSystem(cs);
            } else if (resource instanceof ValueSet vs) {
                checkUnique(seen, vs.getUrl(), file);
                ours.addValueSet(vs);
            } else {
                LOG.debug(
                        "{}: {} is documentation only, not loaded into the validator",
                        file,
                        ctx.getResourceType(resource));
            }
        }
        if (!seen.containsKey(BUNDLE_PROFILE)) {
            throw new IllegalStateException("FHIR profiles folder " + profilesDir.toAbsolutePath()
                    + " has no StructureDefinition " + BUNDLE_PROFILE);
        }
        ours.lock();
        this.profileUrls = List.copyOf(profileUrls);

        UnknownCodeSystemWarningValidationSupport unknownCodeSystems =
                new UnknownCodeSystemWarningValidationSupport(ctx);
        unknownCodeSystems.setAllowNonExistentCodeSystem(true);
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(ctx),
                ours,
                new SnapshotGeneratingValidationSupport(ctx),
                new InMemoryTerminologyServerValidationSupport(ctx),
                new CommonCodeSystemsTerminologyService(ctx),
                unknownCodeSystems);

        this.chain = chain;
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
        // HAPI creates its worker context lazily and without synchronisation: create it here instead
        this.workerContext = WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(chain);
        instanceValidator.setWrappedWorkerContext(chain, workerContext);
        // "should have narrative" and similar best-practice hints are noise for an EHR interface
        instanceValidator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        // our profiles put gateway codes in core elements with extensible bindings (e.g. Condition.category)
        instanceValidator.setNoExtensibleWarnings(true);
        // EHRs often declare nl-core profiles on resources we do not profile: warn, do not reject
        instanceValidator.setErrorForUnknownProfiles(false);

        FhirValidator fhirValidator = ctx.newValidator();
        fhirValidator.setValidateAgainstStandardSchema(false);
        fhirValidator.setValidateAgainstStandardSchematron(false);
        fhirValidator.registerValidatorModule(instanceValidator);
        this.validator = fhirValidator;
        LOG.info("Loaded {} FHIR profiles from {}", profileUrls.size(), profilesDir.toAbsolutePath());
    }

    /** Switches the compiled fast path on (the default) or off; off, every Bundle goes through HAPI. */
    public void setFastPath(boolean enabled) {
        this.fastPathEnabled = enabled;
    }

    /**
     * The share (0 to 1) of the Bundles the fast path answers that are validated by HAPI as well; the
     * caller gets HAPI's findings, and a difference is logged (locations only) and counted.
     */
    public void setShadowSample(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("shadow sample must lie between 0 and 1, got " + share);
        }
        this.shadowSample = share;
    }

    /** Bundles the fast path answered, deferred to HAPI, and shadow comparisons that agreed or not. */
    public Counts counts() {
        return new Counts(answered.sum(), deferred.sum(), shadowSame.sum(), shadowDifferent.sum());
    }

    /** Counters of {@link #validate(Bundle)}, for metrics. */
    public record Counts(long answered, long deferred, long shadowSame, long shadowDifferent) {}

    /** The generated snapshots of the profiles in the profiles folder (R4), e.g. to generate test cases from. */
    public List<StructureDefinition> profileSnapshots() {
        generateSnapshots();
        return profileSnapshots(workerContext, profileUrls);
    }

    private static List<StructureDefinition> profileSnapshots(
            WorkerContextValidationSupportAdapter workerContext, List<String> profileUrls) {
        List<StructureDefinition> snapshots = new ArrayList<>();
        for (String url : profileUrls) {
            snapshots.add((StructureDefinition) VersionConvertorFactory_40_50.convertResource(
                    workerContext.fetchResource(org.hl7.fhir.r5.model.StructureDefinition.class, url)));
        }
        return snapshots;
    }

    private static String expressions(List<Finding> findings) {
        return findings.stream().map(Finding::expression).toList().toString();
    }

    /** The number of StructureDefinitions (profiles and extensions) loaded from the profiles folder. */
    public int profileCount() {
        return profileUrls.size();
    }

    /**
     * Validates a Wmo request Bundle against {@code wmo-request-bundle} and the resource profiles.
     * The caller's Bundle is not modified.
     *
     * @return the errors and warnings, in the validator's order; empty when the Bundle is valid
     */
    public List<Finding> validate(Bundle bundle) {
        Objects.requireNonNull(bundle, "bundle");
        if (!fastPathEnabled) {
            return validateWithHapi(bundle);
        }
        Optional<List<Finding>> fast = fastVerdict(bundle);
        if (fast.isEmpty()) {
            deferred.increment();
            return validateWithHapi(bundle);
        }
        answered.increment();
        if (shadowSample > 0 && ThreadLocalRandom.current().nextDouble() < shadowSample) {
            List<Finding> judged = validateWithHapi(bundle);
            if (judged.equals(fast.get())) {
                shadowSame.increment();
            } else {
                shadowDifferent.increment();
                LOG.warn(
                        "Fast path and HAPI disagree on a plan: fast path {} warning(s) at {}, HAPI {} error(s) and {} warning(s) at {}",
                        fast.get().size(),
                        expressions(fast.get()),
                        judged.stream().filter(Finding::isError).count(),
                        judged.stream().filter(f -> !f.isError()).count(),
                        expressions(judged));
            }
            return judged;
        }
        return fast.get();
    }

    /**
     * The compiled fast path's answer on a Bundle: present means "clean, with exactly these warnings"
     * (the findings HAPI would report); empty means the fast path found something or met something
     * outside its coverage, and only HAPI can answer.
     */
    public Optional<List<Finding>> fastVerdict(Bundle bundle) {
        Objects.requireNonNull(bundle, "bundle");
        generateSnapshots();
        return fastPath.verdict(bundle, profileAssignments(bundle));
    }

    /** Why the fast path leaves a Bundle to HAPI, or null when it answers; for tests and diagnosis. */
    public String fastPathDeferReason(Bundle bundle) {
        generateSnapshots();
        return fastPath.deferReason(bundle, profileAssignments(bundle));
    }

    /** Validates with HAPI's instance validator alone, whatever the fast path would say: the judge. */
    public List<Finding> validateWithHapi(Bundle bundle) {
        Objects.requireNonNull(bundle, "bundle");
        generateSnapshots();
        Bundle copy;
        try {
            copy = bundle.copy();
        } catch (RuntimeException e) {
            // HAPI's model holds a value it cannot copy (a dateTime without seconds, a date with a time):
            // the validator never sees it, so the caller hears where it is
            return List.of(unreadableValue(bundle));
        }
        assignProfiles(copy);
        ValidationResult result =
                validator.validateWithResult(copy, new ValidationOptions().addProfile(BUNDLE_PROFILE));
        List<Finding> findings = new ArrayList<>();
        for (SingleValidationMessage message : result.getMessages()) {
            Finding finding = toFinding(message);
            if (finding != null) {
                findings.add(finding);
            }
        }
        return findings;
    }

    /** The first primitive value in the Bundle that HAPI's model cannot copy, as an error at its location. */
    private static Finding unreadableValue(Bundle bundle) {
        Finding found = unreadableValue(bundle, "Bundle");
        return found != null
                ? found
                : Finding.error("invalid", "the Bundle holds a value that cannot be read as FHIR", "Bundle");
    }

    private static Finding unreadableValue(Base value, String location) {
        if (value instanceof PrimitiveType<?> primitive) {
            try {
                primitive.copy();
            } catch (RuntimeException e) {
                return Finding.error(
                        "invalid",
                        "not a valid FHIR " + primitive.fhirType()
                                + " value (a time needs hours, minutes and seconds and a time zone; a date has no time)",
                        location);
            }
        }
        List<Base> extensions =
                value instanceof BackboneType backbone ? new ArrayList<>(backbone.getExtension()) : List.of();
        for (int i = 0; i < extensions.size(); i++) {
            Finding found = unreadableValue(extensions.get(i), location + ".extension[" + i + "]");
            if (found != null) {
                return found;
            }
        }
        for (Property property : value.children()) {
            List<Base> values = property.getValues();
            for (int i = 0; i < values.size(); i++) {
                Base child = values.get(i);
                if (child == null || child.isEmpty()) {
                    continue;
                }
                String name = property.getName();
                if (name.endsWith("[x]")) {
                    String type = child.fhirType();
                    name = name.substring(0, name.length() - 3)
                            + Character.toUpperCase(type.charAt(0))
                            + type.substring(1);
                }
                String at = location + "." + name + (property.getMaxCardinality() > 1 ? "[" + i + "]" : "");
                Finding found = unreadableValue(child, at);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Generates the snapshots of all our profiles once, on one thread, before the first validation. */
    private void generateSnapshots() {
        if (snapshotsGenerated) {
            return;
        }
        synchronized (this) {
            if (!snapshotsGenerated) {
                for (String url : profileUrls) {
                    org.hl7.fhir.r5.model.StructureDefinition sd =
                            workerContext.fetchResource(org.hl7.fhir.r5.model.StructureDefinition.class, url);
                    if (sd == null || !sd.hasSnapshot()) {
                        throw new IllegalStateException("Cannot generate the snapshot of FHIR profile " + url
                                + " (see the log for the snapshot generator's messages)");
                    }
                }
                fastPath = new FastPath(ctx, chain, profileSnapshots(workerContext, profileUrls));
                snapshotsGenerated = true;
            }
        }
    }

    /**
     * Validates every {@code *.json} in {@code profilesDir/examples} once, so snapshots are generated
     * and caches are filled before the first real request. A missing folder is not an error; an example
     * with errors is logged (it means the profiles and the examples disagree).
     */
    public void warmUp() {
        long start = System.nanoTime();
        generateSnapshots();
        Path examples = profilesDir.resolve("examples");
        if (!Files.isDirectory(examples)) {
            LOG.warn("No examples folder {}: the first validation will be slower", examples.toAbsolutePath());
            return;
        }
        for (Path file : jsonFiles(examples)) {
            IBaseResource resource = parseLenient(file);
            List<Finding> findings;
            if (resource instanceof Bundle bundle) {
                findings = validateWithHapi(bundle);
                Bundle probe = fastPath.displayProbe(bundle);
                if (probe != null) {
                    List<Finding> probed = validateWithHapi(probe);
                    fastPath.learnDisplays(findings, probed);
                    LOG.info(
                            "Displays that differ from the code system: HAPI reports {} finding(s) where it reported {}",
                            probed.size(),
                            findings.size());
                }
                if (fastPath.learn(bundle, profileAssignments(bundle), findings)) {
                    LOG.info("The fast path answers example {} as HAPI does", file.getFileName());
                } else {
                    LOG.warn(
                            "The fast path leaves example {} to HAPI: {}",
                            file.getFileName(),
                            fastPath.deferReason(bundle, profileAssignments(bundle)));
                }
            } else {
                findings = validator.validateWithResult(resource).getMessages().stream()
                        .map(this::toFinding)
                        .filter(Objects::nonNull)
                        .toList();
            }
            long errors = findings.stream().filter(Finding::isError).count();
            if (errors > 0) {
                LOG.warn(
                        "Example {} has {} validation error(s), first: {}",
                        file,
                        errors,
                        findings.stream().filter(Finding::isError).findFirst().orElseThrow());
            }
        }
        LOG.info("FHIR validator warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Sets {@code meta.profile} of the resources that belong to the request to the gateway's profile for
     * their type, replacing any profiles the EHR declared. A resource belongs to the request when it is
     * a Task, CarePlan, Consent or RelatedPerson, or is referenced (directly or through other resources of
     * a profiled type) from one; other resources (medication, unrelated diagnoses, ...) are accepted but
     * never forwarded (README, {@link PlanBundle}), so they are only checked against FHIR core. Organizations with a CBS gemeentecode get {@code wmo-gemeente}, other
     * Organizations {@code wmo-zorgorganisatie}; Observations with plan-onderdeel {@code zrm-score} get
     * {@code wmo-zrm-score}, other Observations {@code wmo-afweging}. Resource types without a profile
     * are left alone. Modifies the given Bundle ({@link #validate(Bundle)} passes a copy).
     */
    public void assignProfiles(Bundle bundle) {
        profileAssignments(bundle)
                .forEach((resource, profile) ->
                        resource.getMeta().setProfile(new ArrayList<>(List.of(new CanonicalType(profile)))));
    }

    /** The profile {@link #assignProfiles(Bundle)} gives each resource that belongs to the request. */
    Map<Resource, String> profileAssignments(Bundle bundle) {
        Map<Resource, String> profiles = new IdentityHashMap<>();
        for (Resource resource : requestResources(bundle)) {
            String profile = profileFor(resource);
            if (profile != null) {
                profiles.put(resource, profile);
            }
        }
        return profiles;
    }

    /** The gateway's profile for a resource, or null when there is none. */
    static String profileFor(Resource resource) {
        ResourceType type = resource.getResourceType();
        if (resource instanceof Organization organization) {
            boolean gemeente = organization.getIdentifier().stream()
                    .map(Identifier::getSystem)
                    .anyMatch(GEMEENTECODE_SYSTEM::equals);
            return PROFILE_BASE + (gemeente ? "wmo-gemeente" : "wmo-zorgorganisatie");
        }
        if (resource instanceof Observation observation) {
            boolean zrm = observation.getCode().getCoding().stream()
                    .anyMatch(c -> PLAN_ONDERDEEL_SYSTEM.equals(c.getSystem()) && "zrm-score".equals(c.getCode()));
            return PROFILE_BASE + (zrm ? "wmo-zrm-score" : "wmo-afweging");
        }
        return PROFILE_BY_TYPE.get(type);
    }

    /** The resources reachable from the roots (Task, CarePlan, Consent, RelatedPerson) through references inside the Bundle. */
    private Set<Resource> requestResources(Bundle bundle) {
        Map<String, Resource> byReference = new HashMap<>();
        List<Resource> roots = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            if (resource == null) {
                continue;
            }
            if (entry.hasFullUrl()) {
                byReference.put(entry.getFullUrl(), resource);
            }
            if (resource.hasIdElement() && resource.getIdElement().hasIdPart()) {
                byReference.put(
                        resource.fhirType() + "/" + resource.getIdElement().getIdPart(), resource);
            }
            if (ROOT_TYPES.contains(resource.getResourceType())) {
                roots.add(resource);
            }
        }
        Set<Resource> reached = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Resource> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            Resource resource = todo.pop();
            if (!reached.add(resource)) {
                continue;
            }
            for (Reference reference : references(resource)) {
                Resource target = resolve(byReference, reference);
                // like PlanBundle, never follow a reference into a type the plan does not consist of
                if (target != null && profileFor(target) != null && !reached.contains(target)) {
                    todo.push(target);
                }
            }
        }
        return reached;
    }

    /**
     * The populated References anywhere in a resource, in document order, as HAPI's {@code
     * FhirTerser#getAllPopulatedChildElementsOfType} finds them, from the model's own {@code children()}
     * (the terser's reflective walk cost a tenth of a fast-path verdict).
     */
    static List<Reference> references(Resource resource) {
        List<Reference> found = new ArrayList<>();
        collectReferences(resource, found);
        return found;
    }

    private static void collectReferences(Base value, List<Reference> found) {
        if (value instanceof Reference reference) {
            found.add(reference);
        }
        if (value instanceof PrimitiveType<?> primitive && !primitive.hasExtension()) {
            return;
        }
        for (Property property : value.children()) {
            for (Base child : property.getValues()) {
                if (child != null && !child.isEmpty()) {
                    collectReferences(child, found);
                }
            }
        }
        if (value instanceof BackboneType backbone) {
            // Timing, Dosage, ...: children() leaves their extensions out
            for (Extension extension : backbone.getExtension()) {
                if (!extension.isEmpty()) {
                    collectReferences(extension, found);
                }
            }
        }
    }

    private static Resource resolve(Map<String, Resource> byReference, Reference reference) {
        if (!reference.hasReference()) {
            return null;
        }
        String ref = reference.getReference();
        Resource target = byReference.get(ref);
        if (target == null && !ref.startsWith("urn:")) {
            // absolute or versioned reference: match on Type/id
            String[] parts = ref.replaceFirst("/_history/.*$", "").split("/");
            if (parts.length >= 2) {
                target = byReference.get(parts[parts.length - 2] + "/" + parts[parts.length - 1]);
            }
        }
        return target;
    }

    private Finding toFinding(SingleValidationMessage message) {
        String id = message.getMessageId() == null ? "" : message.getMessageId();
        Finding.Severity severity = switch (message.getSeverity()) {
            case FATAL, ERROR -> Finding.Severity.ERROR;
            // in a transaction a urn:uuid reference must resolve inside the Bundle
            case WARNING -> UNRESOLVED_URN_REFERENCE.equals(id) ? Finding.Severity.ERROR : Finding.Severity.WARNING;
            case INFORMATION -> null;
        };
        if (severity == null) {
            return null;
        }
        String text = message.getMessage() == null ? "" : message.getMessage();
        String location = message.getLocationString() == null
                ? null
                : LOCATION_COMMENT.matcher(message.getLocationString()).replaceAll("");
        Matcher minimum = MINIMUM_MESSAGE.matcher(text);
        if (location != null && minimum.find()) {
            // HAPI locates a missing element at its parent; point at the element itself
            String path = minimum.group(1);
            String last = path.substring(path.lastIndexOf('.') + 1)
                    .replaceFirst(":.*$", "")
                    .replace("[x]", "");
            location = location + "." + last;
        }
        return new Finding(severity, issueType(id, text), text, location);
    }

    /** The FHIR issue type, derived from HAPI's message id (HAPI does not report the type itself). */
    static String issueType(String messageId, String message) {
        String id = messageId.toLowerCase(Locale.ROOT);
        if (id.contains("minimum") || message.contains("minimum required")) {
            return "required";
        }
        if (id.contains("#") || message.startsWith("Constraint failed")) {
            return "invalid"; // an invariant of a profile or of FHIR core
        }
        if (id.startsWith("terminology") || id.contains("code") || id.contains("valueset") || id.contains("display")) {
            return "code-invalid";
        }
        if (id.startsWith("type_specific_checks")
                || id.contains("fixed")
                || id.contains("pattern")
                || id.contains("value")) {
            return "invalid";
        }
        if (id.contains("maximum")
                || id.contains("slic")
                || id.contains("unknown")
                || id.contains("type")
                || id.contains("profile")
                || id.contains("extension")
                || id.contains("reference")
                || id.startsWith("bundle")) {
            return "structure";
        }
        return "processing";
    }

    private IBaseResource parseStrict(Path file) {
        IParser parser = ctx.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parser.parseResource(reader);
        } catch (IOException | DataFormatException e) {
            throw new IllegalStateException(
                    "Cannot load FHIR profile file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot load FHIR profile file " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    private IBaseResource parseLenient(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return ctx.newJsonParser().parseResource(reader);
        } catch (IOException | DataFormatException e) {
            throw new IllegalStateException(
                    "Cannot read FHIR example " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static void checkUnique(Map<String, Path> seen, String url, Path file) {
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("FHIR profile file " + file.toAbsolutePath() + " has no canonical url");
        }
        Path earlier = seen.putIfAbsent(url, file);
        if (earlier != null) {
            throw new IllegalStateException("FHIR profile files " + earlier + " and " + file + " both define " + url);
        }
    }

    private static List<Path> jsonFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static Map<ResourceType, String> profilesByType() {
        Map<ResourceType, String> map = new EnumMap<>(ResourceType.class);
        map.put(ResourceType.Task, PROFILE_BASE + "wmo-task");
        map.put(ResourceType.Patient, PROFILE_BASE + "wmo-patient");
        map.put(ResourceType.Practitioner, PROFILE_BASE + "wmo-professional");
        map.put(ResourceType.PractitionerRole, PROFILE_BASE + "wmo-professional-rol");
        map.put(ResourceType.CarePlan, PROFILE_BASE + "wmo-ondersteuningsplan");
        map.put(ResourceType.Condition, PROFILE_BASE + "wmo-beperking");
        map.put(ResourceType.Goal, PROFILE_BASE + "wmo-doel");
        map.put(ResourceType.RelatedPerson, PROFILE_BASE + "wmo-mantelzorger");
        map.put(ResourceType.ServiceRequest, PROFILE_BASE + "wmo-maatwerkvoorziening");
        map.put(ResourceType.Consent, PROFILE_BASE + "wmo-toestemming");
        return Map.copyOf(map);
    }
}
