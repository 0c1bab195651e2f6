package nl.wmogateway.inbound;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.MessageStore;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The door of {@code /gemeente} and {@code /zorgorganisatie}: the sender is resolved from the client
 * certificate before the body is read, and a certificate that belongs to no partner of the
 * endpoint's kind gets 403 with the body unread (audited). A partner's body is then stored exactly
 * as received and before anything parses it, so that even a message that cannot be read is kept
 * for inspection and never lost. Bodies over the iWmo limit of 25 MB are refused unread. (What EHRs
 * send to {@code /fhir} passes {@code intake.FhirIntakeGuard}, which does the same within tighter limits.)
 */
public class InboundCaptureFilter extends OncePerRequestFilter {

    public static final String INBOUND_ID = "wmo.inboundId";
    /** The exact bytes received, for signature checks. */
    public static final String INBOUND_BODY = "wmo.inboundBody";

    public static final int MAX_BODY_BYTES = 25 * 1024 * 1024;
    /** How much of a stranger's body is read past so that the 403 arrives in order. */
    private static final long SMALL_BODY = 1024 * 1024;

    private static final Duration READ_PAST_AT_MOST = Duration.ofSeconds(5);

    private final MessageStore store;
    private final AuditLog audit;
    private final String channel;
    private final String partnerKind;
    private final String action;
    private final Predicate<X509Certificate> partnerOfThisEndpoint;

    /**
     * @param channel               where the body came in ({@code gemeente}, {@code zorgorganisatie})
     * @param partnerKind           who may send here, in words ({@code gemeente}, {@code care organisation})
     * @param action                the audit action of a refused stranger
     * @param partnerOfThisEndpoint whether a certificate belongs to a partner that may send here
     */
    public InboundCaptureFilter(
            MessageStore store,
            AuditLog audit,
            String channel,
            String partnerKind,
            String action,
            Predicate<X509Certificate> partnerOfThisEndpoint) {
        this.store = store;
        this.audit = audit;
        this.channel = channel;
        this.partnerKind = partnerKind;
        this.action = action;
        this.partnerOfThisEndpoint = partnerOfThisEndpoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"POST".equals(request.getMethod()) && !"PUT".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        Optional<X509Certificate> certificate = CallerResolver.presented(request);
        if (certificate.isEmpty() || !partnerOfThisEndpoint.test(certificate.get())) {
            String who = certificate
                    .map(c -> "certificate:" + c.getSubjectX500Principal().getName())
                    .orElse("(no client certificate)");
            String length = request.getContentLengthLong() >= 0
                    ? "Content-Length " + request.getContentLengthLong()
                    : "no Content-Length";
            audit.record(
                    who,
                    action,
                    Optional.empty(),
                    Optional.empty(),
                    "FORBIDDEN",
                    Optional.of((certificate.isEmpty()
                                    ? "no client certificate"
                                    : "certificate belongs to no " + partnerKind)
                            + "; body not read (" + length + ")"));
            if (!RefusedBody.readPastUnread(request, SMALL_BODY, READ_PAST_AT_MOST)) {
                response.setHeader("Connection", "close");
            }
            forbidden(
                    response,
                    certificate.isEmpty()
                            ? "a TLS client certificate is required"
                            : "this certificate does not belong to a " + partnerKind + " connected to the gateway");
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

    /** The answer's shape is that of the endpoints' own refusals: retourcodes and meldingen. */
    private static void forbidden(HttpServletResponse response, String melding) throws IOException {
        String json =
                "{\"retourcodes\":[\"0001\"],\"meldingen\":[{\"code\":\"security\",\"locatie\":\"\",\"melding\":\""
                        + melding.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}]}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(403);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }

    private static String sender(HttpServletRequest request) {
        return CallerResolver.presented(request)
                .map(c -> c.getSubjectX500Principal().getName())
                .orElse("(no client certificate)");
    }
}
