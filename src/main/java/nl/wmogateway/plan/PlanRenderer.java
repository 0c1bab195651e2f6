package nl.wmogateway.plan;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Makes the renderings a gemeente receives of one plan, with the per-message values they need.
 * Used at intake (every rendering is made, and must succeed, before the EHR hears "accepted") and
 * when an operator's replay needs a rendering made again. Each {@link PlanRendering} refuses a plan
 * that does not fit its format; the iWmo rendering also applies the official rule set.
 */
public class PlanRenderer {

    /** One rendering of one plan, ready to be stored and sent. */
    public record Rendered(String type, String contentType, byte[] body) {}

    private final Map<String, PlanRendering> renderings;
    private final Clock clock;

    public PlanRenderer(List<PlanRendering> renderings, Clock clock) {
        this.renderings = renderings.stream().collect(Collectors.toMap(PlanRendering::type, Function.identity()));
        this.clock = clock;
    }

    /**
     * Renders the plan as {@code type}.
     *
     * @throws IllegalArgumentException when the plan does not fit that format (the message says why)
     */
    public Rendered render(
            String type, Ondersteuningsplan plan, String requestId, Verwijzer verwijzer, OpenEndedPolicy openEnded) {
        PlanRendering rendering = renderings.get(type);
        if (rendering == null) {
            throw new IllegalStateException("no rendering " + type);
        }
        RenderContext context = new RenderContext(
                berichtIdentificatie(requestId), LocalDate.now(clock), verwijzer.type(), openEnded, verwijzer);
        byte[] body = rendering.render(plan, context);
        return new Rendered(type, rendering.contentType(), body);
    }

    /** The type of every rendering that is an iWmo message ({@code iwmo-wmo315}). */
    public static final String IWMO_PREFIX = "iwmo-";

    /** iWmo Identificatie: at most 12 characters, unique per berichtsoort per sender. */
    public static String berichtIdentificatie(String requestId) {
        return requestId.length() <= RenderContext.MAX_BERICHT_IDENTIFICATIE
                ? requestId
                : requestId.substring(0, RenderContext.MAX_BERICHT_IDENTIFICATIE);
    }
}
