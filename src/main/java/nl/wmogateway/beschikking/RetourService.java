package nl.wmogateway.beschikking;

import nl.wmogateway.partner.Endpoints;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import nl.wmogateway.iwmo.IwmoRetour;
import nl.wmogateway.iwmo.IwmoRetourXml;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.OutboundMessage;
import nl.wmogateway.transport.DeliveryQueue;
import nl.wmogateway.transport.SynchronousAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.stereotype.Service;

/**
 * The care organisation's retour on a WMO301 or WMO319 (WMO302 / WMO320): matched to the message
 * it answers, kept with its retourcodes, and relayed to the gemeente when it configured a
 * {@code retourPath}. A retour may come in the HTTP answer to the delivery or be posted later.
 */
@Service
public class RetourService implements SynchronousAnswer {

    private static final Logger log = LoggerFactory.getLogger(RetourService.class);

    /** What happened to a retour. */
    public record Outcome(String messageId, String soort, boolean geaccepteerd, List<String> retourcodes) {
    }

    private final MessageStore store;
    private final Partners partners;
    private final AuditLog audit;
    private final DeliveryQueue queue;

    public RetourService(MessageStore store, Partners partners, AuditLog audit, DeliveryQueue queue) {
        this.store = store;
        this.partners = partners;
        this.audit = audit;
        this.queue = queue;
    }

    /**
     * Processes a retour sent by care organisation {@code agb}.
     *
     * @throws IllegalArgumentException when the body is not a readable retour (the message says why)
     * @throws java.util.NoSuchElementException when it answers no message this gateway sent to {@code agb}
     */
    @Transactional
    public Outcome receive(String agb, byte[] body) {
        IwmoRetour retour = IwmoRetourXml.parse(body);
        OutboundMessage original = store.messageByIwmoIdentificatie(agb, retour.origineel().identificatie())
                .orElseThrow(() -> new java.util.NoSuchElementException("no iWmo message with BerichtIdentificatie "
                        + retour.origineel().identificatie() + " was sent to AGB " + agb));
        List<String> codes = Stream.concat(retour.headerRetourcodes().stream(),
                retour.klassen().stream().flatMap(k -> k.retourcodes().stream())).distinct().toList();
        boolean accepted = retour.geaccepteerd();
        store.retour(original.id(), accepted, String.join(",", codes));
        audit.record("zorgorganisatie:" + agb, "RETOUR", Optional.of(original.requestId()), Optional.empty(),
                accepted ? "ACCEPTED" : "REJECTED", Optional.of(retour.berichtsoort() + " on " + original.rendering() + " "
                        + retour.origineel().identificatie() + ": " + codes));
        if (accepted) {
            log.info("{} retour on {} for request {}: accepted", retour.berichtsoort(), original.rendering(), original.requestId());
        } else {
            log.warn("{} retour on {} for request {} reports {}", retour.berichtsoort(), original.rendering(),
                    original.requestId(), codes);
        }
        relayToGemeente(original, retour, body);
        return new Outcome(original.id(), retour.berichtsoort(), accepted, codes);
    }

    @Override
    public void answered(OutboundMessage message, String contentType, byte[] body) {
        if (!"iwmo".equals(message.kind()) || "WMO315".equals(message.rendering()) || !contentType.contains("xml")) {
            // a copy of the WMO315 is for the care organisation's administration; it is not answered with a retour
            return;
        }
        try {
            receive(message.partner(), body);
        } catch (RuntimeException e) {
            log.warn("the answer of {} to {} {} is not a usable retour: {}", message.partner(), message.rendering(),
                    message.iwmoIdentificatie().orElse(""), e.getMessage());
        }
    }

    private void relayToGemeente(OutboundMessage original, IwmoRetour retour, byte[] body) {
        String gemeentecode = retour.origineel().afzender();
        partners.gemeente(gemeentecode).filter(g -> g.retourPath().isPresent()).ifPresent(g -> {
            String target = Endpoints.join(g.endpoint(), g.retourPath().get());
            String id = store.saveMessage(original.requestId(), gemeentecode, "retour", retour.berichtsoort(),
                    "application/xml", body, Optional.of(target), "POST", Optional.empty(), Optional.empty());
            queue.enqueueMessage(id);
        });
    }
}
