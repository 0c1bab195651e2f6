package nl.wmogateway.partner;

/**
 * One rendering a gemeente wants of each plan, and the path under its endpoint it is posted to.
 *
 * @param type rendering type, e.g. {@code ondersteuningsplan-json} or {@code iwmo-wmo315}
 * @param path path appended to the gemeente's endpoint, starting with "/"
 */
public record RenderingTarget(String type, String path) {}
