package nl.wmogateway.intake;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.wmogateway.delivery.WithdrawalNotice;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.store.StoredRequest;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A client withdraws consent: the EHR sends the updated Consent (status no longer active, a deny
 * provision, or a period that ended). Every request of that organisation resting on that Consent
 * that has not reached the gemeente is stopped (status withdrawn, the Task says why); for those
 * already delivered the gemeente is told ({@code POST <endpoint><withdrawalPath>}). A plan later
 * submitted with the withdrawn Consent is refused.
 */
@Service
class ConsentWithdrawal {

    private static final Logger log = LoggerFactory.getLogger(ConsentWithdrawal.class);

    /**
     * What a Consent update changed.
     *
     * @param withdrawn whether the Consent no longer allows sharing
     * @param stopped   requests that were stopped before delivery
     * @param reported  requests already delivered, reported to their gemeente
     */
    public record Outcome(boolean withdrawn, List<String> stopped, List<String> reported) {}

    private final MessageStore store;
    private final AuditLog audit;
    private final WithdrawalNotice notice;
    private final Clock clock;

    public ConsentWithdrawal(MessageStore store, AuditLog audit, WithdrawalNotice notice, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.notice = notice;
        this.clock = clock;
    }

    /** The identifiers under which requests may have recorded this Consent. */
    public static Set<String> ids(Consent consent) {
        Set<String> ids = new LinkedHashSet<>();
        consent.getIdentifier().stream()
                .filter(Identifier::hasValue)
                .map(Identifier::getValue)
                .forEach(ids::add);
        if (consent.hasIdElement() && consent.getIdElement().hasIdPart()) {
            ids.add(consent.getIdElement().getIdPart());
        }
        return ids;
    }

    /** Whether this version of the Consent no longer allows the plan to be shared. */
    public boolean isWithdrawn(Consent consent) {
        LocalDate today = LocalDate.now(clock);
        boolean inactive = consent.getStatus() != Consent.ConsentState.ACTIVE;
        boolean denied = consent.getProvision().getType() == Consent.ConsentProvisionType.DENY;
        boolean ended = consent.getProvision().getPeriod().hasEnd()
                && consent.getProvision()
                        .getPeriod()
                        .getEndElement()
                        .getValueAsCalendar()
                        .toInstant()
                        .atZone(clock.getZone())
                        .toLocalDate()
                        .isBefore(today);
        return inactive || denied || ended;
    }

    @Transactional
    public Outcome apply(String senderAgb, Consent consent, Optional<String> inboundId) {
        Set<String> ids = ids(consent);
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("the Consent needs the identifier it had when the plan was submitted");
        }
        if (!isWithdrawn(consent)) {
            return new Outcome(false, List.of(), List.of());
        }
        ids.forEach(id -> store.consentWithdrawn(senderAgb, id, inboundId));
        List<String> stopped = new ArrayList<>();
        List<String> reported = new ArrayList<>();
        for (StoredRequest r : store.requestsByConsent(senderAgb, ids)) {
            switch (r.status()) {
                case RECEIVED, RETRYING, FAILED -> {
                    if (store.transition(
                            r.id(),
                            RequestStatus.WITHDRAWN,
                            Optional.of("the client withdrew consent on " + LocalDate.now(clock)
                                    + "; the plan was not delivered to gemeente " + r.gemeentecode()))) {
                        stopped.add(r.id());
                        audit.record(
                                "zorgorganisatie:" + senderAgb,
                                "CONSENT_WITHDRAWN",
                                Optional.of(r.id()),
                                Optional.of(r.clientBsn()),
                                "STOPPED",
                                Optional.of("not delivered"));
                    }
                }
                case DELIVERED, IN_ONDERZOEK, ANSWERED -> {
                    report(r);
                    reported.add(r.id());
                    audit.record(
                            "zorgorganisatie:" + senderAgb,
                            "CONSENT_WITHDRAWN",
                            Optional.of(r.id()),
                            Optional.of(r.clientBsn()),
                            "REPORTED",
                            Optional.of("reported to gemeente " + r.gemeentecode()));
                }
                default -> {
                    // rejected or already withdrawn: nothing left to stop
                }
            }
        }
        log.info(
                "consent withdrawn for AGB {}: {} request(s) stopped, {} reported to the gemeente",
                senderAgb,
                stopped.size(),
                reported.size());
        return new Outcome(true, stopped, reported);
    }

    private void report(StoredRequest r) {
        notice.send(r);
    }
}
