package nl.wmogateway.beschikking;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import nl.wmogateway.delivery.DeliveryQueue;
import nl.wmogateway.intake.TaskView;
import nl.wmogateway.partner.Endpoints;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.partner.ZorgorganisatiePartner;
import nl.wmogateway.store.BeschikkingStore;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.StoredRequest;
import org.springframework.stereotype.Component;

/**
 * Pushes a changed Task to the EHR of the care organisation that submitted the request, for
 * organisations that configured a {@code fhirCallback}: {@code PUT <fhirCallback>/Task/<id>} over
 * mutual TLS, through the message queue (so it is retried and never lost). Others read the Task.
 */
@Component
class EhrNotifier {

    private final MessageStore store;
    private final BeschikkingStore beschikkingen;
    private final Partners partners;
    private final DeliveryQueue queue;
    private final FhirContext fhir;

    public EhrNotifier(
            MessageStore store,
            BeschikkingStore beschikkingen,
            Partners partners,
            DeliveryQueue queue,
            FhirContext fhir) {
        this.store = store;
        this.beschikkingen = beschikkingen;
        this.partners = partners;
        this.queue = queue;
        this.fhir = fhir;
    }

    public void taskChanged(String requestId) {
        StoredRequest request = store.request(requestId).orElseThrow();
        Optional<ZorgorganisatiePartner> zorg = partners.zorgorganisatie(request.senderAgb());
        if (zorg.isEmpty() || zorg.get().fhirCallback().isEmpty()) {
            return;
        }
        String target = Endpoints.join(zorg.get().fhirCallback().get(), "Task/" + requestId);
        String task = fhir.newJsonParser()
                .encodeResourceToString(TaskView.of(
                        request,
                        beschikkingen.latest(requestId).map(BeschikkingStore.Stored::beschikking),
                        beschikkingen.toewijzingen(requestId)));
        String id = store.saveMessage(
                requestId,
                request.senderAgb(),
                "fhir-callback",
                "Task",
                "application/fhir+json",
                task.getBytes(StandardCharsets.UTF_8),
                Optional.of(target),
                "PUT",
                Optional.empty(),
                Optional.empty());
        queue.enqueueMessage(id);
    }
}
