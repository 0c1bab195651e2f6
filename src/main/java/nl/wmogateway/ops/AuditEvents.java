package nl.wmogateway.ops;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import nl.wmogateway.store.AuditLog;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * The audit trail as FHIR R4 AuditEvents, shaped after the IHE Basic Audit Log Patterns (BALP): a
 * RESTful interaction is type {@code rest} with the interaction as subtype, other events a DICOM
 * event type; the actor is the requesting agent, the gateway instance the observer; the client
 * appears as a patient entity identified by pseudonym only, and the record's place in the
 * chain travels as an entity detail, so a SIEM can tell a gap.
 */
final class AuditEvents {

    static final String PSEUDONYM_SYSTEM = "urn:wmo-gateway:client-pseudonym";
    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    private static final String INTERACTION = "http://hl7.org/fhir/restful-interaction";
    private static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    private static final String SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type";

    private final String instance;

    AuditEvents(String instance) {
        this.instance = instance;
    }

    Bundle bundle(List<AuditLog.Event> events, Instant now) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.setTimestamp(Date.from(now));
        bundle.setTotal(events.size());
        for (AuditLog.Event e : events) {
            AuditEvent a = of(e);
            bundle.addEntry().setFullUrl("urn:uuid:" + uuidOf(e)).setResource(a);
        }
        return bundle;
    }

    AuditEvent of(AuditLog.Event e) {
        AuditEvent a = new AuditEvent();
        a.setId("audit-" + e.seq().map(String::valueOf).orElse("u" + e.id()));
        Kind kind = kind(e.action());
        a.setType(kind.type());
        if (kind.subtype() != null) {
            a.addSubtype(kind.subtype());
        }
        a.setAction(kind.action());
        a.setRecorded(Date.from(e.at()));
        a.setOutcome(outcome(e.outcome()));
        a.setOutcomeDesc(e.outcome() + e.detail().map(d -> ": " + d).orElse(""));
        a.addAgent()
                .setRequestor(true)
                .setWho(new Reference().setDisplay(e.actor()))
                .setName(e.actor());
        a.getSource()
                .setSite("wmo-gateway")
                .setObserver(new Reference().setDisplay("wmo-gateway " + instance))
                .addType(new Coding(SOURCE_TYPE, "4", "Application Server"));
        e.requestId()
                .ifPresent(id -> a.addEntity()
                        .setWhat(new Reference("Task/" + id))
                        .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                        .setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource")));
        e.clientRef()
                .ifPresent(ref -> a.addEntity()
                        .setWhat(new Reference()
                                .setIdentifier(new Identifier()
                                        .setSystem(PSEUDONYM_SYSTEM)
                                        .setValue(ref)))
                        .setType(new Coding(ENTITY_TYPE, "1", "Person"))
                        .setRole(new Coding(OBJECT_ROLE, "1", "Patient")));
        AuditEvent.AuditEventEntityComponent chain =
                a.addEntity().setType(new Coding(ENTITY_TYPE, "4", "Other")).setName("wmo-gateway audit chain");
        chain.addDetail().setType("action").setValue(new StringType(e.action()));
        e.seq().ifPresent(seq -> chain.addDetail().setType("seq").setValue(new StringType(Long.toString(seq))));
        return a;
    }

    private record Kind(Coding type, Coding subtype, AuditEvent.AuditEventAction action) {}

    private static Kind kind(String action) {
        return switch (action) {
            case "SUBMIT" -> rest("create", AuditEvent.AuditEventAction.C);
            case "READ_TASK" -> rest("read", AuditEvent.AuditEventAction.R);
            case "CONSENT_WITHDRAWN" -> rest("update", AuditEvent.AuditEventAction.U);
            case "VIEW", "ACCESS_LOG" -> dcm("110110", "Patient Record", AuditEvent.AuditEventAction.R);
            case "ERASE", "RETENTION" -> dcm("110110", "Patient Record", AuditEvent.AuditEventAction.D);
            case "DELIVER", "FETCH", "AUDIT_EXPORT" -> dcm("110106", "Export", AuditEvent.AuditEventAction.E);
            case "BESCHIKKING", "BESCHIKKING_GEWIJZIGD", "RETOUR" ->
                dcm("110107", "Import", AuditEvent.AuditEventAction.C);
            case "HANDSHAKE", "ACTUATOR", "ADMIN" -> dcm("110113", "Security Alert", AuditEvent.AuditEventAction.E);
            default ->
                action.startsWith("DELIVER")
                        ? dcm("110106", "Export", AuditEvent.AuditEventAction.E)
                        : dcm("110100", "Application Activity", AuditEvent.AuditEventAction.E);
        };
    }

    private static Kind rest(String interaction, AuditEvent.AuditEventAction action) {
        return new Kind(
                new Coding(EVENT_TYPE, "rest", "RESTful Operation"),
                new Coding(INTERACTION, interaction, null),
                action);
    }

    private static Kind dcm(String code, String display, AuditEvent.AuditEventAction action) {
        return new Kind(new Coding(DCM, code, display), null, action);
    }

    /** 0 success, 4 refused (minor failure), 8 failed (serious failure). */
    private static AuditEvent.AuditEventOutcome outcome(String outcome) {
        String o = outcome.toUpperCase(Locale.ROOT);
        if (o.contains("FORBIDDEN")
                || o.contains("REFUSED")
                || o.contains("REJECT")
                || o.contains("BROKEN")
                || o.contains("INVALID")
                || o.contains("DENIED")) {
            return AuditEvent.AuditEventOutcome._4;
        }
        if (o.contains("FAIL") || o.contains("ERROR")) {
            return AuditEvent.AuditEventOutcome._8;
        }
        return AuditEvent.AuditEventOutcome._0;
    }

    private static String uuidOf(AuditLog.Event e) {
        return java.util
                .UUID
                .nameUUIDFromBytes(("wmo-gateway audit " + e.id()).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }
}
