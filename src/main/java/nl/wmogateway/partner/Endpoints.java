package nl.wmogateway.partner;

import java.net.URI;

/** Where under a partner's configured base URL something is sent. */
public final class Endpoints {

    private Endpoints() {}

    /** {@code base} + {@code path}, with exactly one "/" between them. */
    public static String join(URI base, String path) {
        String b = base.toString();
        String trimmed = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        return trimmed + (path.startsWith("/") ? path : "/" + path);
    }
}
