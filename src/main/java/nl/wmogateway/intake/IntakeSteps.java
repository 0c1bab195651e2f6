package nl.wmogateway.intake;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.wmogateway.consent.ConsentDecision;
import nl.wmogateway.consent.ConsentGate;
import nl.wmogateway.delivery.Outbox;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.PlanBundle;
import nl.wmogateway.fhir.ProfileValidator;
import nl.wmogateway.iwmo.Wmo315Rendering;
import nl.wmogateway.partner.Endpoints;
import nl.wmogateway.partner.GemeentePartner;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.partner.RenderingTarget;
import nl.wmogateway.partner.ZorgorganisatiePartner;
import nl.wmogateway.plan.CrvbCompletenessCheck;
import nl.wmogateway.plan.OndersteuningsplanMapper;
import nl.wmogateway.plan.PlanRenderer;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.PlanCodec;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.store.StoredRequest;
import org.hl7.fhir.r4.model.Identifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of the intake route ({@code routes/intake.camel.yaml}), one method per step. Each step
 * either enriches the {@link IntakeContext} or throws an {@link IntakeRejection} that the FHIR
 * endpoint turns into an OperationOutcome. Nothing is delivered unless every step passed.
 */
@Component("intake")
public class IntakeSteps {

    private static final Logger log = LoggerFactory.getLogger(IntakeSteps.class);
    private static final char[] ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private final ProfileValidator profileValidator;
    private final CrvbCompletenessCheck crvbCheck;
    private final Partners partners;
    private final OndersteuningsplanMapper mapper;
    private final MessageStore store;
    private final AuditLog audit;
    private final PlanCodec planCodec;
    private final Clock clock;
    private final PlanRenderer renderer;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final SecureRandom random = new SecureRandom();
    private final Timer valid;
    private final Timer invalid;
    private final Timer failed;

    /** The name of the validation timer. */
    static final String VALIDATION_TIMER = "wmo.intake.validation.duration";

    /** The buckets of the validation histogram. */
    private static final Duration[] VALIDATION_BUCKETS = {
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    public IntakeSteps(
            ProfileValidator profileValidator,
            CrvbCompletenessCheck crvbCheck,
            Partners partners,
            OndersteuningsplanMapper mapper,
            MessageStore store,
            AuditLog audit,
            PlanCodec planCodec,
            Clock clock,
            PlanRenderer renderer,
            Outbox outbox,
            PlatformTransactionManager transactionManager,
            MeterRegistry metrics) {
        this.valid = validationTimer(metrics, "valid");
        this.invalid = validationTimer(metrics, "invalid");
        this.failed = validationTimer(metrics, "error");
        this.renderer = renderer;
        this.outbox = outbox;
        this.transactions = new TransactionTemplate(transactionManager);
        this.profileValidator = profileValidator;
        this.crvbCheck = crvbCheck;
        this.partners = partners;
        this.mapper = mapper;
        this.store = store;
        this.audit = audit;
        this.planCodec = planCodec;
        this.clock = clock;
    }

    /** The certificate must belong to a configured care organisation. */
    public void identifySender(IntakeContext ctx) {
        if (ctx.caller().partner().isEmpty()) {
            throw IntakeRejection.forbidden(Finding.error(
                    "security",
                    "the client certificate is not registered for any care organisation in the gateway's partner configuration",
                    "Bundle"));
        }
    }

    /** Same sender, same Bundle.identifier: answer with the request made the first time. */
    public void findExisting(IntakeContext ctx) {
        Identifier id = ctx.bundle().getIdentifier();
        if (!id.hasSystem() || !id.hasValue()) {
            return; // the profile check reports the missing identifier
        }
        String agb = ctx.caller().partner().orElseThrow().agb();
        store.requestByBundle(agb, id.getSystem(), id.getValue()).ifPresent(existing -> {
            if (!existing.bundleHash().equals(ctx.bundleHash())) {
                throw IntakeRejection.unprocessable(List.of(Finding.error(
                        "duplicate",
                        "Bundle.identifier " + id.getSystem() + "|" + id.getValue() + " was already used for Task/"
                                + existing.id() + " with different content; give a changed request a new identifier",
                        "Bundle.identifier")));
            }
            ctx.duplicate(existing);
        });
    }

    /**
     * FHIR validation against the gateway's profiles, timed ({@value #VALIDATION_TIMER}, tagged
     * {@code outcome}: {@code valid}, {@code invalid} with an error found, {@code error} when the
     * validator itself failed).
     */
    public void validate(IntakeContext ctx) {
        long start = System.nanoTime();
        Timer timer = failed;
        List<Finding> findings;
        try {
            findings = profileValidator.validate(ctx.bundle());
            timer = findings.stream().anyMatch(Finding::isError) ? invalid : valid;
        } finally {
            timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        keepWarningsOrReject(ctx, findings);
    }

    private static Timer validationTimer(MeterRegistry metrics, String outcome) {
        return Timer.builder(VALIDATION_TIMER)
                .description("how long the FHIR profile validation of one submission took")
                .tag("outcome", outcome)
                .serviceLevelObjectives(VALIDATION_BUCKETS)
                .register(metrics);
    }

    /** Finds the Task and the resources it points to. */
    public void resolvePlan(IntakeContext ctx) {
        PlanBundle.Result result = PlanBundle.of(ctx.bundle());
        // whom the message is about, by pseudonym, so that erasing the client finds it even when it is refused
        result.plan().flatMap(PlanBundle::bsn).ifPresent(bsn -> store.inboundClient(ctx.inboundId(), bsn));
        keepWarningsOrReject(ctx, result.findings());
        ctx.planBundle(result.plan().orElseThrow(() -> IntakeRejection.unprocessable(result.findings())));
    }

    /** A care organisation submits only for itself. */
    public void authorise(IntakeContext ctx) {
        ZorgorganisatiePartner sender = ctx.caller().partner().orElseThrow();
        Optional<String> agb = ctx.planBundle().zorgorganisatieAgb();
        if (agb.isEmpty() || !agb.get().equals(sender.agb())) {
            audit.record(
                    ctx.caller().auditName(),
                    "SUBMIT",
                    Optional.empty(),
                    Optional.empty(),
                    "FORBIDDEN",
                    Optional.of("Bundle names care organisation AGB " + agb.orElse("(none)")));
            throw IntakeRejection.forbidden(Finding.error(
                    "security",
                    "the client certificate belongs to care organisation AGB " + sender.agb()
                            + ", but the plan is sent on behalf of AGB " + agb.orElse("(none)")
                            + "; an organisation may only submit its own plans",
                    ctx.planBundle()
                            .zorgorganisatie()
                            .map(ctx.planBundle()::pathOf)
                            .orElse("Bundle")));
        }
    }

    /**
     * One open verzoek per client per aanbieder (iWmo TR374, retourcode 9374): while an earlier
     * request for this client waits for the gemeente, a new one is refused.
     */
    public void checkOpenVerzoek(IntakeContext ctx) {
        Optional<String> bsn = ctx.planBundle().bsn();
        if (bsn.isEmpty()) {
            return;
        }
        String agb = ctx.caller().partner().orElseThrow().agb();
        store.requestsForClient(bsn.get(), agb).stream()
                .filter(r -> r.gemeentecode().equals(ctx.gemeente().gemeentecode()))
                .filter(r -> OPEN.contains(r.status()))
                .findFirst()
                .ifPresent(open -> {
                    throw IntakeRejection.unprocessable(List.of(Finding.error(
                            "business-rule",
                            "there is already an open request for this client with gemeente " + open.gemeentecode()
                                    + ": Task/" + open.id() + " ("
                                    + open.status().name().toLowerCase(Locale.ROOT)
                                    + "); iWmo allows one open verzoek per client per aanbieder (TR374, 9374)",
                            ctx.planBundle().pathOf(ctx.planBundle().task()))));
                });
    }

    private static final java.util.Set<RequestStatus> OPEN = java.util.EnumSet.of(
            RequestStatus.RECEIVED,
            RequestStatus.RETRYING,
            RequestStatus.DELIVERED,
            RequestStatus.IN_ONDERZOEK,
            RequestStatus.FAILED);

    /** The Task must be addressed to a gemeente the gateway is configured to deliver to. */
    public void checkGemeente(IntakeContext ctx) {
        Optional<String> code = ctx.planBundle().gemeentecode();
        String where = ctx.planBundle().pathOf(ctx.planBundle().task()) + ".owner";
        if (code.isEmpty()) {
            throw IntakeRejection.unprocessable(List.of(Finding.error(
                    "required",
                    "Task.owner must be the gemeente as an Organization with an identifier of system "
                            + PlanBundle.GEMEENTECODE_SYSTEM,
                    where)));
        }
        GemeentePartner gemeente = partners.gemeente(code.get())
                .orElseThrow(() -> IntakeRejection.unprocessable(List.of(Finding.error(
                        "not-supported",
                        "gemeente " + code.get()
                                + " is not connected to this gateway; connected gemeenten: "
                                + partners.gemeenten().stream()
                                        .map(GemeentePartner::gemeentecode)
                                        .toList(),
                        where))));
        ctx.gemeente(gemeente);
    }

    /** The five CRvB steps and the Samen-indiceren conditions, strict or lenient per gemeente. */
    public void checkCrvb(IntakeContext ctx) {
        keepWarningsOrReject(
                ctx, crvbCheck.check(ctx.planBundle(), ctx.gemeente().crvb()));
    }

    /** A valid Consent for this client, this gemeente and this purpose. */
    public void checkConsent(IntakeContext ctx) {
        ConsentGate gate = ctx.gemeente().consentRules().isEmpty()
                ? ConsentGate.withDefaultRules(clock)
                : ConsentGate.forRuleIds(ctx.gemeente().consentRules(), clock);
        ConsentDecision decision = gate.decide(ctx.planBundle(), ctx.gemeente().gemeentecode());
        keepWarningsOrReject(ctx, decision.findings());
        ctx.toestemming(decision.toestemming().orElseThrow(() -> IntakeRejection.unprocessable(decision.findings())));
        String agb = ctx.caller().partner().orElseThrow().agb();
        store.consentWithdrawnAt(agb, ctx.toestemming().consentId()).ifPresent(at -> {
            throw IntakeRejection.unprocessable(List.of(Finding.error(
                    "business-rule",
                    "Consent " + ctx.toestemming().consentId() + " was withdrawn on "
                            + at.atZone(clock.getZone()).toLocalDate()
                            + "; a new Consent (with a new identifier) is needed",
                    ctx.planBundle().consents().stream()
                            .findFirst()
                            .map(ctx.planBundle()::pathOf)
                            .orElse("Bundle"))));
        });
    }

    /**
     * The canonical ondersteuningsplan, made from the referenced resources only. The profiles let
     * through only what the mapping can read; should a plan still not map, the EHR hears why (422)
     * instead of the gateway failing on it.
     */
    public void toOndersteuningsplan(IntakeContext ctx) {
        ctx.requestId(newRequestId());
        try {
            ctx.plan(mapper.map(
                    ctx.planBundle(),
                    ctx.requestId(),
                    clock.instant(),
                    ctx.gemeente().naam(),
                    ctx.toestemming()));
        } catch (IllegalArgumentException e) {
            log.warn("request {} passed the checks but cannot be mapped: {}", ctx.requestId(), e.getMessage());
            Matcher location = LOCATION.matcher(String.valueOf(e.getMessage()));
            throw IntakeRejection.unprocessable(List.of(Finding.error(
                    "processing",
                    "the plan cannot be read as an ondersteuningsplan: " + e.getMessage(),
                    location.find() ? location.group().replaceFirst("\\.+$", "") : "Bundle")));
        }
    }

    /** A FHIRPath into the Bundle, as the mapper names the element it could not read. */
    private static final Pattern LOCATION =
            Pattern.compile("Bundle\\.entry\\[\\d+][A-Za-z0-9.\\[\\]]*|Bundle\\.[A-Za-z.]+");

    /**
     * Every rendering the gemeente receives is made now: whatever a rendering refuses (a date the
     * iWmo format cannot carry, say) is refused at intake, with the reason, instead of after the EHR
     * was told the plan was accepted.
     */
    public void render(IntakeContext ctx) {
        List<Finding> problems = new ArrayList<>();
        for (RenderingTarget target : ctx.gemeente().renderings()) {
            try {
                ctx.renderings()
                        .add(renderer.render(
                                target.type(),
                                ctx.plan(),
                                ctx.requestId(),
                                ctx.gemeente().verwijzer(),
                                ctx.gemeente().openEnded()));
            } catch (IllegalArgumentException e) {
                problems.add(Finding.error(
                        "business-rule",
                        "the plan cannot be delivered to gemeente "
                                + ctx.gemeente().gemeentecode() + " as " + target.type() + ": " + e.getMessage(),
                        "Bundle"));
            }
        }
        if (!problems.isEmpty()) {
            throw IntakeRejection.unprocessable(problems);
        }
    }

    /**
     * Durable before the EHR hears anything, in one database transaction: the request, its plan
     * and renderings, the consent it rests on, the audit event and the delivery job (the outbox).
     * Either all of it is stored, or nothing is and the EHR gets an error.
     */
    public void store(IntakeContext ctx) {
        Identifier id = ctx.bundle().getIdentifier();
        Instant now = clock.instant();
        String planJson = planCodec.write(ctx.plan());
        StoredRequest request = new StoredRequest(
                ctx.requestId(),
                ctx.inboundId(),
                ctx.caller().partner().orElseThrow().agb(),
                id.getSystem(),
                id.getValue(),
                ctx.bundleHash(),
                ctx.gemeente().gemeentecode(),
                ctx.plan().client().bsn(),
                RequestStatus.RECEIVED,
                Optional.empty(),
                0,
                now,
                now,
                Optional.empty(),
                planJson);
        boolean inserted = Boolean.TRUE.equals(transactions.execute(tx -> {
            if (!store.insertRequest(request)) {
                return false;
            }
            store.consentOf(request.id(), ctx.toestemming().consentId());
            for (PlanRenderer.Rendered r : ctx.renderings()) {
                store.saveOutbound(request.id(), request.gemeentecode(), r.type(), r.contentType(), r.body());
                if (Wmo315Rendering.TYPE.equals(r.type())) {
                    copyForTheCareOrganisation(request, ctx.caller().partner().orElseThrow(), r);
                }
            }
            audit.record(
                    ctx.caller().auditName(),
                    "SUBMIT",
                    Optional.of(ctx.requestId()),
                    Optional.of(ctx.plan().client().bsn()),
                    "ACCEPTED",
                    Optional.of("plan for gemeente " + ctx.gemeente().gemeentecode() + " with "
                            + ctx.plan().maatwerkvoorzieningen().size() + " product(s)"));
            outbox.plan(request.id(), request.gemeentecode());
            return true;
        }));
        if (!inserted) {
            // a concurrent submission of the same Bundle won the race; answer with that one
            findExisting(ctx);
            return;
        }
        ctx.stored(request);
        log.info(
                "request {} accepted from AGB {} for gemeente {}",
                ctx.requestId(),
                request.senderAgb(),
                request.gemeentecode());
    }

    /**
     * The care organisation's own iWmo administration must know the verzoek made in its name, to
     * match the gemeente's answer by its ReferentieAanbieder (iWmo TR379), also when that answer
     * comes another way (through the GGk): it gets a copy of the WMO315, delivered or fetched like
     * its WMO301s.
     */
    private void copyForTheCareOrganisation(
            StoredRequest request, ZorgorganisatiePartner zorg, PlanRenderer.Rendered wmo315) {
        String id = store.saveMessage(
                request.id(),
                zorg.agb(),
                "iwmo",
                "WMO315",
                wmo315.contentType(),
                wmo315.body(),
                zorg.endpoint().map(e -> Endpoints.join(e, "/wmo315")),
                "POST",
                Optional.of(PlanRenderer.berichtIdentificatie(request.id())),
                Optional.empty());
        if (zorg.endpoint().isPresent()) {
            outbox.announce(id);
        }
    }

    private static void keepWarningsOrReject(IntakeContext ctx, List<Finding> findings) {
        List<Finding> errors = new ArrayList<>();
        for (Finding f : findings) {
            if (f.isError()) {
                errors.add(f);
            } else {
                ctx.warnings().add(f);
            }
        }
        if (!errors.isEmpty()) {
            throw IntakeRejection.unprocessable(errors);
        }
    }

    /** Short, unguessable, URL- and iWmo-safe (ReferentieAanbieder = id + "-n" stays far below 36). */
    private String newRequestId() {
        char[] id = new char[16];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
        }
        return new String(id);
    }
}
