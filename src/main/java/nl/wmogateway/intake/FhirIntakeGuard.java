package nl.wmogateway.intake;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.Outcomes;
import nl.wmogateway.inbound.CachedBodyRequest;
import nl.wmogateway.inbound.CallerResolver;
import nl.wmogateway.inbound.InboundCaptureFilter;
import nl.wmogateway.inbound.InternalErrors;
import nl.wmogateway.inbound.RefusedBody;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.partner.ZorgorganisatiePartner;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.MessageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The door of {@code /fhir}: every body an EHR sends passes here before anything parses it, and the
 * work it may cause is bounded in this order, each step before the next costs anything:
 * <ol>
 *   <li>the sender: the client certificate must belong to a configured care organisation, or the
 *       answer is 403 and the body is never read;</li>
 *   <li>the media type: FHIR R4 JSON or XML in UTF-8, no content encoding but gzip (415);</li>
 *   <li>the size: {@code Content-Length} and the bytes actually read, also after gzip is undone,
 *       within {@link IntakeLimits#maxBodySize()} and read within
 *       {@link IntakeLimits#bodyReadTimeout()} (413, 408);</li>
 *   <li>the document: one meaning, bounded structure ({@link DocumentCheck}: 400, 422);</li>
 *   <li>the load: at most a share of submissions in progress per care organisation (429, before the
 *       body is read) and a bounded number validating at once, with a short wait for a turn (503);
 *       both with {@code Retry-After} ({@link IntakeAdmission}).</li>
 * </ol>
 * Then the body is stored exactly as it will be parsed ({@code inbound_message}), and the request
 * goes on to HAPI with that body. Refusals are FHIR OperationOutcomes that name the limit and its
 * value. A refused body is recorded with its sender, size and SHA-256, and kept only when it is
 * within the size limit; the audit trail has the refusals of certificates that belong to no partner.
 */
class FhirIntakeGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(FhirIntakeGuard.class);
    static final String CHANNEL = "fhir";
    /** How much of a refused partner's body is read past so that the answer arrives in order. */
    private static final long DISCARD_AT_MOST = 64L * 1024 * 1024;
    /** How much is read past for a refusal of someone who is not (or not now) let in: what Tomcat itself would swallow. */
    private static final long SMALL_BODY = 1024 * 1024;
    /** Below this, a gzip body's inflation ratio says nothing yet. */
    private static final int RATIO_CHECK_FROM = 256 * 1024;

    private final Partners partners;
    private final MessageStore store;
    private final AuditLog audit;
    private final FhirContext fhir;
    private final IntakeLimits limits;
    private final IntakeAdmission admission;
    private final Counter partnerShareFull;
    private final Counter gatewayBusy;

    public FhirIntakeGuard(
            Partners partners,
            MessageStore store,
            AuditLog audit,
            FhirContext fhir,
            IntakeLimits limits,
            IntakeAdmission admission,
            MeterRegistry metrics) {
        this.partners = partners;
        this.store = store;
        this.audit = audit;
        this.fhir = fhir;
        this.limits = limits;
        this.admission = admission;
        this.partnerShareFull = Counter.builder("wmo.intake.throttled")
                .tag("reason", "partner")
                .description("submissions answered 429: the care organisation had its share in progress")
                .register(metrics);
        this.gatewayBusy = Counter.builder("wmo.intake.throttled")
                .tag("reason", "busy")
                .description("submissions answered 503: no turn to validate within the wait")
                .register(metrics);
        Gauge.builder("wmo.intake.validations.active", admission, IntakeAdmission::active)
                .description("submissions being parsed, validated and stored")
                .register(metrics);
        Gauge.builder("wmo.intake.validations.waiting", admission, IntakeAdmission::waiting)
                .description("submissions waiting for their turn")
                .register(metrics);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"POST".equals(request.getMethod()) && !"PUT".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        try {
            guard(request, response, chain);
        } catch (RuntimeException e) {
            String reference = InternalErrors.newReference();
            log.error(
                    "internal error, reference {}: {} {}", reference, request.getMethod(), request.getRequestURI(), e);
            if (response.isCommitted()) {
                throw e;
            }
            response.reset();
            refuse(
                    request,
                    response,
                    new IntakeRejection(
                            500, List.of(Finding.error("exception", InternalErrors.message(reference), ""))));
        }
    }

    private void guard(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<X509Certificate> certificate = CallerResolver.presented(request);
        if (certificate.isEmpty()) {
            refuseBeforeBody(
                    request,
                    response,
                    new IntakeRejection(
                            403, List.of(Finding.error("security", "a TLS client certificate is required", ""))),
                    SMALL_BODY);
            return;
        }
        Optional<ZorgorganisatiePartner> partner = partners.zorgorganisatieFor(certificate.get());
        String sender = certificate.get().getSubjectX500Principal().getName();
        if (partner.isEmpty()) {
            audit.record(
                    "certificate:" + sender,
                    "SUBMIT",
                    Optional.empty(),
                    Optional.empty(),
                    "FORBIDDEN",
                    Optional.of("certificate belongs to no care organisation; body not read (" + declaredLength(request)
                            + ")"));
            refuseBeforeBody(
                    request,
                    response,
                    IntakeRejection.forbidden(Finding.error(
                            "security",
                            "the client certificate is not registered for any care organisation in the gateway's partner configuration",
                            "")),
                    SMALL_BODY);
            return;
        }

        String agb = partner.get().agb();
        if (!admission.enter(agb)) {
            partnerShareFull.increment();
            log.debug("submission of AGB {} refused: {} in progress", agb, limits.maxInFlightPerPartner());
            throttled(
                    request,
                    response,
                    429,
                    "care organisation AGB " + agb + " has " + limits.maxInFlightPerPartner()
                            + " submissions in progress, the most one organisation may have at once (wmo.intake.max-in-flight-per-partner = "
                            + limits.maxInFlightPerPartner() + "); send this one again after "
                            + limits.retryAfterSeconds() + " s");
            return;
        }
        try {
            admitted(request, response, chain, sender);
        } finally {
            admission.leave(agb);
        }
    }

    /** The sender is known and within its share: the body is read, checked, stored and passed on. */
    private void admitted(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String sender)
            throws ServletException, IOException {
        String rootType = rootType(request);
        Optional<IntakeRejection> unsupported = mediaProblem(request);
        if (unsupported.isPresent()) {
            record(sender, request, new byte[0], unsupported.get(), "body not read");
            refuseBeforeBody(request, response, unsupported.get(), DISCARD_AT_MOST);
            return;
        }
        long maxBody = limits.maxBodySize().toBytes();
        if (request.getContentLengthLong() > maxBody) {
            IntakeRejection tooLarge = tooLarge("the body of " + request.getContentLengthLong()
                    + " bytes (Content-Length)"
                    + " is larger than " + maxBody + " bytes, the most the gateway takes (wmo.intake.max-body-size = "
                    + limits.maxBodySize() + ")");
            record(
                    sender,
                    request,
                    new byte[0],
                    tooLarge,
                    "body not read; Content-Length " + request.getContentLengthLong());
            refuseBeforeBody(request, response, tooLarge, DISCARD_AT_MOST);
            return;
        }

        BodyRead read = readBody(request);
        if (read.refusal().isPresent()) {
            record(sender, request, new byte[0], read.refusal().get(), read.summary());
            refuseDuringBody(request, response, read.refusal().get());
            return;
        }
        byte[] body = read.body();
        Optional<IntakeRejection> documentProblem = DocumentCheck.check(body, format(request), rootType, limits);
        if (documentProblem.isPresent()) {
            record(sender, request, body, documentProblem.get(), read.summary());
            refuse(request, response, documentProblem.get());
            return;
        }

        if (!admission.acquire()) {
            gatewayBusy.increment();
            log.debug("submission refused: no turn to validate within {}", limits.validationWait());
            throttled(
                    request,
                    response,
                    503,
                    "the gateway is validating " + limits.maxConcurrentValidations()
                            + " submissions and no turn came within "
                            + limits.validationWait().toMillis() + " ms "
                            + "(wmo.intake.max-concurrent-validations = " + limits.maxConcurrentValidations()
                            + ", wmo.intake.validation-wait = " + limits.validationWait() + "); send it again after "
                            + limits.retryAfterSeconds() + " s");
            return;
        }
        try {
            String inboundId = store.saveInbound(CHANNEL, sender, request.getContentType(), body);
            request.setAttribute(InboundCaptureFilter.INBOUND_ID, inboundId);
            request.setAttribute(InboundCaptureFilter.INBOUND_BODY, body);
            chain.doFilter(new CachedBodyRequest(request, body, "Content-Encoding"), response);
            if (store.inbound(inboundId)
                    .map(m -> "RECEIVED".equals(m.outcome()))
                    .orElse(false)) {
                // never reached the intake route: unparseable, wrong endpoint, ...
                store.inboundOutcome(inboundId, "HTTP " + response.getStatus(), Optional.empty(), Optional.empty());
            }
        } finally {
            admission.release();
        }
    }

    /**
     * 429 or 503: nothing was accepted, the EHR may send the same request again after Retry-After.
     * A 429 comes before the body is read; a small body is read past so the connection stays usable.
     */
    private void throttled(HttpServletRequest request, HttpServletResponse response, int status, String message)
            throws IOException {
        response.setHeader("Retry-After", Long.toString(limits.retryAfterSeconds()));
        IntakeRejection refusal = new IntakeRejection(status, List.of(Finding.error("throttled", message, "")));
        if (status == 429) {
            refuseBeforeBody(request, response, refusal, SMALL_BODY);
        } else {
            refuse(request, response, refusal);
        }
    }

    // ---------------------------------------------------------------- media type

    /** What the body is, from Content-Type; only called once {@link #mediaProblem} found none. */
    private static DocumentCheck.Format format(HttpServletRequest request) {
        return MediaType.parseMediaType(request.getContentType()).getSubtype().contains("xml")
                ? DocumentCheck.Format.XML
                : DocumentCheck.Format.JSON;
    }

    private static final List<String> ACCEPTED_TYPES =
            List.of("application/fhir+json", "application/json", "application/fhir+xml", "application/xml");

    private Optional<IntakeRejection> mediaProblem(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null || contentType.isBlank()) {
            return Optional.of(unsupported(
                    "the request has no Content-Type; send application/fhir+json or application/fhir+xml",
                    "header:Content-Type"));
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            return Optional.of(unsupported(
                    "Content-Type '" + contentType + "' cannot be read; send application/fhir+json "
                            + "or application/fhir+xml",
                    "header:Content-Type"));
        }
        String base = type.getType().toLowerCase(Locale.ROOT) + "/"
                + type.getSubtype().toLowerCase(Locale.ROOT);
        if (!ACCEPTED_TYPES.contains(base)) {
            return Optional.of(unsupported(
                    "this endpoint takes FHIR resources as " + String.join(", ", ACCEPTED_TYPES) + ", not " + base,
                    "header:Content-Type"));
        }
        String charset = type.getParameter("charset");
        if (charset != null && !unquote(charset).equalsIgnoreCase("utf-8")) {
            return Optional.of(unsupported(
                    "charset " + unquote(charset) + " is not supported: FHIR documents are UTF-8",
                    "header:Content-Type"));
        }
        String fhirVersion = type.getParameter("fhirVersion");
        if (fhirVersion != null && !isR4(unquote(fhirVersion))) {
            return Optional.of(unsupported(
                    "fhirVersion " + unquote(fhirVersion)
                            + " is not supported: this endpoint takes FHIR R4 (fhirVersion=4.0)",
                    "header:Content-Type"));
        }
        List<String> encodings = contentEncodings(request);
        if (encodings.size() > 1 || (encodings.size() == 1 && !encodings.get(0).equals("gzip"))) {
            return Optional.of(unsupported(
                    "Content-Encoding " + String.join(", ", encodings)
                            + " is not supported: send the body as is or with gzip",
                    "header:Content-Encoding"));
        }
        return Optional.empty();
    }

    private static boolean isR4(String version) {
        return version.equals("4.0") || version.startsWith("4.0.");
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    /** The content codings applied, in order, without {@code identity}. */
    private static List<String> contentEncodings(HttpServletRequest request) {
        return Collections.list(request.getHeaders("Content-Encoding")).stream()
                .flatMap(h -> Arrays.stream(h.split(",")))
                .map(e -> e.trim().toLowerCase(Locale.ROOT))
                .filter(e -> !e.isEmpty() && !e.equals("identity"))
                .toList();
    }

    private IntakeRejection unsupported(String message, String expression) {
        return new IntakeRejection(415, List.of(Finding.error("not-supported", message, expression)));
    }

    // ---------------------------------------------------------------- the body

    /**
     * The body as read: its bytes (decoded when gzip) or why reading stopped; {@code summary} says
     * what was received, for the record.
     */
    private record BodyRead(byte[] body, Optional<IntakeRejection> refusal, String summary) {}

    private BodyRead readBody(HttpServletRequest request) throws IOException {
        long maxBody = limits.maxBodySize().toBytes();
        boolean gzip = !contentEncodings(request).isEmpty();
        long deadline = System.nanoTime() + limits.bodyReadTimeout().toNanos();
        DigestingInputStream raw = new DigestingInputStream(request.getInputStream());
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                (int) Math.min(Math.max(request.getContentLengthLong(), 8192), gzip ? maxBody / 4 : maxBody));
        byte[] buffer = new byte[16 * 1024];
        // the connection's stream stays open: what a refusal leaves unread is read past later
        InputStream unclosed = new FilterInputStream(raw) {
            @Override
            public void close() {}
        };
        try (InputStream in = gzip ? new GZIPInputStream(unclosed, 8192) : unclosed) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                if (out.size() > maxBody) {
                    return new BodyRead(
                            null,
                            Optional.of(tooLarge((gzip ? "the body inflates to more than " : "the body is larger than ")
                                    + maxBody + " bytes, the most the gateway takes (wmo.intake.max-body-size = "
                                    + limits.maxBodySize() + ")")),
                            raw.summary("refused while reading", gzip));
                }
                if (gzip && out.size() > RATIO_CHECK_FROM && out.size() > limits.maxInflationRatio() * raw.count()) {
                    return new BodyRead(
                            null,
                            Optional.of(tooLarge("the gzip body inflates more than "
                                    + limits.maxInflationRatio() + " times (" + raw.count() + " bytes gave "
                                    + out.size()
                                    + " so far), the most the gateway takes (wmo.intake.max-inflation-ratio = "
                                    + limits.maxInflationRatio() + ")")),
                            raw.summary("refused while inflating", gzip));
                }
                if (System.nanoTime() > deadline) {
                    return new BodyRead(
                            null,
                            Optional.of(new IntakeRejection(
                                    408,
                                    List.of(Finding.error(
                                            "timeout",
                                            "the body took longer than "
                                                    + limits.bodyReadTimeout().toSeconds()
                                                    + " s to arrive, the most the gateway waits (wmo.intake.body-read-timeout = "
                                                    + limits.bodyReadTimeout() + ")",
                                            "")))),
                            raw.summary("cut off while reading", gzip));
                }
            }
        } catch (ZipException | EOFException e) {
            return new BodyRead(
                    null,
                    Optional.of(new IntakeRejection(
                            400,
                            List.of(Finding.error(
                                    "structure",
                                    "the body is not valid gzip (Content-Encoding: gzip): " + e.getMessage(),
                                    "header:Content-Encoding")))),
                    raw.summary("refused while inflating", gzip));
        }
        return new BodyRead(out.toByteArray(), Optional.empty(), raw.summary("received", gzip));
    }

    private static IntakeRejection tooLarge(String message) {
        return new IntakeRejection(413, List.of(Finding.error("too-long", message, "")));
    }

    /** Counts and hashes the bytes as they come off the connection. */
    private static final class DigestingInputStream extends FilterInputStream {
        private final MessageDigest sha256;
        private long count;

        DigestingInputStream(InputStream in) {
            super(in);
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                sha256.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                sha256.update(b, off, n);
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }

        String summary(String what, boolean gzip) {
            return what + ": " + count + " bytes" + (gzip ? " gzip" : "") + ", sha256 "
                    + HexFormat.of().formatHex(sha256.digest());
        }
    }

    // ---------------------------------------------------------------- answers and records

    /** Keeps a refused request in {@code inbound_message}: the body only when it was read and within limits. */
    private void record(String sender, HttpServletRequest request, byte[] body, IntakeRejection refusal, String what) {
        String contentType = Optional.ofNullable(request.getContentType())
                .map(ct -> ct.length() > 200 ? ct.substring(0, 200) : ct)
                .orElse("(none)");
        String inboundId = store.saveInbound(CHANNEL, sender, contentType, body);
        StringBuilder detail = new StringBuilder("HTTP ")
                .append(refusal.httpStatus())
                .append(", ")
                .append(what);
        refusal.findings()
                .forEach(f -> detail.append('\n')
                        .append(f.severity())
                        .append(' ')
                        .append(f.expression())
                        .append(": ")
                        .append(f.message()));
        store.inboundOutcome(
                inboundId, "HTTP " + refusal.httpStatus(), Optional.of(detail.toString()), Optional.empty());
        log.info(
                "inbound {} refused with HTTP {} before parsing: {}",
                inboundId,
                refusal.httpStatus(),
                refusal.findings().get(0).code());
    }

    /*
     * A refusal while (some of) the body is still on its way. Closing a connection with unread data
     * makes TCP reset it, and the reset can reach the client before it has read the answer; so the rest
     * of the body is read and thrown away (never kept) first, up to a bound, and the answer goes on a
     * connection in order. Beyond the bound the answer is given at once and the connection closed.
     */

    /**
     * Refuses before reading the body. A client that asked {@code Expect: 100-continue} has not sent it
     * and will not; otherwise at most {@code discardAtMost} bytes are read past.
     */
    private void refuseBeforeBody(
            HttpServletRequest request, HttpServletResponse response, IntakeRejection refusal, long discardAtMost)
            throws IOException {
        if (!RefusedBody.readPastUnread(request, discardAtMost, limits.bodyReadTimeout())) {
            response.setHeader("Connection", "close");
        }
        refuse(request, response, refusal);
    }

    /** Refuses while reading the body: the rest is read past, up to {@link #DISCARD_AT_MOST}. */
    private void refuseDuringBody(HttpServletRequest request, HttpServletResponse response, IntakeRejection refusal)
            throws IOException {
        if (!RefusedBody.readPast(request, DISCARD_AT_MOST, limits.bodyReadTimeout())) {
            response.setHeader("Connection", "close");
        }
        refuse(request, response, refusal);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, IntakeRejection refusal)
            throws IOException {
        boolean xml = wantsXml(request);
        String body = (xml ? fhir.newXmlParser() : fhir.newJsonParser())
                .setPrettyPrint(true)
                .encodeResourceToString(Outcomes.of(refusal.findings()));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(refusal.httpStatus());
        response.setContentType((xml ? "application/fhir+xml" : "application/fhir+json") + ";charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }

    /** The answer's format: what Accept asks for, else what was sent; JSON when neither says XML. */
    private static boolean wantsXml(HttpServletRequest request) {
        String accept =
                Optional.ofNullable(request.getHeader("Accept")).orElse("").toLowerCase(Locale.ROOT);
        if (accept.contains("json")) {
            return false;
        }
        if (accept.contains("xml")) {
            return true;
        }
        return Optional.ofNullable(request.getContentType())
                .orElse("")
                .toLowerCase(Locale.ROOT)
                .contains("xml");
    }

    /** {@code Bundle} for the transaction, else the resource type in the path ({@code PUT /fhir/Consent/1}). */
    private static String rootType(HttpServletRequest request) {
        String path = Optional.ofNullable(request.getPathInfo()).orElse("");
        String[] parts = path.split("/");
        return parts.length > 1 && !parts[1].isEmpty() && Character.isUpperCase(parts[1].charAt(0))
                ? parts[1]
                : "Bundle";
    }

    private static String declaredLength(HttpServletRequest request) {
        return request.getContentLengthLong() >= 0
                ? "Content-Length " + request.getContentLengthLong()
                : "no Content-Length";
    }
}
