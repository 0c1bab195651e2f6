package nl.wmogateway.beschikking;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Collectors;
import nl.wmogateway.delivery.DeliveryQueue;
import nl.wmogateway.delivery.PlanAnswer;
import nl.wmogateway.delivery.SynchronousAnswer;
import nl.wmogateway.iwmo.IwmoCodes;
import nl.wmogateway.iwmo.IwmoHeader;
import nl.wmogateway.iwmo.IwmoRetour;
import nl.wmogateway.iwmo.IwmoRetourXml;
import nl.wmogateway.iwmo.IwmoRules;
import nl.wmogateway.iwmo.KlasseRetour;
import nl.wmogateway.iwmo.Wmo315Rendering;
import nl.wmogateway.partner.Endpoints;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.OutboundMessage;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.store.RetourStore;
import nl.wmogateway.store.StoredRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The retours on messages the gateway sent, matched to the message they answer and kept with
 * their codes per berichtklasse:
 * <ul>
 *   <li>the care organisation's WMO302 / WMO320 on a WMO301 / WMO319, in the HTTP answer to the
 *       delivery or posted later ({@code POST /zorgorganisatie/retouren}); relayed to the gemeente
 *       of the original message when it configured a {@code retourPath}, and only when the retour's
 *       header and client are those of the original;</li>
 *   <li>the gemeente's WMO316 on a WMO315, in the HTTP answer to the WMO315 or posted later
 *       ({@code POST /gemeente/retouren}); one that rejects the WMO315 makes the request
 *       {@code rejected} with the codes and their meaning.</li>
 * </ul>
 * A retour that does not match its original is refused ({@link Refused}) and audited, never relayed.
 */
@Service
class RetourService implements SynchronousAnswer, PlanAnswer {

    private static final Logger log = LoggerFactory.getLogger(RetourService.class);

    /** The codes of one product class (ToegewezenProduct, AangevraagdProduct, Antwoord). */
    public record Product(
            String klasse,
            Optional<Long> toewijzingNummer,
            Optional<String> referentieAanbieder,
            List<String> retourcodes) {}

    /**
     * What happened to a retour.
     *
     * @param toelichting each rejecting code with its meaning, where it was found
     */
    public record Outcome(
            String messageId,
            String soort,
            boolean geaccepteerd,
            List<String> retourcodes,
            List<Product> producten,
            List<String> toelichting) {}

    /** Why a retour was not taken, as the sender reads it in the body of a 4xx answer. */
    public record Weigering(int status, String reden) {}

    /** A retour that does not belong to the message it names; nothing was kept or relayed. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int httpStatus;

        Refused(int httpStatus, String reason) {
            super(reason);
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final MessageStore store;
    private final RetourStore retouren;
    private final Partners partners;
    private final AuditLog audit;
    private final DeliveryQueue queue;

    public RetourService(
            MessageStore store, RetourStore retouren, Partners partners, AuditLog audit, DeliveryQueue queue) {
        this.store = store;
        this.retouren = retouren;
        this.partners = partners;
        this.audit = audit;
        this.queue = queue;
    }

    /**
     * Processes a retour (WMO302 or WMO320) sent by care organisation {@code agb}.
     *
     * @throws IllegalArgumentException when the body is not a readable WMO302/WMO320 (the message says why)
     * @throws NoSuchElementException   when it answers no message this gateway sent to {@code agb}
     * @throws Refused                  when its header or client is not that of the message it answers
     */
    @Transactional(noRollbackFor = Refused.class)
    public Outcome receive(String agb, byte[] body) {
        IwmoRetour retour = IwmoRetourXml.parse(body);
        if (IwmoRetour.WMO316.equals(retour.berichtsoort())) {
            throw new IllegalArgumentException("A WMO316 is the gemeente's retour on a WMO315; a care organisation "
                    + "sends WMO302 (on a WMO301) and WMO320 (on a WMO319)");
        }
        String actor = "zorgorganisatie:" + agb;
        List<OutboundMessage> kandidaten =
                store.messagesByIwmoIdentificatie(agb, retour.origineel().identificatie()).stream()
                        .filter(m -> retour.heenbericht().equals(m.rendering()))
                        .toList();
        if (kandidaten.isEmpty()) {
            throw new NoSuchElementException("no " + retour.heenbericht() + " with BerichtIdentificatie "
                    + retour.origineel().identificatie() + " was sent to AGB " + agb);
        }
        OutboundMessage original = kandidaten.stream()
                .filter(m -> heenbericht(m)
                        .header()
                        .afzender()
                        .equals(retour.origineel().afzender()))
                .findFirst()
                .orElse(kandidaten.get(0));
        IwmoRetourXml.Heenbericht heen = heenbericht(original);
        String gemeentecode = store.request(original.requestId())
                .map(StoredRequest::gemeentecode)
                .orElse(heen.header().afzender());
        List<String> verschillen = verschillen(retour, heen);
        if (!heen.header().afzender().equals(gemeentecode)) {
            verschillen.add(
                    0, "the " + heen.berichtsoort() + " it answers was not sent on behalf of gemeente " + gemeentecode);
        }
        if (!verschillen.isEmpty()) {
            throw refuse(actor, original, retour, verschillen);
        }
        Outcome outcome = keep(actor, original, retour);
        relayToGemeente(original, gemeentecode, retour, body);
        return outcome;
    }

    /**
     * Processes a WMO316 posted by gemeente {@code gemeentecode} on a WMO315 the gateway sent it. One
     * that rejects the WMO315 makes the request {@code rejected}, when it was not answered yet.
     *
     * @throws IllegalArgumentException when the body is not a readable WMO316
     * @throws NoSuchElementException   when it answers no WMO315 sent to this gemeente
     * @throws Refused                  when its header or client is not that of the WMO315
     */
    @Transactional(noRollbackFor = Refused.class)
    public Outcome receiveFromGemeente(String gemeentecode, byte[] body) {
        IwmoRetour retour = IwmoRetourXml.parse(body);
        if (!IwmoRetour.WMO316.equals(retour.berichtsoort())) {
            throw new IllegalArgumentException("A gemeente sends the WMO316 (on a WMO315); a " + retour.berichtsoort()
                    + " comes from the care organisation");
        }
        String actor = "gemeente:" + gemeentecode;
        List<OutboundMessage> kandidaten = store.renderingsByRequestPrefix(
                gemeentecode, Wmo315Rendering.TYPE, retour.origineel().identificatie());
        OutboundMessage original = kandidaten.stream()
                .filter(m -> heenbericht(m).header().equals(retour.origineel()))
                .findFirst()
                .or(() -> kandidaten.stream()
                        .filter(m -> heenbericht(m)
                                .header()
                                .identificatie()
                                .equals(retour.origineel().identificatie()))
                        .reduce((a, b) -> b))
                .orElseThrow(() -> new NoSuchElementException("no WMO315 with BerichtIdentificatie "
                        + retour.origineel().identificatie() + " was sent to gemeente " + gemeentecode));
        List<String> verschillen = verschillen(retour, heenbericht(original));
        if (!verschillen.isEmpty()) {
            throw refuse(actor, original, retour, verschillen);
        }
        Outcome outcome = keep(actor, original, retour);
        if (!retour.geaccepteerd()) {
            reject(
                    original,
                    "gemeente " + gemeentecode + " sent a WMO316 that rejects the WMO315: " + afkeuring(retour));
        }
        return outcome;
    }

    /** A care organisation's retour in the HTTP answer to a WMO301/WMO319. */
    @Override
    public void answered(OutboundMessage message, String contentType, byte[] body) {
        if (!"iwmo".equals(message.kind()) || "WMO315".equals(message.rendering()) || !contentType.contains("xml")) {
            // a copy of the WMO315 is for the care organisation's administration; it is not answered with a retour
            return;
        }
        try {
            receive(message.partner(), body);
        } catch (RuntimeException e) {
            // the message says what is wrong, never with the client's data (see IwmoRetour)
            log.warn(
                    "the answer of {} to {} {} is not a usable retour: {}",
                    message.partner(),
                    message.rendering(),
                    message.iwmoIdentificatie().orElse(""),
                    e.getMessage());
        }
    }

    /** A gemeente's WMO316 in the HTTP answer to the WMO315. */
    @Override
    @Transactional(noRollbackFor = Refused.class)
    public Optional<String> refusal(OutboundMessage rendering, String contentType, byte[] body) {
        if (!Wmo315Rendering.TYPE.equals(rendering.rendering()) || !looksLikeXml(contentType, body)) {
            return Optional.empty();
        }
        IwmoRetour retour;
        try {
            retour = IwmoRetourXml.parse(body);
        } catch (IllegalArgumentException e) {
            log.warn(
                    "request {}: the answer of gemeente {} to the WMO315 is no readable WMO316: {}",
                    rendering.requestId(),
                    rendering.partner(),
                    e.getMessage());
            audit.record(
                    "gemeente:" + rendering.partner(),
                    "RETOUR",
                    Optional.of(rendering.requestId()),
                    Optional.empty(),
                    "UNREADABLE",
                    Optional.of("answer to the WMO315: " + e.getMessage()));
            return Optional.empty();
        }
        String actor = "gemeente:" + rendering.partner();
        List<String> verschillen = IwmoRetour.WMO316.equals(retour.berichtsoort())
                ? verschillen(retour, heenbericht(rendering))
                : List.of("it is a " + retour.berichtsoort() + ", not a WMO316");
        if (!verschillen.isEmpty()) {
            refuse(actor, rendering, retour, verschillen);
            return Optional.empty();
        }
        keep(actor, rendering, retour);
        return retour.geaccepteerd()
                ? Optional.empty()
                : Optional.of("gemeente " + rendering.partner() + " answered the WMO315 with a WMO316 that rejects it: "
                        + afkeuring(retour));
    }

    /**
     * Where the retour differs from the message it answers: the header it repeats, the client and the
     * keys of the classes. The texts name no client.
     */
    private static List<String> verschillen(IwmoRetour retour, IwmoRetourXml.Heenbericht heen) {
        List<String> v = new ArrayList<>();
        IwmoHeader h = heen.header();
        IwmoHeader r = retour.origineel();
        String wat = "the " + heen.berichtsoort() + " " + h.identificatie();
        if (!retourOp(heen).equals(retour.berichtsoort())) {
            v.add("a " + retour.berichtsoort() + " does not answer a " + heen.berichtsoort());
        }
        if (!h.afzender().equals(r.afzender())) {
            v.add("Header/Afzender is " + r.afzender() + ", but " + wat + " was sent by " + h.afzender());
        }
        if (!h.ontvanger().equals(r.ontvanger())) {
            v.add("Header/Ontvanger is " + r.ontvanger() + ", but " + wat + " was sent to " + h.ontvanger());
        }
        if (!h.identificatie().equals(r.identificatie())) {
            v.add("Header/BerichtIdentificatie/Identificatie is " + r.identificatie() + ", not " + h.identificatie());
        }
        if (!h.dagtekening().equals(r.dagtekening())) {
            v.add("Header/BerichtIdentificatie/Dagtekening is " + r.dagtekening() + ", but " + wat + " is dated "
                    + h.dagtekening());
        }
        if (retour.bsn().isPresent() && !retour.bsn().equals(heen.bsn())) {
            v.add("Client/Bsn is not the client of " + wat);
        }
        for (KlasseRetour k : retour.klassen()) {
            if (k.isProduct()
                    && heen.klassen().stream()
                            .noneMatch(o ->
                                    o.klasse().equals(k.klasse()) && o.sleutel().equals(k.sleutel()))) {
                v.add(k.klasse() + " " + k.sleutel().orElse("") + " does not occur in " + wat);
            }
        }
        return v;
    }

    private Refused refuse(String actor, OutboundMessage original, IwmoRetour retour, List<String> verschillen) {
        String reason = "the " + retour.berichtsoort() + " does not belong to the " + original.rendering()
                + " it names " + "and is neither kept nor relayed: " + String.join("; ", verschillen);
        audit.record(
                actor, "RETOUR", Optional.of(original.requestId()), Optional.empty(), "REFUSED", Optional.of(reason));
        log.warn("{} retour for request {} refused: {}", retour.berichtsoort(), original.requestId(), reason);
        return new Refused(422, reason);
    }

    private Outcome keep(String actor, OutboundMessage original, IwmoRetour retour) {
        boolean accepted = retour.geaccepteerd();
        List<String> codes = retour.retourcodes();
        // the message's one-line summary: what rejects it, or what an accepted retour said (0200)
        store.retour(original.id(), accepted, String.join(",", accepted ? codes : retour.afkeurcodes()));
        retouren.save(
                original.requestId(),
                original.id(),
                retour.berichtsoort(),
                actor,
                retour.identificatieRetour(),
                retour.dagtekeningRetour(),
                retour.xsltVersie(),
                accepted,
                retour.headerRetourcodes(),
                retour.klassen().stream()
                        .map(k -> new RetourStore.Klasse(
                                k.klasse(), k.toewijzingNummer(), k.referentieAanbieder(), k.retourcodes()))
                        .toList());
        String what = retour.berichtsoort() + " on " + heenberichtNaam(original) + " "
                + retour.origineel().identificatie();
        audit.record(
                actor,
                "RETOUR",
                Optional.of(original.requestId()),
                Optional.empty(),
                accepted ? "ACCEPTED" : "REJECTED",
                Optional.of(what + ": " + (accepted ? codes : afkeuring(retour))));
        if (accepted) {
            log.info("{} for request {}: accepted", what, original.requestId());
        } else {
            log.warn("{} for request {} reports {}", what, original.requestId(), retour.afkeurcodes());
        }
        return new Outcome(
                original.id(),
                retour.berichtsoort(),
                accepted,
                codes,
                retour.producten().stream()
                        .map(k ->
                                new Product(k.klasse(), k.toewijzingNummer(), k.referentieAanbieder(), k.retourcodes()))
                        .toList(),
                toelichting(retour));
    }

    private void reject(OutboundMessage wmo315, String reason) {
        Optional<StoredRequest> request = store.request(wmo315.requestId());
        if (request.isPresent() && store.transition(request.get().id(), RequestStatus.REJECTED, Optional.of(reason))) {
            audit.record(
                    "gateway",
                    "DELIVER",
                    Optional.of(request.get().id()),
                    Optional.of(request.get().clientBsn()),
                    "REJECTED",
                    Optional.of(reason));
            log.info("request {} rejected by gemeente {} with a WMO316", wmo315.requestId(), wmo315.partner());
        }
    }

    private void relayToGemeente(OutboundMessage original, String gemeentecode, IwmoRetour retour, byte[] body) {
        partners.gemeente(gemeentecode).filter(g -> g.retourPath().isPresent()).ifPresent(g -> {
            String target = Endpoints.join(g.endpoint(), g.retourPath().get());
            String id = store.saveMessage(
                    original.requestId(),
                    gemeentecode,
                    "retour",
                    retour.berichtsoort(),
                    "application/xml",
                    body,
                    Optional.of(target),
                    "POST",
                    Optional.empty(),
                    Optional.empty());
            queue.enqueueMessage(id);
        });
    }

    /** The rejecting codes in words, each with where it was found: "Header: 0001 (...)", "Antwoord ref-1: 9360 (...)". */
    static String afkeuring(IwmoRetour retour) {
        return String.join("; ", toelichting(retour));
    }

    private static List<String> toelichting(IwmoRetour retour) {
        List<String> t = new ArrayList<>();
        List<String> header = retour.headerRetourcodes().stream()
                .filter(c -> !IwmoRetour.isAcceptatiecode(c))
                .toList();
        if (!header.isEmpty()) {
            t.add("Header: " + inWoorden(header));
        }
        for (KlasseRetour k : retour.klassen()) {
            List<String> codes = k.retourcodes().stream()
                    .filter(c -> !IwmoRetour.isAcceptatiecode(c))
                    .toList();
            if (!codes.isEmpty()) {
                String key = IwmoRules.KLASSE_CLIENT.equals(k.klasse())
                        ? ""
                        : k.sleutel().map(s -> " " + s).orElse("");
                t.add(k.klasse() + key
                        + k.referentieAanbieder()
                                .filter(ref -> !k.sleutel().equals(Optional.of(ref)))
                                .map(ref -> " (ReferentieAanbieder " + ref + ")")
                                .orElse("")
                        + ": " + inWoorden(codes));
            }
        }
        return t;
    }

    private static String inWoorden(List<String> codes) {
        return codes.stream().map(IwmoCodes::retourcodeInWoorden).collect(Collectors.joining(", "));
    }

    private static String retourOp(IwmoRetourXml.Heenbericht heen) {
        return IwmoRetourXml.retourOp(heen.berichtsoort());
    }

    private static String heenberichtNaam(OutboundMessage original) {
        return Wmo315Rendering.TYPE.equals(original.rendering()) ? "WMO315" : original.rendering();
    }

    private static IwmoRetourXml.Heenbericht heenbericht(OutboundMessage m) {
        return IwmoRetourXml.heenbericht(m.body());
    }

    private static boolean looksLikeXml(String contentType, byte[] body) {
        if (body == null || body.length == 0) {
            return false;
        }
        if (contentType != null && contentType.contains("xml")) {
            return true;
        }
        String start = new String(body, 0, Math.min(body.length, 64), java.nio.charset.StandardCharsets.UTF_8).strip();
        return start.startsWith("<");
    }
}
