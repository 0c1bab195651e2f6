package nl.wmogateway.plan;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import nl.wmogateway.intake.Finding;
import nl.wmogateway.iwmo.OfficialRules;
import org.springframework.stereotype.Component;

/**
 * Makes the renderings a gemeente receives of one plan, with the per-message values they need.
 * Used at intake (every rendering is made, and must succeed, before the EHR hears "accepted") and
 * when an operator's replay needs a rendering made again. An iWmo rendering must also pass the
 * official iWmo rule set when one is configured ({@link OfficialRules}): a message the chain would
 * reject is never made.
 */
@Component
public class PlanRenderer {

    /** One rendering of one plan, ready to be stored and sent. */
    public record Rendered(String type, String contentType, byte[] body) {
    }

    private final Map<String, PlanRendering> renderings;
    private final Clock clock;
    private final OfficialRules rules;

    public PlanRenderer(List<PlanRendering> renderings, Clock clock, OfficialRules rules) {
        this.renderings = renderings.stream().collect(Collectors.toMap(PlanRendering::type, Function.identity()));
        this.clock = clock;
        this.rules = rules;
    }

    /**
     * Renders the plan as {@code type}.
     *
     * @throws IllegalArgumentException when the plan does not fit that format (the message says why)
     */
    public Rendered render(String type, Ondersteuningsplan plan, String requestId, Verwijzer verwijzer,
                           OpenEndedPolicy openEnded) {
        PlanRendering rendering = renderings.get(type);
        if (rendering == null) {
            throw new IllegalStateException("no rendering " + type);
        }
        RenderContext context = new RenderContext(berichtIdentificatie(requestId), LocalDate.now(clock), verwijzer.type(),
                openEnded, verwijzer);
        byte[] body = rendering.render(plan, context);
        if (type.startsWith(IWMO_PREFIX)) {
            List<Finding> broken = rules.problems(body, "the " + type.substring(IWMO_PREFIX.length()).toUpperCase());
            if (!broken.isEmpty()) {
                throw new IllegalArgumentException(broken.stream().map(f -> f.message() + " at " + f.expression())
                        .collect(Collectors.joining("; ")));
            }
        }
        return new Rendered(type, rendering.contentType(), body);
    }

    /** The type of every rendering that is an iWmo message ({@code iwmo-wmo315}). */
    public static final String IWMO_PREFIX = "iwmo-";

    /** iWmo Identificatie: at most 12 characters, unique per berichtsoort per sender. */
    public static String berichtIdentificatie(String requestId) {
        return requestId.length() <= RenderContext.MAX_BERICHT_IDENTIFICATIE
                ? requestId : requestId.substring(0, RenderContext.MAX_BERICHT_IDENTIFICATIE);
    }
}
