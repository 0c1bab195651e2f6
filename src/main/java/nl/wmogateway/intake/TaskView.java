package nl.wmogateway.intake;

import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import nl.wmogateway.besluit.Beschikking;
import nl.wmogateway.besluit.ProductBesluit;
import nl.wmogateway.fhir.PlanBundle;
import nl.wmogateway.iwmo.IwmoCodes;
import nl.wmogateway.plan.Codelijsten;
import nl.wmogateway.plan.Omvang;
import nl.wmogateway.store.BeschikkingStore;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.store.StoredRequest;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Timing;

/**
 * The FHIR Task an EHR follows for its request. Status lifecycle (Task.businessStatus carries the
 * gateway's own state, Task.status the nearest FHIR status):
 * <pre>
 * received  (status requested) → delivered (status received) → answered (status completed)
 *     delivered → in-onderzoek (status in-progress; the gemeente investigates, the verzoek stays open) → answered
 *     ↘ retrying (status requested; attempts in statusReason)
 *     ↘ rejected (status rejected; the gemeente's reason in statusReason)
 *     ↘ failed   (status failed; retries exhausted, replayable by an operator)
 *     ↘ withdrawn (status cancelled; consent withdrawn before delivery)
 * </pre>
 */
public final class TaskView {

    public static final String BUSINESS_STATUS_SYSTEM = "https://wmo-gateway.nl/fhir/CodeSystem/aanvraag-status";
    public static final String REQUEST_ID_SYSTEM = "https://wmo-gateway.nl/fhir/NamingSystem/aanvraag";

    private TaskView() {}

    public static final String OUTPUT_SYSTEM = "https://wmo-gateway.nl/fhir/CodeSystem/beschikking-uitvoer";
    /** iWmo retourcodes (WJ001), on a Task the gemeente rejected with a WMO316. */
    public static final String RETOURCODE_SYSTEM = "https://wmo-gateway.nl/fhir/CodeSystem/iwmo-retourcode";

    public static final String REDEN_AFWIJZING_SYSTEM = "https://wmo-gateway.nl/fhir/CodeSystem/iwmo-reden-afwijzing";
    private static final String PRODUCTCATEGORIE_SYSTEM =
            "https://wmo-gateway.nl/fhir/CodeSystem/iwmo-productcategorie";
    private static final String PRODUCTCODE_SYSTEM = "https://wmo-gateway.nl/fhir/NamingSystem/gemeente-productcode";
    private static final String EENHEID_SYSTEM = "https://wmo-gateway.nl/fhir/CodeSystem/iwmo-eenheid";
    private static final String EVALUATIEDATUM = "https://wmo-gateway.nl/fhir/StructureDefinition/evaluatiedatum";
    private static final String REFERENTIE_SYSTEM = "https://wmo-gateway.nl/fhir/NamingSystem/referentie-aanbieder";
    private static final String TOEWIJZING_SYSTEM = "https://wmo-gateway.nl/fhir/NamingSystem/toewijzingnummer";

    public static Task of(StoredRequest r) {
        return of(r, Optional.empty(), List.of());
    }

    /**
     * The Task with, once the gemeente answered, the decision in {@code Task.output}: besluit,
     * beschikkingnummer, afgiftedatum, motivering, and per product a contained ServiceRequest in the
     * same shape the EHR used to ask for it (product, omvang, period, evaluatiedatum), or the reason
     * it was not granted.
     */
    public static Task of(StoredRequest r, Optional<Beschikking> beschikking, List<BeschikkingStore.Nummer> nummers) {
        return of(r, beschikking, nummers, List.of());
    }

    /**
     * As above; a request the gemeente rejected with a WMO316 also carries the rejecting
     * retourcodes as codings of {@code Task.statusReason} (system {@value #RETOURCODE_SYSTEM}, with
     * their WJ001 meaning), next to the reason in words.
     */
    public static Task of(
            StoredRequest r,
            Optional<Beschikking> beschikking,
            List<BeschikkingStore.Nummer> nummers,
            List<String> afkeurcodes) {
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
        if (r.status() == RequestStatus.REJECTED && task.hasStatusReason()) {
            afkeurcodes.forEach(code -> task.getStatusReason()
                    .addCoding(new Coding(RETOURCODE_SYSTEM, code, IwmoCodes.RETOURCODES.get(code))));
        }
        task.setCode(new CodeableConcept(
                new Coding("https://wmo-gateway.nl/fhir/CodeSystem/wmo-taak", "wmo-aanvraag", "Wmo-aanvraag")));
        task.setFor(new Reference()
                .setIdentifier(new Identifier()
                        .setSystem("http://fhir.nl/fhir/NamingSystem/bsn")
                        .setValue(r.clientBsn())));
        task.setOwner(new Reference()
                .setIdentifier(new Identifier()
                        .setSystem(PlanBundle.GEMEENTECODE_SYSTEM)
                        .setValue(r.gemeentecode())));
        task.setRequester(new Reference()
                .setIdentifier(new Identifier()
                        .setSystem("http://fhir.nl/fhir/NamingSystem/agb-z")
                        .setValue(r.senderAgb())));
        task.setAuthoredOn(Date.from(r.receivedAt()));
        task.setLastModified(Date.from(r.updatedAt()));
        beschikking.ifPresent(b -> addOutput(task, r, b, nummers));
        return task;
    }

    private static void addOutput(Task task, StoredRequest r, Beschikking b, List<BeschikkingStore.Nummer> nummers) {
        output(task, "besluit")
                .setValue(new CodeableConcept(new Coding(
                                OUTPUT_SYSTEM + "-besluit", b.besluit().code(), null))
                        .setText(b.besluit().code()));
        output(task, "beschikkingnummer").setValue(new StringType(String.valueOf(b.beschikkingnummer())));
        output(task, "afgiftedatum").setValue(new DateType(b.afgiftedatum().toString()));
        b.motivering().ifPresent(m -> output(task, "motivering").setValue(new StringType(m)));
        int n = 0;
        for (ProductBesluit p : b.producten()) {
            n++;
            switch (p.uitkomst()) {
                case TOEGEKEND -> {
                    ServiceRequest sr = grantedProduct(r, p, n, nummers);
                    task.addContained(sr);
                    output(task, "toegekend-product")
                            .setValue(new Reference("#" + sr.getIdElement().getIdPart()));
                }
                case AFGEWEZEN ->
                    output(task, "afgewezen-product")
                            .setValue(new CodeableConcept()
                                    .addCoding(new Coding(
                                            REDEN_AFWIJZING_SYSTEM,
                                            p.redenAfwijzing().orElse(null),
                                            null))
                                    .setText(p.referentieAanbieder()
                                                    .map(ref -> ref + ": ")
                                                    .orElse("")
                                            + "productcategorie " + p.categorie()
                                            + p.code()
                                                    .map(c -> " productcode " + c)
                                                    .orElse("")
                                            + " afgewezen"
                                            + p.redenAfwijzing()
                                                    .map(c -> " (reden " + c + ")")
                                                    .orElse("")));
                case IN_ONDERZOEK ->
                    output(task, "in-onderzoek-product")
                            .setValue(new StringType(p.referentieAanbieder()
                                            .map(ref -> ref + ": ")
                                            .orElse("") + "productcategorie " + p.categorie()
                                    + p.code().map(c -> " productcode " + c).orElse("") + " in onderzoek"));
            }
        }
    }

    private static ServiceRequest grantedProduct(
            StoredRequest r, ProductBesluit p, int n, List<BeschikkingStore.Nummer> nummers) {
        ServiceRequest sr = new ServiceRequest();
        sr.setId("product-" + n);
        sr.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        sr.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        sr.setSubject(new Reference()
                .setIdentifier(new Identifier()
                        .setSystem("http://fhir.nl/fhir/NamingSystem/bsn")
                        .setValue(r.clientBsn())));
        p.referentieAanbieder()
                .ifPresent(ref -> sr.addIdentifier(
                        new Identifier().setSystem(REFERENTIE_SYSTEM).setValue(ref)));
        nummers.stream()
                .filter(t -> t.referentieAanbieder().equals(p.referentieAanbieder())
                        && p.referentieAanbieder().isPresent())
                .findFirst()
                .ifPresent(t -> sr.addIdentifier(
                        new Identifier().setSystem(TOEWIJZING_SYSTEM).setValue(String.valueOf(t.nummer()))));
        CodeableConcept code =
                new CodeableConcept().addCoding(new Coding(PRODUCTCATEGORIE_SYSTEM, p.categorie(), null));
        p.code().ifPresent(c -> code.addCoding(new Coding(PRODUCTCODE_SYSTEM, c, null)));
        sr.setCode(code);
        Timing timing = new Timing();
        Period bounds = new Period();
        p.ingangsdatum().ifPresent(d -> bounds.setStartElement(new DateTimeType(d.toString())));
        p.einddatum().ifPresent(d -> bounds.setEndElement(new DateTimeType(d.toString())));
        timing.getRepeat().setBounds(bounds);
        p.omvang().ifPresent(o -> {
            sr.setQuantity(new Quantity()
                    .setValue(o.volume())
                    .setSystem(EENHEID_SYSTEM)
                    .setCode(o.eenheid())
                    .setUnit(Codelijsten.omschrijving(o)));
            Timing.UnitsOfTime unit = switch (o.frequentie()) {
                case Omvang.FREQUENTIE_PER_DAG -> Timing.UnitsOfTime.D;
                case Omvang.FREQUENTIE_PER_WEEK -> Timing.UnitsOfTime.WK;
                case Omvang.FREQUENTIE_PER_MAAND -> Timing.UnitsOfTime.MO;
                default -> null;
            };
            if (unit != null) {
                timing.getRepeat().setFrequency(1).setPeriod(1).setPeriodUnit(unit);
            }
        });
        sr.setOccurrence(timing);
        p.evaluatiedatum().ifPresent(d -> sr.addExtension(EVALUATIEDATUM, new DateType(d.toString())));
        return sr;
    }

    private static Task.TaskOutputComponent output(Task task, String code) {
        return task.addOutput().setType(new CodeableConcept(new Coding(OUTPUT_SYSTEM, code, null)).setText(code));
    }

    static String businessCode(RequestStatus status) {
        return status.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Task.TaskStatus fhirStatus(RequestStatus status) {
        return switch (status) {
            case RECEIVED, RETRYING -> Task.TaskStatus.REQUESTED;
            case DELIVERED -> Task.TaskStatus.RECEIVED;
            case IN_ONDERZOEK -> Task.TaskStatus.INPROGRESS;
            case ANSWERED -> Task.TaskStatus.COMPLETED;
            case REJECTED -> Task.TaskStatus.REJECTED;
            case FAILED -> Task.TaskStatus.FAILED;
            case WITHDRAWN -> Task.TaskStatus.CANCELLED;
        };
    }
}
