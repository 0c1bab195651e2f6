package nl.wmogateway.intake;

import java.util.Date;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.store.StoredRequest;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;

/**
 * The FHIR Task an EHR follows for its request. Status lifecycle (Task.businessStatus carries the
 * gateway's own state, Task.status the nearest FHIR status):
 * <pre>
 * received  (status requested) → delivered (status received) → answered (status completed)
 *     ↘ retrying (status requested; attempts in statusReason)
 *     ↘ rejected (status rejected; the gemeente's reason in statusReason)
 *     ↘ failed   (status failed; retries exhausted, replayable by an operator)
 *     ↘ withdrawn (status cancelled; consent withdrawn before delivery)
 * </pre>
 */
public final class TaskView {

    public static final String BUSINESS_STATUS_SYSTEM = "https://wmo-gateway.nl/fhir/CodeSystem/aanvraag-status";
    public static final String REQUEST_ID_SYSTEM = "https://wmo-gateway.nl/fhir/NamingSystem/aanvraag";

    private TaskView() {
    }

    public static Task of(StoredRequest r) {
        Task task = new Task();
        task.setId(r.id());
        task.getMeta().setLastUpdated(Date.from(r.updatedAt()));
        task.addIdentifier(new Identifier().setSystem(REQUEST_ID_SYSTEM).setValue(r.id()));
        task.addIdentifier(new Identifier().setSystem(r.bundleSystem()).setValue(r.bundleValue()));
        task.setIntent(Task.TaskIntent.ORDER);
        task.setStatus(fhirStatus(r.status()));
        task.setBusinessStatus(new CodeableConcept(new Coding(BUSINESS_STATUS_SYSTEM, businessCode(r.status()), null))
                .setText(businessCode(r.status())));
        r.statusReason().ifPresent(reason -> task.setStatusReason(new CodeableConcept().setText(reason)));
        task.setCode(new CodeableConcept(new Coding("https://wmo-gateway.nl/fhir/CodeSystem/wmo-taak", "wmo-aanvraag", "Wmo-aanvraag")));
        task.setFor(new Reference().setIdentifier(new Identifier().setSystem("http://fhir.nl/fhir/NamingSystem/bsn").setValue(r.clientBsn())));
        task.setOwner(new Reference().setIdentifier(new Identifier().setSystem(PlanBundle.GEMEENTECODE_SYSTEM).setValue(r.gemeentecode())));
        task.setRequester(new Reference().setIdentifier(new Identifier().setSystem("http://fhir.nl/fhir/NamingSystem/agb-z").setValue(r.senderAgb())));
        task.setAuthoredOn(Date.from(r.receivedAt()));
        task.setLastModified(Date.from(r.updatedAt()));
        return task;
    }

    static String businessCode(RequestStatus status) {
        return status.name().toLowerCase();
    }

    static Task.TaskStatus fhirStatus(RequestStatus status) {
        return switch (status) {
            case RECEIVED, RETRYING -> Task.TaskStatus.REQUESTED;
            case DELIVERED -> Task.TaskStatus.RECEIVED;
            case ANSWERED -> Task.TaskStatus.COMPLETED;
            case REJECTED -> Task.TaskStatus.REJECTED;
            case FAILED -> Task.TaskStatus.FAILED;
            case WITHDRAWN -> Task.TaskStatus.CANCELLED;
        };
    }
}
