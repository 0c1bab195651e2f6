package nl.wmogateway.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import nl.wmogateway.iwmo.Werkdagen;
import nl.wmogateway.store.MessageStore;
import org.springframework.stereotype.Component;

/**
 * The iWmo deadlines: a WMO301 or WMO319 within 5 werkdagen of the verzoek om toewijzing, a retour
 * within 3 werkdagen of each message. Overdue requests and retours are listed for operators
 * ({@code GET /admin/termijnen}) and counted as metrics ({@code wmo.termijn.antwoord.overschreden},
 * {@code wmo.termijn.retour.overschreden}).
 */
@Component
public class Termijnen {

    public static final int ANTWOORD_WERKDAGEN = 5;
    public static final int RETOUR_WERKDAGEN = 3;
    /** A verzoek in onderzoek is decided within this many weeks of its Dagtekening. */
    public static final int ONDERZOEK_WEKEN = 8;

    /** A request the gemeente has not answered in time. */
    public record AntwoordTeLaat(
            String aanvraag, String gemeentecode, String zorgorganisatie, LocalDate afgeleverd, LocalDate uiterlijk) {}

    /**
     * A verzoek the gemeente put in onderzoek and has not decided within 8 weeks of the verzoek's
     * Dagtekening (the day the WMO315 was made).
     */
    public record OnderzoekTeLang(
            String aanvraag, String gemeentecode, String zorgorganisatie, LocalDate verzoek, LocalDate uiterlijk) {}

    /** An iWmo message whose retour has not come in time. */
    public record RetourTeLaat(
            String bericht,
            String soort,
            String identificatie,
            String aanvraag,
            String zorgorganisatie,
            LocalDate uiterlijk) {}

    private final MessageStore store;
    private final Clock clock;

    public Termijnen(MessageStore store, Clock clock, MeterRegistry metrics) {
        this.store = store;
        this.clock = clock;
        Counted antwoord = new Counted(() -> antwoordenTeLaat().size());
        Counted retour = new Counted(() -> retourenTeLaat().size());
        Counted onderzoek = new Counted(() -> onderzoekTeLang().size());
        Gauge.builder("wmo.termijn.antwoord.overschreden", antwoord, Counted::get)
                .description("delivered requests without a WMO301/WMO319 after 5 werkdagen")
                .register(metrics);
        Gauge.builder("wmo.termijn.retour.overschreden", retour, Counted::get)
                .description("iWmo messages without a retour after 3 werkdagen")
                .register(metrics);
        Gauge.builder("wmo.termijn.onderzoek.overschreden", onderzoek, Counted::get)
                .description("verzoeken in onderzoek without a decision 8 weeks after their Dagtekening")
                .register(metrics);
    }

    /** How long one count of missed deadlines serves every scrape: the queries read whole lists. */
    static final java.time.Duration GAUGE_CACHE = java.time.Duration.ofSeconds(15);

    /** A count read again at most once per {@link #GAUGE_CACHE}, whatever the scrape rate. */
    private static final class Counted {
        private final java.util.function.IntSupplier count;
        private double value;
        private long readAt;
        private boolean read;

        Counted(java.util.function.IntSupplier count) {
            this.count = count;
        }

        synchronized double get() {
            long now = System.nanoTime();
            if (!read || now - readAt >= GAUGE_CACHE.toNanos()) {
                value = count.getAsInt();
                readAt = now;
                read = true;
            }
            return value;
        }
    }

    public List<AntwoordTeLaat> antwoordenTeLaat() {
        LocalDate today = LocalDate.now(clock);
        return antwoorden().filter(a -> a.uiterlijk().isBefore(today)).toList();
    }

    /**
     * Delivered requests not yet answered whose deadline falls today or within {@code werkdagen}
     * werkdagen: not missed yet, but soon.
     */
    public List<AntwoordTeLaat> antwoordenInGevaar(int werkdagen) {
        LocalDate today = LocalDate.now(clock);
        LocalDate horizon = Werkdagen.plus(today, werkdagen);
        return antwoorden()
                .filter(a -> !a.uiterlijk().isBefore(today) && !a.uiterlijk().isAfter(horizon))
                .toList();
    }

    /** Verzoeken in onderzoek whose 8 weeks end today or within {@code werkdagen} werkdagen. */
    public List<OnderzoekTeLang> onderzoekInGevaar(int werkdagen) {
        LocalDate today = LocalDate.now(clock);
        LocalDate horizon = Werkdagen.plus(today, werkdagen);
        return onderzoeken()
                .filter(o -> !o.uiterlijk().isBefore(today) && !o.uiterlijk().isAfter(horizon))
                .toList();
    }

    /** iWmo messages still awaiting their retour whose deadline falls today or within {@code werkdagen}. */
    public List<RetourTeLaat> retourenInGevaar(int werkdagen) {
        LocalDate today = LocalDate.now(clock);
        LocalDate horizon = Werkdagen.plus(today, werkdagen);
        return store.retoursOverdue(horizon.plusDays(1)).stream()
                .filter(m -> !m.retourDue().orElseThrow().isBefore(today))
                .map(Termijnen::retour)
                .toList();
    }

    public List<OnderzoekTeLang> onderzoekTeLang() {
        LocalDate today = LocalDate.now(clock);
        return onderzoeken().filter(o -> o.uiterlijk().isBefore(today)).toList();
    }

    public List<RetourTeLaat> retourenTeLaat() {
        return store.retoursOverdue(LocalDate.now(clock)).stream()
                .map(Termijnen::retour)
                .toList();
    }

    /** Every delivered request still waiting for its answer, with its deadline. */
    private java.util.stream.Stream<AntwoordTeLaat> antwoorden() {
        return store.awaitingAnswer().stream()
                .filter(r -> r.deliveredAt().isPresent())
                .map(r -> {
                    LocalDate delivered =
                            r.deliveredAt().get().atZone(clock.getZone()).toLocalDate();
                    return new AntwoordTeLaat(
                            r.id(),
                            r.gemeentecode(),
                            r.senderAgb(),
                            delivered,
                            Werkdagen.plus(delivered, ANTWOORD_WERKDAGEN));
                });
    }

    /** Every verzoek in onderzoek, with the end of its 8 weeks. */
    private java.util.stream.Stream<OnderzoekTeLang> onderzoeken() {
        return store.inOnderzoek().stream().map(r -> {
            LocalDate verzoek = dagtekening(r);
            return new OnderzoekTeLang(
                    r.id(), r.gemeentecode(), r.senderAgb(), verzoek, verzoek.plusWeeks(ONDERZOEK_WEKEN));
        });
    }

    /**
     * The Dagtekening of the verzoek: the day its current WMO315 was made. After retries or a
     * replay that is later than the day the plan came in; a request from before the WMO315
     * rendering existed counts from its arrival.
     */
    private LocalDate dagtekening(nl.wmogateway.store.StoredRequest r) {
        return store.currentOutbound(r.id()).stream()
                .filter(m -> nl.wmogateway.iwmo.Wmo315Rendering.TYPE.equals(m.rendering()))
                .map(nl.wmogateway.store.OutboundMessage::createdAt)
                .min(java.util.Comparator.naturalOrder())
                .orElse(r.receivedAt())
                .atZone(clock.getZone())
                .toLocalDate();
    }

    private static RetourTeLaat retour(nl.wmogateway.store.OutboundMessage m) {
        return new RetourTeLaat(
                m.id(),
                m.rendering(),
                m.iwmoIdentificatie().orElse(""),
                m.requestId(),
                m.partner(),
                m.retourDue().orElseThrow());
    }
}
