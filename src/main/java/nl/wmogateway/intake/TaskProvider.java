package nl.wmogateway.intake;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.Outcomes;
import nl.wmogateway.inbound.Caller;
import nl.wmogateway.inbound.CallerResolver;
import nl.wmogateway.iwmo.IwmoRetour;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.BeschikkingStore;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.store.RetourStore;
import nl.wmogateway.store.StoredRequest;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Task;

/** {@code GET /fhir/Task/{id}}: the state of a request, readable only by the organisation that sent it. */
public class TaskProvider implements IResourceProvider {

    private final MessageStore store;
    private final BeschikkingStore beschikkingen;
    private final CallerResolver callers;
    private final AuditLog audit;
    private final RetourStore retouren;

    public TaskProvider(
            MessageStore store,
            BeschikkingStore beschikkingen,
            CallerResolver callers,
            AuditLog audit,
            RetourStore retouren) {
        this.retouren = retouren;
        this.store = store;
        this.beschikkingen = beschikkingen;
        this.callers = callers;
        this.audit = audit;
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
        return Task.class;
    }

    @Read
    public Task read(@IdParam IdType id, HttpServletRequest request) {
        Caller caller = callers.resolve(request);
        StoredRequest stored = store.request(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
        boolean own =
                caller.partner().map(p -> p.agb().equals(stored.senderAgb())).orElse(false);
        if (!own) {
            audit.record(
                    caller.auditName(),
                    "READ_TASK",
                    Optional.of(stored.id()),
                    Optional.empty(),
                    "FORBIDDEN",
                    Optional.of("Task of AGB " + stored.senderAgb()));
            String msg = "Task/" + id.getIdPart() + " belongs to another care organisation";
            throw new ForbiddenOperationException(msg, Outcomes.of(List.of(Finding.error("forbidden", msg, "Task"))));
        }
        audit.record(
                caller.auditName(),
                "READ_TASK",
                Optional.of(stored.id()),
                Optional.of(stored.clientBsn()),
                "READ",
                Optional.of("Task of AGB " + stored.senderAgb()));
        return TaskView.of(
                stored,
                beschikkingen.latest(stored.id()).map(BeschikkingStore.Stored::beschikking),
                beschikkingen.toewijzingen(stored.id()),
                afkeurcodes(stored));
    }

    /** The rejecting codes of the gemeente's WMO316 that made the request rejected; empty otherwise. */
    private List<String> afkeurcodes(StoredRequest stored) {
        if (stored.status() != RequestStatus.REJECTED) {
            return List.of();
        }
        return retouren.forRequest(stored.id()).stream()
                .filter(r -> "WMO316".equals(r.berichtsoort()) && !r.geaccepteerd())
                .reduce((first, second) -> second)
                .map(r -> java.util.stream.Stream.concat(
                                r.headerRetourcodes().stream(),
                                r.klassen().stream().flatMap(k -> k.retourcodes().stream()))
                        .filter(c -> !IwmoRetour.isAcceptatiecode(c))
                        .distinct()
                        .toList())
                .orElse(List.of());
    }
}
