package nl.wmogateway.intake;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import nl.wmogateway.store.MessageStore;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stores every body a gemeente or care organisation POSTs or PUTs to its API, exactly as received
 * and before anything parses it, so that even a message that cannot be read is kept for inspection
 * and never lost. Bodies over the iWmo limit of 25 MB are refused unread. (What EHRs send to
 * {@code /fhir} passes {@link FhirIntakeGuard}, which does the same within tighter limits.)
 */
public class InboundCaptureFilter extends OncePerRequestFilter {

    public static final String INBOUND_ID = "wmo.inboundId";
    /** The exact bytes received, for signature checks. */
    public static final String INBOUND_BODY = "wmo.inboundBody";
    public static final int MAX_BODY_BYTES = 25 * 1024 * 1024;

    private final MessageStore store;
    private final String channel;

    public InboundCaptureFilter(MessageStore store, String channel) {
        this.store = store;
        this.channel = channel;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"POST".equals(request.getMethod()) && !"PUT".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            response.sendError(413, "messages are limited to 25 MB");
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            response.sendError(413, "messages are limited to 25 MB");
            return;
        }
        String inboundId = store.saveInbound(channel, sender(request), request.getContentType(), body);
        request.setAttribute(INBOUND_ID, inboundId);
        request.setAttribute(INBOUND_BODY, body);
        chain.doFilter(new CachedBodyRequest(request, body), response);
        if (store.inbound(inboundId).map(m -> "RECEIVED".equals(m.outcome())).orElse(false)) {
            // never reached the intake route: unparseable, wrong endpoint, ...
            store.inboundOutcome(inboundId, "HTTP " + response.getStatus(), Optional.empty(), Optional.empty());
        }
    }

    private static String sender(HttpServletRequest request) {
        Object chain = request.getAttribute(CallerResolver.CERTIFICATE_ATTRIBUTE);
        if (chain instanceof X509Certificate[] certs && certs.length > 0) {
            return certs[0].getSubjectX500Principal().getName();
        }
        return "(no client certificate)";
    }
}
