package nl.wmogateway.beschikking;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import nl.wmogateway.besluit.Beschikking;
import nl.wmogateway.besluit.ProductBesluit;
import nl.wmogateway.delivery.DeliveryQueue;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.iwmo.IwmoHeader;
import nl.wmogateway.iwmo.IwmoXmlReader;
import nl.wmogateway.iwmo.OfficialRules;
import nl.wmogateway.iwmo.Toewijzing;
import nl.wmogateway.iwmo.Werkdagen;
import nl.wmogateway.iwmo.Wmo301Writer;
import nl.wmogateway.iwmo.Wmo319Writer;
import nl.wmogateway.partner.Endpoints;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.partner.WayBack;
import nl.wmogateway.partner.ZorgorganisatiePartner;
import nl.wmogateway.plan.AangevraagdProduct;
import nl.wmogateway.plan.Codelijsten;
import nl.wmogateway.plan.Omvang;
import nl.wmogateway.plan.OpenEndedPolicy;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.BeschikkingStore;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.PlanCodec;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.store.StoredRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of the beschikking route ({@code routes/beschikking.camel.yaml}): a gemeente's decision
 * becomes iWmo WMO301/WMO319 messages for the care organisation and an answered Task for the EHR.
 */
@Component("beschikking")
public class BeschikkingSteps {

    private static final Logger log = LoggerFactory.getLogger(BeschikkingSteps.class);
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private final Map<String, BeschikkingFormat> formats;
    private final MessageStore store;
    private final BeschikkingStore beschikkingen;
    private final PlanCodec planCodec;
    private final Partners partners;
    private final AuditLog audit;
    private final DeliveryQueue queue;
    private final EhrNotifier ehr;
    private final Clock clock;
    private final OfficialRules rules;
    private final SecureRandom random = new SecureRandom();

    public BeschikkingSteps(
            List<BeschikkingFormat> formats,
            MessageStore store,
            BeschikkingStore beschikkingen,
            PlanCodec planCodec,
            Partners partners,
            AuditLog audit,
            DeliveryQueue queue,
            EhrNotifier ehr,
            Clock clock,
            OfficialRules rules) {
        this.rules = rules;
        this.formats = formats.stream().collect(Collectors.toMap(BeschikkingFormat::type, Function.identity()));
        this.store = store;
        this.beschikkingen = beschikkingen;
        this.planCodec = planCodec;
        this.partners = partners;
        this.audit = audit;
        this.queue = queue;
        this.ehr = ehr;
        this.clock = clock;
    }

    /** Reads the body in the format configured for this gemeente; every problem is reported at once. */
    public void parse(BeschikkingContext ctx) {
        BeschikkingFormat format = formats.get(ctx.gemeente().beschikkingFormat());
        String mediaType = ctx.contentType() == null
                ? ""
                : ctx.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!format.contentTypes().contains(mediaType)) {
            throw BeschikkingRejection.of(
                    415,
                    "0001",
                    "gemeente " + ctx.gemeente().gemeentecode() + " sends its beschikkingen as " + format.type()
                            + ": Content-Type must be one of " + format.contentTypes() + ", got '" + mediaType + "'",
                    "");
        }
        if (BeschikkingIwmoFormat.TYPE.equals(format.type())) {
            officialRules(ctx.body(), "the gemeente's message");
        }
        BeschikkingFormat.Parsed parsed =
                format.parse(ctx.body(), ctx.gemeente().gemeentecode(), ctx.beschikkingnummerHeader());
        List<Finding> errors =
                parsed.findings().stream().filter(Finding::isError).toList();
        if (parsed.beschikking().isEmpty() || !errors.isEmpty()) {
            int status = errors.stream().anyMatch(f -> BeschikkingFormat.SECURITY.equals(f.code()))
                    ? 403
                    : errors.stream().allMatch(f -> BeschikkingFormat.UNREADABLE.equals(f.code())) ? 400 : 422;
            throw new BeschikkingRejection(status, errors.isEmpty() ? parsed.findings() : errors);
        }
        ctx.beschikking(parsed.beschikking().get());
    }

    /**
     * The official iWmo rule set, when configured: a message that breaks it is refused (422) with
     * the rule set's retourcodes and locations. A body that is not XML is left to the format, which
     * says where it is broken.
     */
    private void officialRules(byte[] xml, String what) {
        List<Finding> broken;
        try {
            broken = rules.problems(xml, what);
        } catch (IwmoXmlReader.UnreadableXmlException e) {
            return;
        }
        if (!broken.isEmpty()) {
            throw new BeschikkingRejection(422, broken);
        }
    }

    /** The request it answers must exist and have been addressed to this gemeente. */
    public void correlate(BeschikkingContext ctx) {
        String aanvraag = ctx.beschikking().requestId();
        StoredRequest request = store.request(aanvraag)
                .orElseThrow(() -> BeschikkingRejection.of(
                        404,
                        "9355",
                        "aanvraag " + aanvraag
                                + " is not known: it does not come from a verzoek om toewijzing this gateway delivered",
                        "/aanvraag"));
        if (!request.gemeentecode().equals(ctx.gemeente().gemeentecode())) {
            audit.record(
                    "gemeente:" + ctx.gemeente().gemeentecode(),
                    "BESCHIKKING",
                    Optional.of(aanvraag),
                    Optional.empty(),
                    "FORBIDDEN",
                    Optional.of("request was addressed to gemeente " + request.gemeentecode()));
            throw BeschikkingRejection.of(
                    403,
                    "9355",
                    "aanvraag " + aanvraag + " was not addressed to gemeente "
                            + ctx.gemeente().gemeentecode(),
                    "/aanvraag");
        }
        ctx.request(request);
        ctx.plan(planCodec.read(request.planJson()));
        fillCategorieFromRequest(ctx);
        ctx.zorgorganisatie(partners.zorgorganisatie(request.senderAgb())
                .orElseThrow(() -> BeschikkingRejection.of(
                        409,
                        "0001",
                        "the care organisation of aanvraag " + aanvraag + " is no longer connected to this gateway",
                        "/aanvraag")));
    }

    /** A WMO319 names no product: the answered product's categorie and code are those that were requested. */
    private static void fillCategorieFromRequest(BeschikkingContext ctx) {
        Beschikking b = ctx.beschikking();
        Map<String, AangevraagdProduct> requested = ctx.plan().maatwerkvoorzieningen().stream()
                .collect(Collectors.toMap(AangevraagdProduct::referentieAanbieder, Function.identity(), (x, y) -> x));
        List<ProductBesluit> producten = b.producten().stream()
                .map(p -> {
                    if (!p.categorie().isBlank()
                            || p.referentieAanbieder().map(requested::get).isEmpty()) {
                        return p;
                    }
                    AangevraagdProduct asked =
                            requested.get(p.referentieAanbieder().get());
                    return new ProductBesluit(
                            p.referentieAanbieder(),
                            p.uitkomst(),
                            asked.categorie(),
                            p.code().or(asked::code),
                            p.omvang(),
                            p.ingangsdatum(),
                            p.einddatum(),
                            p.evaluatiedatum(),
                            p.redenAfwijzing(),
                            p.toewijzingNummer(),
                            p.toewijzingsmoment());
                })
                .toList();
        ctx.beschikking(new Beschikking(
                b.requestId(),
                b.beschikkingnummer(),
                b.besluit(),
                b.afgiftedatum(),
                producten,
                b.contactadres(),
                b.motivering(),
                b.redenWijziging()));
    }

    /** iWmo rules that need the gateway's own state: the products, the order of answers, changes. */
    public void checkAgainstRequest(BeschikkingContext ctx) {
        StoredRequest r = ctx.request();
        Beschikking b = ctx.beschikking();
        if (r.status() != RequestStatus.DELIVERED
                && r.status() != RequestStatus.IN_ONDERZOEK
                && r.status() != RequestStatus.ANSWERED) {
            throw BeschikkingRejection.of(
                    409,
                    "9063",
                    "aanvraag " + r.id() + " is " + r.status().name().toLowerCase(Locale.ROOT)
                            + "; only a delivered request can be answered",
                    "/aanvraag");
        }
        Optional<BeschikkingStore.Stored> earlier = beschikkingen.latest(r.id());
        if (earlier.isPresent() && earlier.get().beschikking().equals(b)) {
            ctx.herhaling(true);
            ctx.stored(earlier.get());
            return;
        }
        ctx.wijziging(earlier.isPresent());
        Set<String> requested = ctx.plan().maatwerkvoorzieningen().stream()
                .map(AangevraagdProduct::referentieAanbieder)
                .collect(Collectors.toSet());
        Set<String> granted = beschikkingen.toewijzingen(r.id()).stream()
                .flatMap(t -> t.referentieAanbieder().stream())
                .collect(Collectors.toSet());
        List<Finding> problems = new ArrayList<>();
        for (int i = 0; i < b.producten().size(); i++) {
            ProductBesluit p = b.producten().get(i);
            String at = "/producten/" + i + "/referentieAanbieder";
            if (p.referentieAanbieder().isEmpty()) {
                if (p.uitkomst() != ProductBesluit.Uitkomst.TOEGEKEND) {
                    problems.add(Finding.error("9355", "a product that was not asked for can only be granted", at));
                }
                continue;
            }
            String ref = p.referentieAanbieder().get();
            if (!requested.contains(ref)) {
                problems.add(Finding.error(
                        "9355",
                        "ReferentieAanbieder " + ref + " was not requested in aanvraag " + r.id() + "; requested: "
                                + requested.stream().sorted().toList(),
                        at));
            } else if (granted.contains(ref) && p.uitkomst() != ProductBesluit.Uitkomst.TOEGEKEND) {
                problems.add(Finding.error(
                        "9359",
                        "ReferentieAanbieder " + ref + " already has a toewijzing; end it by "
                                + "granting it with an einddatum and a redenWijziging instead of rejecting it",
                        at));
            }
        }
        problems.addAll(toewijzingNummerProblems(ctx));
        if (ctx.isWijziging()
                && b.redenWijziging().isEmpty()
                && b.producten().stream()
                        .anyMatch(p -> p.referentieAanbieder()
                                .filter(granted::contains)
                                .isPresent())) {
            problems.add(Finding.error(
                    "required",
                    "this changes an earlier beschikking on aanvraag " + r.id()
                            + " with a toewijzing: give the iWmo redenWijziging",
                    "/redenWijziging"));
        }
        if (!problems.isEmpty()) {
            throw new BeschikkingRejection(422, problems);
        }
    }

    /**
     * The ToewijzingNummers as the gemeente's way back wants them: its own for every granted product
     * when it forwards iWmo ({@code forward}), none when the gateway assigns them
     * ({@code gateway-numbers}); and a number of the gemeente's is unique within it: not already the
     * toewijzing of another product.
     */
    private List<Finding> toewijzingNummerProblems(BeschikkingContext ctx) {
        WayBack way = ctx.gemeente().wayBack();
        String gemeente = ctx.gemeente().gemeentecode();
        List<Finding> problems = new ArrayList<>();
        List<ProductBesluit> producten = ctx.beschikking().producten();
        Map<String, ProductBesluit> grantedBefore = grantedBefore(ctx.request().id());
        Map<String, Long> currentNumbers = currentNumbers(ctx.request().id());
        for (int i = 0; i < producten.size(); i++) {
            ProductBesluit p = producten.get(i);
            if (p.uitkomst() != ProductBesluit.Uitkomst.TOEGEKEND) {
                continue;
            }
            String at = "/producten/" + i + "/toewijzingNummer";
            if (way == WayBack.GATEWAY_NUMBERS && p.toewijzingNummer().isPresent()) {
                problems.add(Finding.error(
                        BeschikkingFormat.INVALID,
                        "gemeente " + gemeente + " has the gateway assign the"
                                + " ToewijzingNummers (wayBack gateway-numbers): leave 'toewijzingNummer' out",
                        at));
            } else if (way == WayBack.FORWARD && p.toewijzingNummer().isEmpty()) {
                problems.add(Finding.error(
                        BeschikkingFormat.REQUIRED,
                        "'toewijzingNummer' is required for a granted"
                                + " product: gemeente " + gemeente
                                + " assigns its toewijzingen (wayBack forward), and the care"
                                + " organisation uses that number in every later message",
                        at));
            }
            ProductBesluit before =
                    p.referentieAanbieder().map(grantedBefore::get).orElse(null);
            Optional<Long> current = p.referentieAanbieder().map(currentNumbers::get);
            if (before != null
                    && volumeChangedOutsideTotal(before, p)
                    && current.isPresent()
                    && p.toewijzingNummer().equals(current)) {
                problems.add(Finding.error(
                        BeschikkingFormat.INVALID,
                        "the omvang of ToewijzingNummer " + current.get()
                                + " changes from "
                                + before.omvang().map(Codelijsten::omschrijving).orElse("none") + " to "
                                + p.omvang().map(Codelijsten::omschrijving).orElse("none")
                                + ": iWmo changes a volume on the same"
                                + " toewijzing only for a total within it (frequentie 6, OP033x1); give a new toewijzingNummer,"
                                + " and the gateway ends the current toewijzing the day before the new one starts",
                        at));
            }
            p.toewijzingNummer()
                    .flatMap(n -> beschikkingen.nummer(gemeente, n))
                    .filter(known -> !known.requestId().equals(ctx.request().id())
                            || !known.referentieAanbieder().equals(p.referentieAanbieder()))
                    .ifPresent(known -> problems.add(Finding.error(
                            BeschikkingFormat.INVALID,
                            "ToewijzingNummer "
                                    + known.nummer() + " of gemeente " + gemeente
                                    + " is already the toewijzing of another product;"
                                    + " a ToewijzingNummer is unique within the gemeente and never given twice",
                            at)));
        }
        return problems;
    }

    /**
     * A ToewijzingNummer per granted product: the gemeente's own, or (wayBack gateway-numbers) a new
     * one the gateway assigns, or the existing one for a changed toewijzing.
     */
    public void toewijzen(BeschikkingContext ctx) {
        if (ctx.isHerhaling()) {
            return;
        }
        Beschikking b = ctx.beschikking();
        String gemeente = ctx.gemeente().gemeentecode();
        Map<String, ProductBesluit> grantedBefore = grantedBefore(ctx.request().id());
        ctx.stored(beschikkingen.save(ctx.request().id(), ctx.inboundId(), gemeente, b));
        Map<String, Long> existing = currentNumbers(ctx.request().id());
        for (ProductBesluit p : b.producten()) {
            if (p.uitkomst() != ProductBesluit.Uitkomst.TOEGEKEND) {
                continue;
            }
            Long known = p.referentieAanbieder().map(existing::get).orElse(null);
            ProductBesluit before =
                    p.referentieAanbieder().map(grantedBefore::get).orElse(null);
            boolean newToewijzing = known != null && before != null && volumeChangedOutsideTotal(before, p);
            long nummer;
            Optional<String> redenWijziging = Optional.empty();
            if (p.toewijzingNummer().isPresent()) {
                nummer = p.toewijzingNummer().get();
                if (known != null && known == nummer) {
                    beschikkingen.reassign(gemeente, nummer, ctx.stored().id());
                    redenWijziging = b.redenWijziging();
                } else {
                    beschikkingen.register(
                            gemeente,
                            nummer,
                            ctx.request().id(),
                            p.referentieAanbieder(),
                            ctx.stored().id());
                }
            } else if (ctx.gemeente().wayBack() != WayBack.GATEWAY_NUMBERS) {
                continue; // fhir-only without a number: nothing for iWmo, the Task shows the decision
            } else if (known != null && !newToewijzing) {
                nummer = known;
                beschikkingen.reassign(gemeente, nummer, ctx.stored().id());
                redenWijziging = b.redenWijziging();
            } else {
                nummer = beschikkingen.allocate(
                        gemeente,
                        ctx.request().id(),
                        p.referentieAanbieder(),
                        ctx.stored().id());
            }
            if (known != null && before != null && known != nummer) {
                // a new number for a product with a toewijzing: the current one ends the day before the new
                // one starts, in the same WMO301 (OP033x1: a volume changes in place only for a total)
                ctx.toewijzingen()
                        .add(ended(ctx, known, before, p.ingangsdatum().orElseThrow()));
            }
            ctx.toewijzingen().add(toewijzing(ctx, nummer, p, redenWijziging, Optional.empty()));
        }
    }

    /** The products of the beschikking before the current one (already stored), by ReferentieAanbieder. */
    private Map<String, ProductBesluit> answeredBefore(BeschikkingContext ctx) {
        List<BeschikkingStore.Stored> all =
                beschikkingen.forRequest(ctx.request().id());
        if (all.size() < 2) {
            return Map.of();
        }
        return all.get(all.size() - 2).beschikking().producten().stream()
                .filter(q -> q.referentieAanbieder().isPresent())
                .collect(Collectors.toMap(q -> q.referentieAanbieder().get(), Function.identity(), (x, y) -> y));
    }

    /**
     * The current ToewijzingNummer per requested product: the latest one, as a new number for the
     * same product replaced the earlier one.
     */
    private Map<String, Long> currentNumbers(String requestId) {
        return beschikkingen.toewijzingen(requestId).stream()
                .filter(t -> t.referentieAanbieder().isPresent())
                .collect(Collectors.toMap(
                        t -> t.referentieAanbieder().get(), BeschikkingStore.Nummer::nummer, (a, c) -> c));
    }

    /** The granted products of the latest beschikking on the request so far, by ReferentieAanbieder. */
    private Map<String, ProductBesluit> grantedBefore(String requestId) {
        return beschikkingen
                .latest(requestId)
                .map(s -> s.beschikking().producten().stream()
                        .filter(q -> q.uitkomst() == ProductBesluit.Uitkomst.TOEGEKEND
                                && q.referentieAanbieder().isPresent())
                        .collect(
                                Collectors.toMap(q -> q.referentieAanbieder().get(), Function.identity(), (x, y) -> y)))
                .orElse(Map.of());
    }

    /** A different omvang, not a total within the toewijzing (frequentie 6): iWmo wants a new toewijzing for it. */
    private static boolean volumeChangedOutsideTotal(ProductBesluit before, ProductBesluit now) {
        return !before.omvang().equals(now.omvang())
                && now.omvang()
                        .map(o -> !Omvang.FREQUENTIE_TOTAAL.equals(o.frequentie()))
                        .orElse(false);
    }

    /** The earlier toewijzing, ended the day before {@code newStart} (RedenWijziging 05), or removed (13) when it had not begun. */
    private Toewijzing ended(BeschikkingContext ctx, long nummer, ProductBesluit before, LocalDate newStart) {
        LocalDate ingang = before.ingangsdatum().orElseThrow();
        boolean begun = newStart.isAfter(ingang);
        ProductBesluit shortened = new ProductBesluit(
                before.referentieAanbieder(),
                before.uitkomst(),
                before.categorie(),
                before.code(),
                before.omvang(),
                before.ingangsdatum(),
                Optional.of(begun ? newStart.minusDays(1) : ingang),
                Optional.empty(),
                Optional.empty(),
                Optional.of(nummer),
                before.toewijzingsmoment());
        return toewijzing(
                ctx,
                nummer,
                shortened,
                Optional.of(begun ? REDEN_VERKORTING : REDEN_VERWIJDERD),
                Optional.of("Beeindigd: nieuwe toewijzing met een andere omvang vanaf " + newStart));
    }

    private static final String REDEN_VERKORTING = "05";
    private static final String REDEN_VERWIJDERD = "13";

    private static Toewijzing toewijzing(
            BeschikkingContext ctx,
            long nummer,
            ProductBesluit p,
            Optional<String> redenWijziging,
            Optional<String> note) {
        // passend beschikken: an open-ended product per week gets the gemeente's technical end date or a
        // volume per month (iWmo CD076); the EHR's Task keeps the decision as it was made
        LocalDate ingang = p.ingangsdatum().orElseThrow();
        OpenEndedPolicy.Written written = ctx.gemeente().openEnded().apply(p.omvang(), ingang, p.einddatum());
        Optional<String> commentaar = note.isPresent()
                ? note
                : written.technicalEnd()
                        ? Optional.of("Besloten zonder einddatum, Einddatum is technisch"
                                + p.evaluatiedatum()
                                        .map(d -> "; evaluatie uiterlijk " + d)
                                        .orElse(""))
                        : p.evaluatiedatum().map(d -> "Evaluatie uiterlijk " + d);
        return new Toewijzing(
                nummer,
                p.referentieAanbieder(),
                p.categorie(),
                p.code(),
                written.omvang(),
                ingang,
                written.einddatum(),
                redenWijziging,
                commentaar,
                p.toewijzingsmoment());
    }

    /**
     * The iWmo messages for the care organisation, as the gemeente's way back says: none
     * ({@code fhir-only}); the gemeente's own message, unchanged ({@code forward} with
     * {@code iwmo-xml}); or, from the beschikking, one WMO301 with every toewijzing and one WMO319
     * per product not granted.
     */
    public void toIwmoBerichten(BeschikkingContext ctx) {
        if (ctx.isHerhaling()) {
            ctx.berichten().addAll(previousBerichten(ctx));
            return;
        }
        if (ctx.gemeente().wayBack() == WayBack.FHIR_ONLY) {
            return;
        }
        if (BeschikkingIwmoFormat.TYPE.equals(ctx.gemeente().beschikkingFormat())) {
            forwardUnchanged(ctx);
            return;
        }
        LocalDate today = LocalDate.now(clock);
        LocalDate retourDue = Werkdagen.plus(today, 3);
        String gemeente = ctx.gemeente().gemeentecode();
        String agb = ctx.request().senderAgb();
        ZorgorganisatiePartner zorg = ctx.zorgorganisatie();
        try {
            if (!ctx.toewijzingen().isEmpty()) {
                String identificatie = identificatie();
                byte[] xml = new Wmo301Writer(clock)
                        .write(
                                new IwmoHeader(gemeente, agb, identificatie, today),
                                ctx.plan(),
                                ctx.beschikking()
                                        .contactadres()
                                        .orElseThrow(() -> BeschikkingRejection.of(
                                                422,
                                                "required",
                                                "a toewijzing needs the client's contactadres",
                                                "/contactadres")),
                                ctx.toewijzingen(),
                                LocalDateTime.now(clock));
                officialRules(xml, "the WMO301 made from this beschikking");
                String id = store.saveMessage(
                        ctx.request().id(),
                        agb,
                        "iwmo",
                        "WMO301",
                        "application/xml",
                        xml,
                        zorg.endpoint().map(e -> Endpoints.join(e, "/wmo301")),
                        "POST",
                        Optional.of(identificatie),
                        Optional.of(retourDue));
                ctx.berichten()
                        .add(new BeschikkingContext.Bericht(
                                "WMO301",
                                identificatie,
                                id,
                                ctx.toewijzingen().stream()
                                        .map(Toewijzing::toewijzingNummer)
                                        .toList(),
                                Optional.empty()));
            }
            Map<String, ProductBesluit> answeredBefore = answeredBefore(ctx);
            for (ProductBesluit p : ctx.beschikking().producten()) {
                if (p.uitkomst() == ProductBesluit.Uitkomst.TOEGEKEND
                        || p.referentieAanbieder().isEmpty()) {
                    continue;
                }
                ProductBesluit earlier =
                        answeredBefore.get(p.referentieAanbieder().get());
                if (earlier != null
                        && earlier.uitkomst() == p.uitkomst()
                        && earlier.redenAfwijzing().equals(p.redenAfwijzing())) {
                    continue; // one WMO319 per answer: the care organisation has this one already (TR365)
                }
                String identificatie = identificatie();
                String antwoord = p.uitkomst() == ProductBesluit.Uitkomst.AFGEWEZEN ? "1" : "2";
                byte[] xml = new Wmo319Writer(clock)
                        .write(
                                new IwmoHeader(gemeente, agb, identificatie, today),
                                p.referentieAanbieder().get(),
                                antwoord,
                                p.uitkomst() == ProductBesluit.Uitkomst.AFGEWEZEN
                                        ? p.redenAfwijzing()
                                        : Optional.empty());
                officialRules(xml, "the WMO319 made from this beschikking");
                String id = store.saveMessage(
                        ctx.request().id(),
                        agb,
                        "iwmo",
                        "WMO319",
                        "application/xml",
                        xml,
                        zorg.endpoint().map(e -> Endpoints.join(e, "/wmo319")),
                        "POST",
                        Optional.of(identificatie),
                        Optional.of(retourDue));
                ctx.berichten()
                        .add(new BeschikkingContext.Bericht(
                                "WMO319", identificatie, id, List.of(), p.referentieAanbieder()));
            }
        } catch (IllegalArgumentException e) {
            // what the gemeente sent does not fit an iWmo message; the writer says what and where
            throw BeschikkingRejection.of(422, "0001", e.getMessage(), "");
        }
    }

    /** The gemeente's WMO301 or WMO319 goes to the care organisation byte for byte (the signature is added on delivery). */
    private void forwardUnchanged(BeschikkingContext ctx) {
        org.w3c.dom.Element root = IwmoXmlReader.read(ctx.body()).getDocumentElement();
        String soort = BeschikkingIwmoFormat.NS_WMO301.equals(root.getNamespaceURI()) ? "WMO301" : "WMO319";
        String identificatie = root.getElementsByTagNameNS(BeschikkingIwmoFormat.NS_IWMO, "Identificatie")
                .item(0)
                .getTextContent()
                .strip();
        String agb = ctx.request().senderAgb();
        String id = store.saveMessage(
                ctx.request().id(),
                agb,
                "iwmo",
                soort,
                "application/xml",
                ctx.body(),
                ctx.zorgorganisatie().endpoint().map(e -> Endpoints.join(e, "/" + soort.toLowerCase(Locale.ROOT))),
                "POST",
                Optional.of(identificatie),
                Optional.of(Werkdagen.plus(LocalDate.now(clock), 3)));
        List<Long> nummers = ctx.beschikking().producten().stream()
                .flatMap(p -> p.toewijzingNummer().stream())
                .toList();
        ctx.berichten()
                .add(new BeschikkingContext.Bericht(
                        soort,
                        identificatie,
                        id,
                        nummers,
                        "WMO319".equals(soort)
                                ? ctx.beschikking().producten().get(0).referentieAanbieder()
                                : Optional.empty()));
    }

    /** The request is answered; the EHR sees it on its Task and, when configured, gets it pushed. */
    public void answer(BeschikkingContext ctx) {
        if (ctx.isHerhaling()) {
            return;
        }
        Beschikking b = ctx.beschikking();
        // in onderzoek keeps the verzoek open (TR374) until a toewijzing or a final answer
        RequestStatus status =
                b.besluit() == Beschikking.Besluit.IN_ONDERZOEK ? RequestStatus.IN_ONDERZOEK : RequestStatus.ANSWERED;
        store.transition(
                ctx.request().id(),
                status,
                Optional.of("beschikking " + b.beschikkingnummer() + ": "
                        + b.besluit().code() + (ctx.isWijziging() ? " (gewijzigd)" : "")));
        audit.record(
                "gemeente:" + ctx.gemeente().gemeentecode(),
                ctx.isWijziging() ? "BESCHIKKING_GEWIJZIGD" : "BESCHIKKING",
                Optional.of(ctx.request().id()),
                Optional.of(ctx.request().clientBsn()),
                b.besluit().name(),
                Optional.of("beschikking " + b.beschikkingnummer() + ", "
                        + ctx.berichten().size() + " iWmo message(s)"));
        for (BeschikkingContext.Bericht bericht : ctx.berichten()) {
            if (ctx.zorgorganisatie().endpoint().isPresent()) {
                queue.enqueueMessage(bericht.messageId());
            }
        }
        ehr.taskChanged(ctx.request().id());
        log.info(
                "request {} answered by gemeente {}: {} ({} iWmo message(s))",
                ctx.request().id(),
                ctx.gemeente().gemeentecode(),
                b.besluit().code(),
                ctx.berichten().size());
    }

    private List<BeschikkingContext.Bericht> previousBerichten(BeschikkingContext ctx) {
        return store.outbound(ctx.request().id()).stream()
                .filter(m -> "iwmo".equals(m.kind()) && !"WMO315".equals(m.rendering()))
                .map(m -> new BeschikkingContext.Bericht(
                        m.rendering(), m.iwmoIdentificatie().orElse(""), m.id(), List.of(), Optional.empty()))
                .toList();
    }

    /** iWmo Identificatie: 12 characters, unique per berichtsoort per sender (TR056). */
    private String identificatie() {
        char[] id = new char[12];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }
}
