package nl.wmogateway.beschikking;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.besluit.Beschikking;
import nl.wmogateway.iwmo.Toewijzing;
import nl.wmogateway.partner.GemeentePartner;
import nl.wmogateway.partner.ZorgorganisatiePartner;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.store.BeschikkingStore;
import nl.wmogateway.store.StoredRequest;

/** What the beschikking route carries from step to step for one message of a gemeente. */
public final class BeschikkingContext {

    /** One iWmo message made from the beschikking. */
    public record Bericht(
            String soort,
            String identificatie,
            String messageId,
            List<Long> toewijzingNummers,
            Optional<String> referentieAanbieder) {}

    private final GemeentePartner gemeente;
    private final String inboundId;
    private final String contentType;
    private final byte[] body;
    private final Optional<String> beschikkingnummerHeader;
    private Beschikking beschikking;
    private StoredRequest request;
    private Ondersteuningsplan plan;
    private ZorgorganisatiePartner zorgorganisatie;
    private BeschikkingStore.Stored stored;
    private final List<Toewijzing> toewijzingen = new ArrayList<>();
    private final List<Bericht> berichten = new ArrayList<>();
    private boolean wijziging;
    private boolean herhaling;

    public BeschikkingContext(
            GemeentePartner gemeente,
            String inboundId,
            String contentType,
            byte[] body,
            Optional<String> beschikkingnummerHeader) {
        this.gemeente = gemeente;
        this.inboundId = inboundId;
        this.contentType = contentType;
        this.body = body;
        this.beschikkingnummerHeader = beschikkingnummerHeader;
    }

    /** The beschikkingnummer from an HTTP header, for formats whose body does not carry it (iWmo WMO301). */
    public Optional<String> beschikkingnummerHeader() {
        return beschikkingnummerHeader;
    }

    public GemeentePartner gemeente() {
        return gemeente;
    }

    public String inboundId() {
        return inboundId;
    }

    public String contentType() {
        return contentType;
    }

    public byte[] body() {
        return body;
    }

    public Beschikking beschikking() {
        return beschikking;
    }

    public void beschikking(Beschikking b) {
        this.beschikking = b;
    }

    public StoredRequest request() {
        return request;
    }

    public void request(StoredRequest r) {
        this.request = r;
    }

    public Ondersteuningsplan plan() {
        return plan;
    }

    public void plan(Ondersteuningsplan p) {
        this.plan = p;
    }

    public ZorgorganisatiePartner zorgorganisatie() {
        return zorgorganisatie;
    }

    public void zorgorganisatie(ZorgorganisatiePartner z) {
        this.zorgorganisatie = z;
    }

    public BeschikkingStore.Stored stored() {
        return stored;
    }

    public void stored(BeschikkingStore.Stored s) {
        this.stored = s;
    }

    public List<Toewijzing> toewijzingen() {
        return toewijzingen;
    }

    public List<Bericht> berichten() {
        return berichten;
    }
    /** True when this beschikking changes one the gemeente sent before for the same request. */
    public boolean isWijziging() {
        return wijziging;
    }

    public void wijziging(boolean w) {
        this.wijziging = w;
    }
    /** True when the gemeente sent exactly the latest beschikking again: answered as before, nothing new sent. */
    public boolean isHerhaling() {
        return herhaling;
    }

    public void herhaling(boolean h) {
        this.herhaling = h;
    }
}
