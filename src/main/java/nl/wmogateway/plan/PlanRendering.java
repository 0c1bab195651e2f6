package nl.wmogateway.plan;

/**
 * One way of turning an {@link Ondersteuningsplan} into the bytes a gemeente receives. The
 * partner configuration names a rendering by its {@link #type()}; a gemeente may get more than
 * one (for example the JSON plan for its consulent and an iWmo WMO315 for its backoffice).
 *
 * <p>Implementations are stateless and thread-safe, render from the plan and context alone
 * (no clock, no randomness), and throw {@link IllegalArgumentException} when the plan cannot be
 * expressed in their format, rather than produce a message the gemeente would reject.
 */
public interface PlanRendering {

    /** The stable name the partner configuration uses, e.g. {@code "ondersteuningsplan-json"}. */
    String type();

    /** The MIME type of what {@link #render} returns, e.g. {@code "application/json"}. */
    String contentType();

    /**
     * Renders the plan.
     *
     * @param plan    the canonical plan
     * @param context per-message values that do not belong to the plan itself
     * @return the encoded document (UTF-8 for the text formats)
     * @throws IllegalArgumentException if the plan does not fit this format; the message names
     *                                  every offending field
     */
    byte[] render(Ondersteuningsplan plan, RenderContext context);
}
