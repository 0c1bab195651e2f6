package nl.wmogateway.plan;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.time.Instant;
import java.util.List;

/**
 * The canonical ondersteuningsplan: what the gateway understood from the EHR's FHIR resources,
 * organised along the five CRvB steps, independent of any gemeente's format. Every rendering
 * (JSON ondersteuningsplan, iWmo WMO315, ...) is made from this model alone.
 *
 * @param requestId         the gateway's id of the request (also the FHIR Task id; {@code planId} in the
 *                          gemeente's JSON, and in plans stored before it was renamed)
 * @param bundleIdentifier  the EHR's Bundle.identifier ("system|value"), the idempotency key
 * @param ontvangen         when the gateway stored the request
 * @param gemeente          the gemeente the plan is addressed to
 * @param zorgorganisatie   the care organisation that sends the plan
 * @param professional      the care professional who wrote the plan
 * @param client            the client (inwoner)
 * @param hulpvraag         CRvB step 1: the client's question for help
 * @param beperkingen       CRvB step 2: limitations per leefgebied
 * @param ondersteuningsbehoefte CRvB step 3: the support needed, as goals per leefgebied
 * @param eigenMogelijkheden CRvB step 4: own abilities, network, voorliggend veld
 * @param maatwerkvoorzieningen CRvB step 5: the requested provisions with their motivation
 * @param samenIndiceren    the Samen-indiceren conditions
 * @param toestemming       proof of the client's consent
 */
public record Ondersteuningsplan(
        @JsonAlias("planId") String requestId,
        String bundleIdentifier,
        Instant ontvangen,
        Gemeente gemeente,
        Zorgorganisatie zorgorganisatie,
        Professional professional,
        Client client,
        String hulpvraag,
        List<Beperking> beperkingen,
        List<Doel> ondersteuningsbehoefte,
        EigenMogelijkheden eigenMogelijkheden,
        List<AangevraagdProduct> maatwerkvoorzieningen,
        SamenIndiceren samenIndiceren,
        Toestemming toestemming) {

    public Ondersteuningsplan {
        beperkingen = List.copyOf(beperkingen);
        ondersteuningsbehoefte = List.copyOf(ondersteuningsbehoefte);
        maatwerkvoorzieningen = List.copyOf(maatwerkvoorzieningen);
    }
}
