package nl.wmogateway.transport;

import nl.wmogateway.partner.Endpoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.partner.GemeentePartner;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.partner.RenderingTarget;
import nl.wmogateway.plan.PlanRendering;
import nl.wmogateway.plan.RenderContext;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.OutboundMessage;
import nl.wmogateway.store.PlanCodec;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.store.StoredRequest;
import nl.wmogateway.transport.signing.PayloadSigner;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of the delivery route ({@code routes/delivery.camel.yaml}): load a stored request,
 * render it as the gemeente configured, and POST each rendering over mutual TLS.
 */
@Component("delivery")
public class GemeenteDelivery {

    private static final Logger log = LoggerFactory.getLogger(GemeenteDelivery.class);
    private static final ZoneId NL = ZoneId.of("Europe/Amsterdam");

    private final MessageStore store;
    private final AuditLog audit;
    private final Partners partners;
    private final PlanCodec planCodec;
    private final Map<String, PlanRendering> renderings;
    private final HttpClient http;
    private final WmoProperties.Delivery policy;
    private final Clock clock;
    private final PayloadSigner signer;

    public GemeenteDelivery(MessageStore store, AuditLog audit, Partners partners, PlanCodec planCodec,
                            List<PlanRendering> renderings, OutboundTls tls, WmoProperties props, Clock clock,
                            PayloadSigner signer) {
        this.signer = signer;
        this.store = store;
        this.audit = audit;
        this.partners = partners;
        this.planCodec = planCodec;
        this.renderings = renderings.stream().collect(Collectors.toMap(PlanRendering::type, Function.identity()));
        this.http = tls.httpClient();
        this.policy = props.delivery();
        this.clock = clock;
    }

    /** Loads the request; one that is already delivered, answered or stopped needs nothing more. */
    public DeliveryJob load(@Body String requestId, @Header("JMSXDeliveryCount") Integer deliveryCount) {
        int attempt = deliveryCount == null ? 1 : deliveryCount;
        Optional<StoredRequest> found = store.request(requestId);
        if (found.isEmpty()) {
            log.warn("delivery queue names unknown request {}; dropped", requestId);
            return DeliveryJob.nothingToDo(requestId, attempt);
        }
        StoredRequest request = found.get();
        if (request.status() != RequestStatus.RECEIVED && request.status() != RequestStatus.RETRYING
                && request.status() != RequestStatus.FAILED) {
            log.info("request {} is {}; nothing to deliver", requestId, request.status());
            return DeliveryJob.nothingToDo(requestId, attempt);
        }
        Optional<GemeentePartner> gemeente = partners.gemeente(request.gemeentecode());
        if (gemeente.isEmpty()) {
            fail(request.id(), "gemeente " + request.gemeentecode() + " is no longer in the partner configuration");
            return DeliveryJob.nothingToDo(requestId, attempt);
        }
        DeliveryJob job = new DeliveryJob(requestId, attempt, request, gemeente.get(), planCodec.read(request.planJson()));
        job.messages().addAll(store.currentOutbound(requestId));
        return job;
    }

    /**
     * Renders each configured rendering once and keeps it: a retry sends the very same bytes (and the
     * same iWmo BerichtIdentificatie), so the gemeente can recognise a repeat.
     */
    public DeliveryJob render(DeliveryJob job) {
        for (RenderingTarget target : job.gemeente().renderings()) {
            if (job.message(target.type()).isPresent()) {
                continue;
            }
            PlanRendering rendering = renderings.get(target.type());
            RenderContext context = new RenderContext(berichtIdentificatie(job.requestId()), LocalDate.now(clock.withZone(NL)),
                    job.gemeente().verwijzerType());
            byte[] body = rendering.render(job.plan(), context);
            String id = store.saveOutbound(job.requestId(), job.gemeente().gemeentecode(), target.type(),
                    rendering.contentType(), body);
            job.messages().add(OutboundMessage.planRendering(id, job.requestId(), job.gemeente().gemeentecode(), target.type(),
                    rendering.contentType(), body, clock.instant()));
        }
        return job;
    }

    /** Posts every rendering not yet accepted; decides between delivered, rejected, retry and failed. */
    public void deliver(DeliveryJob job) {
        store.countAttempt(job.requestId());
        for (RenderingTarget target : job.gemeente().renderings()) {
            OutboundMessage message = job.message(target.type()).orElseThrow();
            if (message.deliveredAt().isPresent()) {
                continue;
            }
            URI uri = URI.create(Endpoints.join(job.gemeente().endpoint(), target.path()));
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                    .timeout(policy.timeout())
                    .header("Content-Type", message.contentType())
                    .header("Idempotency-Key", message.id())
                    .header("X-Wmo-Request-Id", job.requestId())
                    .header("X-Wmo-Rendering", target.type());
            signer.sign(message.body()).headers().forEach(builder::header);
            HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofByteArray(message.body())).build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                retryOrFail(job, "gemeente " + job.gemeente().gemeentecode() + " unreachable: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryableDeliveryException("interrupted while delivering request " + job.requestId());
            }
            int status = response.statusCode();
            store.outboundResult(message.id(), status, response.body(), status / 100 == 2);
            if (status / 100 == 2) {
                continue;
            }
            if (status == 408 || status == 425 || status == 429 || status >= 500) {
                retryOrFail(job, "gemeente " + job.gemeente().gemeentecode() + " answered HTTP " + status + " to " + target.type());
                return;
            }
            String reason = "gemeente " + job.gemeente().gemeentecode() + " refused the " + target.type()
                    + " with HTTP " + status + ": " + abbreviate(response.body());
            store.transition(job.requestId(), RequestStatus.REJECTED, Optional.of(reason));
            audit.record("gateway", "DELIVER", Optional.of(job.requestId()), Optional.of(job.request().clientBsn()),
                    "REJECTED", Optional.of(reason));
            log.info("request {} refused by gemeente {} with HTTP {}; not retried", job.requestId(),
                    job.gemeente().gemeentecode(), status);
            return;
        }
        if (store.transition(job.requestId(), RequestStatus.DELIVERED, Optional.empty())) {
            audit.record("gateway", "DELIVER", Optional.of(job.requestId()), Optional.of(job.request().clientBsn()),
                    "DELIVERED", Optional.of("to gemeente " + job.gemeente().gemeentecode() + " after " + job.attempt() + " attempt(s)"));
            log.info("request {} delivered to gemeente {} (attempt {})", job.requestId(), job.gemeente().gemeentecode(), job.attempt());
        }
    }

    private void retryOrFail(DeliveryJob job, String problem) {
        if (job.attempt() >= policy.maxAttempts()) {
            fail(job.requestId(), problem + "; gave up after " + job.attempt() + " attempts (an operator can replay it)");
            return;
        }
        store.transition(job.requestId(), RequestStatus.RETRYING,
                Optional.of(problem + "; attempt " + job.attempt() + " of " + policy.maxAttempts() + ", will retry"));
        log.warn("request {}: {}; attempt {} of {}, will retry", job.requestId(), problem, job.attempt(), policy.maxAttempts());
        throw new RetryableDeliveryException("request " + job.requestId() + ": " + problem);
    }

    private void fail(String requestId, String reason) {
        store.transition(requestId, RequestStatus.FAILED, Optional.of(reason));
        audit.record("gateway", "DELIVER", Optional.of(requestId), Optional.empty(), "FAILED", Optional.of(reason));
        log.error("request {} failed: {}", requestId, reason);
    }

    /** iWmo Identificatie: at most 12 characters, unique per berichtsoort per sender. */
    static String berichtIdentificatie(String requestId) {
        return requestId.length() <= 12 ? requestId : requestId.substring(0, 12);
    }

    private static String abbreviate(String body) {
        if (body == null || body.isBlank()) {
            return "(no reason given)";
        }
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 1000 ? oneLine.substring(0, 997) + "..." : oneLine;
    }
}
