package nl.wmogateway.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.partner.Endpoints;
import nl.wmogateway.partner.GemeentePartner;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.partner.RenderingTarget;
import nl.wmogateway.plan.PlanRenderer;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.OutboundMessage;
import nl.wmogateway.store.PlanCodec;
import nl.wmogateway.store.RequestStatus;
import nl.wmogateway.store.StoredRequest;
import nl.wmogateway.trust.OutboundTls;
import nl.wmogateway.trust.PayloadSigner;
import org.apache.camel.Body;
import org.apache.camel.ExchangeException;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of the delivery route ({@code routes/delivery.camel.yaml}): claim the request's
 * delivery job, load the request, render what is missing, and POST each rendering over mutual TLS.
 * Every POST is recorded as an attempt before it leaves; the outcome decides between delivered,
 * rejected (a 4xx, or a 2xx whose body is a WMO316 that rejects the WMO315, see {@link PlanAnswer}),
 * another attempt later (unreachable, timeout, 408/425/429/5xx) and parked.
 */
@Component("delivery")
public class GemeenteDelivery {

    private static final Logger log = LoggerFactory.getLogger(GemeenteDelivery.class);

    private final MessageStore store;
    private final AuditLog audit;
    private final Partners partners;
    private final PlanCodec planCodec;
    private final PlanRenderer renderer;
    private final HttpClient http;
    private final WmoProperties.Delivery policy;
    private final Clock clock;
    private final PayloadSigner signer;
    private final DeliveryAttempts attempts;
    private final TransactionTemplate transactions;
    private final List<PlanAnswer> answerReaders;
    private final WithdrawalNotice withdrawalNotice;

    public GemeenteDelivery(
            WithdrawalNotice withdrawalNotice,
            MessageStore store,
            AuditLog audit,
            Partners partners,
            PlanCodec planCodec,
            PlanRenderer renderer,
            OutboundTls tls,
            WmoProperties props,
            Clock clock,
            PayloadSigner signer,
            DeliveryAttempts attempts,
            PlatformTransactionManager transactionManager,
            List<PlanAnswer> answerReaders) {
        this.withdrawalNotice = withdrawalNotice;
        this.answerReaders = List.copyOf(answerReaders);
        this.signer = signer;
        this.attempts = attempts;
        this.transactions = new TransactionTemplate(transactionManager);
        this.store = store;
        this.audit = audit;
        this.partners = partners;
        this.planCodec = planCodec;
        this.renderer = renderer;
        this.http = tls.httpClient();
        this.policy = props.delivery();
        this.clock = clock;
    }

    /** The right to one attempt, or null when there is nothing to do (done, not due, or another consumer has it). */
    public Claim claim(@Body String jobId) {
        return attempts.claim(jobId).orElse(null);
    }

    /** Loads the request; one that is already delivered, answered or stopped needs nothing more. */
    public DeliveryJob load(@Body Claim claim) {
        String requestId = claim.jobId();
        Optional<StoredRequest> found = store.request(requestId);
        if (found.isEmpty()) {
            log.warn("delivery job names unknown request {}; nothing to deliver", requestId);
            attempts.done(claim);
            return DeliveryJob.nothingToDo(claim);
        }
        StoredRequest request = found.get();
        if (request.status() != RequestStatus.RECEIVED
                && request.status() != RequestStatus.RETRYING
                && request.status() != RequestStatus.FAILED) {
            log.info("request {} is {}; nothing to deliver", requestId, request.status());
            attempts.done(claim);
            return DeliveryJob.nothingToDo(claim);
        }
        Optional<GemeentePartner> gemeente = partners.gemeente(request.gemeentecode());
        if (gemeente.isEmpty()) {
            String reason = "gemeente " + request.gemeentecode() + " is no longer in the partner configuration";
            transactions.executeWithoutResult(tx -> {
                fail(request.id(), reason);
                attempts.park(claim, reason);
            });
            return DeliveryJob.nothingToDo(claim);
        }
        DeliveryJob job = new DeliveryJob(claim, request, gemeente.get(), planCodec.read(request.planJson()));
        job.messages().addAll(store.currentOutbound(requestId));
        return job;
    }

    /**
     * Every rendering is made at intake and kept: a retry sends the very same bytes (and the same
     * iWmo BerichtIdentificatie), so the gemeente can recognise a repeat. Only after an operator's
     * replay (which supersedes renderings not yet accepted, so that a fixed partner configuration
     * takes effect) is one made again here.
     */
    public DeliveryJob render(DeliveryJob job) {
        for (RenderingTarget target : job.gemeente().renderings()) {
            if (job.message(target.type()).isPresent()) {
                continue;
            }
            PlanRenderer.Rendered r = renderer.render(
                    target.type(),
                    job.plan(),
                    job.requestId(),
                    job.gemeente().verwijzer(),
                    job.gemeente().openEnded());
            String id = store.saveOutbound(
                    job.requestId(), job.gemeente().gemeentecode(), r.type(), r.contentType(), r.body());
            job.messages()
                    .add(OutboundMessage.planRendering(
                            id,
                            job.requestId(),
                            job.gemeente().gemeentecode(),
                            r.type(),
                            r.contentType(),
                            r.body(),
                            clock.instant()));
        }
        return job;
    }

    /** Posts every rendering not yet accepted; decides between delivered, rejected, retry and parked. */
    public void deliver(DeliveryJob job) {
        store.countAttempt(job.requestId());
        for (RenderingTarget target : job.gemeente().renderings()) {
            OutboundMessage message = job.message(target.type()).orElseThrow();
            if (message.deliveredAt().isPresent()) {
                continue;
            }
            // the consent is checked again right before each POST: a withdrawal since the claim stops it here
            if (withdrawnMeanwhile(job)) {
                return;
            }
            URI uri = URI.create(Endpoints.join(job.gemeente().endpoint(), target.path()));
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                    .timeout(policy.timeout())
                    .header("Content-Type", message.contentType())
                    .header("Idempotency-Key", message.id())
                    .header("X-Wmo-Request-Id", job.requestId())
                    .header("X-Wmo-Rendering", target.type());
            signer.sign(message.body()).headers().forEach(builder::header);
            HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofByteArray(message.body()))
                    .build();
            DeliveryAttempts.InFlight attempt = attempts.started(job.claim(), message);
            HttpResponse<String> response;
            try {
                response = TimedExchange.send(
                        http, request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), policy.timeout());
            } catch (IOException e) {
                String problem = "gemeente " + job.gemeente().gemeentecode() + " unreachable: "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
                attempts.finished(attempt, Optional.empty(), "RETRY", problem);
                retryOrPark(job.claim(), problem);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                attempts.finished(attempt, Optional.empty(), "RETRY", "interrupted (the gateway is stopping)");
                retryOrPark(job.claim(), "interrupted while delivering (the gateway was stopping)");
                return;
            }
            int status = response.statusCode();
            // a 2xx carrying a rejecting WMO316 is a refusal like a 4xx: not delivered, so a replay sends it again
            Optional<String> refusal = status / 100 == 2 ? refusalIn(message, response) : Optional.empty();
            store.outboundResult(message.id(), status, response.body(), status / 100 == 2 && refusal.isEmpty());
            if (refusal.isPresent()) {
                refused(job, attempt, status, refusal.get());
                return;
            }
            if (status / 100 == 2) {
                attempts.finished(attempt, Optional.of(status), "DELIVERED", target.type());
                continue;
            }
            if (Retryable.status(status)) {
                String problem = "gemeente " + job.gemeente().gemeentecode() + " answered HTTP " + status + " to "
                        + target.type();
                attempts.finished(attempt, Optional.of(status), "RETRY", problem);
                retryOrPark(job.claim(), problem);
                return;
            }
            refused(
                    job,
                    attempt,
                    status,
                    "gemeente " + job.gemeente().gemeentecode() + " refused the " + target.type() + " with HTTP "
                            + status + ": " + abbreviate(response.body()));
            return;
        }
        transactions.executeWithoutResult(tx -> {
            boolean changed = store.transition(job.requestId(), RequestStatus.DELIVERED, Optional.empty());
            if (!changed && currentStatus(job) == RequestStatus.WITHDRAWN) {
                // the withdrawal came while the plan was on its way: the gemeente has it, so it is told
                reportRace(job);
                attempts.done(job.claim());
                return;
            }
            if (changed) {
                audit.record(
                        "gateway",
                        "DELIVER",
                        Optional.of(job.requestId()),
                        Optional.of(job.request().clientBsn()),
                        "DELIVERED",
                        Optional.of("to gemeente " + job.gemeente().gemeentecode() + " after " + job.attempt()
                                + " attempt(s)"));
                log.info(
                        "request {} delivered to gemeente {} (attempt {})",
                        job.requestId(),
                        job.gemeente().gemeentecode(),
                        job.attempt());
            }
            attempts.done(job.claim());
        });
    }

    private RequestStatus currentStatus(DeliveryJob job) {
        return store.request(job.requestId()).map(StoredRequest::status).orElse(RequestStatus.WITHDRAWN);
    }

    /**
     * Whether the client withdrew consent since this attempt began. Then nothing more is sent; if a
     * rendering already reached the gemeente (an earlier one of this plan), the gemeente is told.
     */
    private boolean withdrawnMeanwhile(DeliveryJob job) {
        if (currentStatus(job) != RequestStatus.WITHDRAWN) {
            return false;
        }
        boolean partly = job.messages().stream()
                .anyMatch(m -> store.message(m.id())
                        .flatMap(OutboundMessage::deliveredAt)
                        .isPresent());
        transactions.executeWithoutResult(tx -> {
            if (partly) {
                reportRace(job);
            }
            attempts.done(job.claim());
        });
        log.info("request {}: consent withdrawn before the next POST; nothing more is sent", job.requestId());
        return true;
    }

    private void reportRace(DeliveryJob job) {
        StoredRequest request = store.request(job.requestId()).orElse(job.request());
        withdrawalNotice.send(request);
        audit.record(
                "gateway",
                "CONSENT_WITHDRAWN",
                Optional.of(job.requestId()),
                Optional.of(job.request().clientBsn()),
                "REPORTED",
                Optional.of("the withdrawal came while the plan was being delivered; reported to gemeente "
                        + job.gemeente().gemeentecode()));
        log.info(
                "request {}: consent withdrawn while the plan was delivered; gemeente {} is told",
                job.requestId(),
                job.gemeente().gemeentecode());
    }

    /** The gemeente refused the message (a 4xx, or a 2xx carrying a rejecting WMO316): the Task ends rejected, no retry. */
    private void refused(DeliveryJob job, DeliveryAttempts.InFlight attempt, int status, String reason) {
        // the attempt and the audit keep the gemeente's reason without a BSN or postcode it may quote;
        // the request's status reason (sealed) keeps it whole for the care organisation
        String kept = MessageStore.withoutClientData(reason);
        attempts.finished(attempt, Optional.of(status), "REFUSED", kept);
        transactions.executeWithoutResult(tx -> {
            store.transition(job.requestId(), RequestStatus.REJECTED, Optional.of(reason));
            audit.record(
                    "gateway",
                    "DELIVER",
                    Optional.of(job.requestId()),
                    Optional.of(job.request().clientBsn()),
                    "REJECTED",
                    Optional.of(kept));
            attempts.done(job.claim());
        });
        log.info(
                "request {} refused by gemeente {} (HTTP {}); not retried",
                job.requestId(),
                job.gemeente().gemeentecode(),
                status);
    }

    /** What the answer's body says against the rendering: a WMO316 with a rejecting retourcode. */
    private Optional<String> refusalIn(OutboundMessage message, HttpResponse<String> response) {
        if (response.body() == null || response.body().isEmpty()) {
            return Optional.empty();
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        for (PlanAnswer reader : answerReaders) {
            Optional<String> refusal = reader.refusal(message, contentType, body);
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    /**
     * Anything else that went wrong in an attempt (a rendering that throws, a bug): counted as a
     * failed attempt like an unreachable gemeente, so that such a request is parked after its
     * attempts and never blocks the requests behind it. The log has a reference, not the details.
     */
    public void attemptFailed(@ExchangeProperty("claim") Claim claim, @ExchangeException Exception e) {
        String reference = java.util.UUID.randomUUID().toString().substring(0, 8);
        log.error(
                "request {}: internal error in delivery attempt {} ({}), reference {}",
                claim.jobId(),
                claim.attempt(),
                e.getClass().getName(),
                reference);
        log.debug("reference {}", reference, e);
        retryOrPark(claim, "internal error in the gateway (reference " + reference + ")");
    }

    private void retryOrPark(Claim claim, String problem) {
        transactions.executeWithoutResult(tx -> {
            if (attempts.retryOrPark(claim, problem)) {
                fail(
                        claim.jobId(),
                        problem + "; gave up after " + claim.attempt() + " attempts (an operator can replay it)");
                return;
            }
            store.transition(
                    claim.jobId(),
                    RequestStatus.RETRYING,
                    Optional.of(problem + "; attempt " + claim.attempt() + " of " + attempts.maxAttempts()
                            + ", will retry"));
        });
        log.warn("request {}: {}; attempt {} of {}", claim.jobId(), problem, claim.attempt(), attempts.maxAttempts());
    }

    private void fail(String requestId, String reason) {
        store.transition(requestId, RequestStatus.FAILED, Optional.of(reason));
        audit.record("gateway", "DELIVER", Optional.of(requestId), Optional.empty(), "FAILED", Optional.of(reason));
        log.error("request {} failed: {}", requestId, reason);
    }

    private static String abbreviate(String body) {
        if (body == null || body.isBlank()) {
            return "(no reason given)";
        }
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 1000 ? oneLine.substring(0, 997) + "..." : oneLine;
    }
}
