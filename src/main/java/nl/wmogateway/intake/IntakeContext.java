package nl.wmogateway.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.PlanBundle;
import nl.wmogateway.inbound.Caller;
import nl.wmogateway.partner.GemeentePartner;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.plan.PlanRenderer;
import nl.wmogateway.plan.Toestemming;
import nl.wmogateway.store.StoredRequest;
import org.hl7.fhir.r4.model.Bundle;

/**
 * What the intake route carries from step to step for one submission. Mutable on purpose: it is
 * the exchange body of one route run and never shared between threads.
 */
public final class IntakeContext {

    private final Bundle bundle;
    private final Caller caller;
    private final String inboundId;
    private final String bundleHash;
    private final List<Finding> warnings = new ArrayList<>();
    private String requestId;
    private PlanBundle planBundle;
    private GemeentePartner gemeente;
    private Toestemming toestemming;
    private Ondersteuningsplan plan;
    private StoredRequest stored;
    private final List<PlanRenderer.Rendered> renderings = new ArrayList<>();
    private boolean duplicate;

    public IntakeContext(Bundle bundle, Caller caller, String inboundId, String bundleHash) {
        this.bundle = bundle;
        this.caller = caller;
        this.inboundId = inboundId;
        this.bundleHash = bundleHash;
    }

    public Bundle bundle() {
        return bundle;
    }

    public Caller caller() {
        return caller;
    }

    public String inboundId() {
        return inboundId;
    }

    public String bundleHash() {
        return bundleHash;
    }

    public List<Finding> warnings() {
        return warnings;
    }

    public String requestId() {
        return requestId;
    }

    public void requestId(String id) {
        this.requestId = id;
    }

    public PlanBundle planBundle() {
        return planBundle;
    }

    public void planBundle(PlanBundle p) {
        this.planBundle = p;
    }

    public GemeentePartner gemeente() {
        return gemeente;
    }

    public void gemeente(GemeentePartner g) {
        this.gemeente = g;
    }

    public Toestemming toestemming() {
        return toestemming;
    }

    public void toestemming(Toestemming t) {
        this.toestemming = t;
    }

    public Ondersteuningsplan plan() {
        return plan;
    }

    public void plan(Ondersteuningsplan p) {
        this.plan = p;
    }
    /** What the gemeente will receive, made before the request is accepted. */
    public List<PlanRenderer.Rendered> renderings() {
        return renderings;
    }

    public Optional<StoredRequest> stored() {
        return Optional.ofNullable(stored);
    }

    public void stored(StoredRequest s) {
        this.stored = s;
    }

    /** True when the same Bundle.identifier was submitted before: the route stops and answers with it. */
    public boolean isDuplicate() {
        return duplicate;
    }

    public void duplicate(StoredRequest existing) {
        this.stored = existing;
        this.duplicate = true;
    }
}
