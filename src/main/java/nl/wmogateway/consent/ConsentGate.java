package nl.wmogateway.consent;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.PlanBundle;
import nl.wmogateway.plan.Toestemming;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.RelatedPerson;

/**
 * Decides whether a plan may be shared with the gemeente it is addressed to: at least one Consent in
 * the Bundle must satisfy every applicable {@link ConsentRule}. The rules that apply are configured per
 * gemeente by id; by default all rules except {@link FormPresentRule}.
 *
 * <p>When no Consent qualifies, the findings are those of the best candidate (the one failing the
 * fewest rules, the first in the Bundle on a tie), so the EHR learns exactly what to fix. When one
 * qualifies, the decision carries the {@link Toestemming} proof built from it.
 */
public final class ConsentGate {

    /** Every rule the gateway knows, by id. */
    public static final Map<String, ConsentRule> RULES = Collections.unmodifiableMap(Stream.of(
                    new StatusActiveRule(),
                    new PermitRule(),
                    new SamePatientRule(),
                    new RecipientGemeenteRule(),
                    new PurposeRule(),
                    new PeriodRule(),
                    new GivenAtRule(),
                    new RepresentativeRule(),
                    new FormIntegrityRule(),
                    new FormPresentRule())
            .collect(Collectors.toMap(ConsentRule::id, Function.identity(), (a, b) -> a, LinkedHashMap::new)));

    /** The rules that apply unless a gemeente's configuration says otherwise: all but {@link FormPresentRule}. */
    public static final Set<String> DEFAULT_RULE_IDS = Collections.unmodifiableSet(RULES.keySet().stream()
            .filter(id -> !id.equals(FormPresentRule.ID))
            .collect(Collectors.<String, Set<String>>toCollection(LinkedHashSet::new)));

    private final List<ConsentRule> rules;
    private final Clock clock;

    /**
     * A gate applying the given rules.
     *
     * @param rules the rules a Consent must all satisfy
     * @param clock the current time; its zone decides what "today" is (use Europe/Amsterdam)
     */
    public ConsentGate(List<ConsentRule> rules, Clock clock) {
        this.rules = List.copyOf(rules);
        this.clock = clock;
    }

    /**
     * A gate applying the known rules with these ids, e.g. from a gemeente's configuration.
     *
     * @throws IllegalArgumentException for an id no rule has, so a typo in configuration fails at start-up
     */
    public static ConsentGate forRuleIds(Collection<String> ruleIds, Clock clock) {
        List<ConsentRule> selected = ruleIds.stream()
                .distinct()
                .map(id -> {
                    ConsentRule rule = RULES.get(id);
                    if (rule == null) {
                        throw new IllegalArgumentException(
                                "unknown consent rule '" + id + "'; known rules: " + RULES.keySet());
                    }
                    return rule;
                })
                .toList();
        return new ConsentGate(selected, clock);
    }

    /** A gate applying {@link #DEFAULT_RULE_IDS}. */
    public static ConsentGate withDefaultRules(Clock clock) {
        return forRuleIds(DEFAULT_RULE_IDS, clock);
    }

    /** The ids of the rules this gate applies, in evaluation order. */
    public List<String> ruleIds() {
        return rules.stream().map(ConsentRule::id).toList();
    }

    /** Decides whether the plan may be shared with the gemeente it is addressed to (Task.owner). */
    public ConsentDecision decide(PlanBundle plan) {
        return decide(
                plan,
                plan.gemeentecode().orElseThrow(() -> new IllegalArgumentException("the plan addresses no gemeente")));
    }

    /** Decides whether the plan may be shared with the gemeente with this gemeentecode. */
    public ConsentDecision decide(PlanBundle plan, String gemeentecode) {
        List<Consent> consents = plan.consents();
        if (consents.isEmpty()) {
            return new ConsentDecision(
                    Optional.empty(),
                    List.of(Finding.error(
                            "security",
                            "no Consent in the Bundle: the client's consent to share the plan with gemeente "
                                    + gemeentecode + " for purpose " + PurposeRule.WMO_AANVRAAG + " is required",
                            "Bundle.entry")));
        }
        List<Candidate> candidates = consents.stream()
                .map(consent -> {
                    ConsentContext ctx = ConsentContext.of(plan, consent, gemeentecode, clock);
                    return new Candidate(
                            ctx,
                            rules.stream()
                                    .flatMap(rule -> rule.check(ctx).stream())
                                    .toList());
                })
                .toList();
        Optional<Candidate> valid =
                candidates.stream().filter(c -> c.findings().isEmpty()).findFirst();
        if (valid.isPresent()) {
            return new ConsentDecision(Optional.of(proof(valid.get().ctx())), List.of());
        }
        Candidate best = candidates.stream()
                .min(Comparator.comparingInt(c -> c.findings().size()))
                .orElseThrow();
        return new ConsentDecision(Optional.empty(), best.findings());
    }

    private record Candidate(ConsentContext ctx, List<Finding> findings) {}

    private Toestemming proof(ConsentContext ctx) {
        Consent consent = ctx.consent();
        PlanBundle plan = ctx.plan();
        boolean byRepresentative = consent.getPerformer().stream()
                .anyMatch(p -> plan.resolve(p, RelatedPerson.class).isPresent());
        Optional<LocalDate> start = consent.getProvision().getPeriod().hasStart()
                ? Optional.of(
                        FhirDates.firstDay(consent.getProvision().getPeriod().getStartElement()))
                : Optional.empty();
        // Without the given-at and period rules these may be absent; fall back rather than invent more.
        Instant verleendOp = consent.hasDateTime()
                ? FhirDates.instant(consent.getDateTimeElement(), clock.getZone())
                : start.map(d -> d.atStartOfDay(clock.getZone()).toInstant()).orElse(clock.instant());
        LocalDate geldigVan = start.orElse(LocalDate.ofInstant(verleendOp, clock.getZone()));
        Optional<LocalDate> geldigTot = consent.getProvision().getPeriod().hasEnd()
                ? Optional.of(
                        FhirDates.lastDay(consent.getProvision().getPeriod().getEndElement()))
                : Optional.empty();
        return new Toestemming(
                consentId(plan, consent),
                byRepresentative ? "vertegenwoordiger" : "client",
                verleendOp,
                geldigVan,
                geldigTot,
                PurposeRule.WMO_AANVRAAG,
                ctx.gemeentecode(),
                formulier(consent));
    }

    private static String consentId(PlanBundle plan, Consent consent) {
        return consent.getIdentifier().stream()
                .filter(Identifier::hasValue)
                .map(Identifier::getValue)
                .findFirst()
                .or(() -> consent.hasIdElement() && !consent.getIdElement().isUrn()
                        ? Optional.of(consent.getIdElement().getIdPart())
                        : Optional.empty())
                .or(() -> plan.fullUrlOf(consent))
                .orElse(plan.pathOf(consent));
    }

    private static Optional<Toestemming.Formulier> formulier(Consent consent) {
        if (!consent.hasSourceAttachment()) {
            return Optional.empty();
        }
        Attachment form = consent.getSourceAttachment();
        return Optional.of(new Toestemming.Formulier(
                form.hasTitle() ? form.getTitle() : "",
                form.hasContentType() ? form.getContentType() : "",
                form.hasData() ? Optional.of(HexFormat.of().formatHex(sha256(form.getData()))) : Optional.empty(),
                form.hasHash() ? Optional.of(Base64.getEncoder().encodeToString(form.getHash())) : Optional.empty(),
                form.hasUrl() ? Optional.of(form.getUrl()) : Optional.empty()));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
