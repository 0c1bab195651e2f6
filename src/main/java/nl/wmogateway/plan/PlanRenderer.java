package nl.wmogateway.plan;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Makes the renderings a gemeente receives of one plan, with the per-message values they need.
 * Used at intake (every rendering is made, and must succeed, before the EHR hears "accepted") and
 * when an operator's replay needs a rendering made again.
 */
@Component
public class PlanRenderer {

    /** One rendering of one plan, ready to be stored and sent. */
    public record Rendered(String type, String contentType, byte[] body) {
    }

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
    public Rendered render(String type, Ondersteuningsplan plan, String requestId, String verwijzerType) {
        PlanRendering rendering = renderings.get(type);
        if (rendering == null) {
            throw new IllegalStateException("no rendering " + type);
        }
        RenderContext context = new RenderContext(berichtIdentificatie(requestId), LocalDate.now(clock), verwijzerType);
        return new Rendered(type, rendering.contentType(), rendering.render(plan, context));
    }

    /** iWmo Identificatie: at most 12 characters, unique per berichtsoort per sender. */
    public static String berichtIdentificatie(String requestId) {
        return requestId.length() <= RenderContext.MAX_BERICHT_IDENTIFICATIE
                ? requestId : requestId.substring(0, RenderContext.MAX_BERICHT_IDENTIFICATIE);
    }
}
