package nl.wmogateway.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.OutboundMessage;
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
 * The step of the message route ({@code routes/messages.camel.yaml}): sends one stored message
 * (an iWmo message to a care organisation, a retour relayed to a gemeente, a Task pushed to an EHR)
 * to its target over mutual TLS, with the same retry policy as plan deliveries.
 */
@Component("messageDelivery")
public class MessageDelivery {

    private static final Logger log = LoggerFactory.getLogger(MessageDelivery.class);

    private final MessageStore store;
    private final AuditLog audit;
    private final HttpClient http;
    private final WmoProperties.Delivery policy;
    private final List<SynchronousAnswer> answerListeners;
    private final PayloadSigner signer;
    private final DeliveryAttempts attempts;
    private final TransactionTemplate transactions;

    public MessageDelivery(
            MessageStore store,
            AuditLog audit,
            OutboundTls tls,
            WmoProperties props,
            List<SynchronousAnswer> answerListeners,
            PayloadSigner signer,
            DeliveryAttempts attempts,
            PlatformTransactionManager transactionManager) {
        this.signer = signer;
        this.attempts = attempts;
        this.transactions = new TransactionTemplate(transactionManager);
        this.store = store;
        this.audit = audit;
        this.http = tls.httpClient();
        this.policy = props.delivery();
        this.answerListeners = List.copyOf(answerListeners);
    }

    /** The right to one attempt, or null when there is nothing to do (done, not due, or another consumer has it). */
    public Claim claim(@Body String jobId) {
        return attempts.claim(jobId).orElse(null);
    }

    public void deliver(@Body Claim claim) {
        Optional<OutboundMessage> found = store.message(claim.jobId());
        if (found.isEmpty()
                || found.get().targetUrl().isEmpty()
                || List.of("DELIVERED", "FAILED").contains(found.get().state())) {
            attempts.done(claim);
            return;
        }
        OutboundMessage message = found.get();
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create(message.targetUrl().orElseThrow()))
                .timeout(policy.timeout())
                .header("Content-Type", message.contentType())
                .header("Idempotency-Key", message.id())
                .header("X-Wmo-Request-Id", message.requestId())
                .header("X-Wmo-Rendering", message.rendering());
        signer.sign(message.body()).headers().forEach(builder::header);
        HttpRequest request = builder.method(
                        message.httpMethod(), HttpRequest.BodyPublishers.ofByteArray(message.body()))
                .build();
        DeliveryAttempts.InFlight attempt = attempts.started(claim, message);
        HttpResponse<byte[]> response;
        try {
            response = TimedExchange.send(http, request, HttpResponse.BodyHandlers.ofByteArray(), policy.timeout());
        } catch (IOException e) {
            String problem = message.kind() + " " + message.rendering() + " to " + message.partner() + " unreachable: "
                    + e.getClass().getSimpleName();
            attempts.finished(attempt, Optional.empty(), "RETRY", problem);
            retryOrPark(claim, message, problem);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempts.finished(attempt, Optional.empty(), "RETRY", "interrupted (the gateway is stopping)");
            retryOrPark(claim, message, "interrupted while delivering (the gateway was stopping)");
            return;
        }
        int status = response.statusCode();
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (status / 100 == 2) {
            // the answer, what it causes (a retour relayed) and the end of the job: all or nothing
            transactions.executeWithoutResult(tx -> {
                store.outboundResult(message.id(), status, text, true);
                attempts.finished(attempt, Optional.of(status), "DELIVERED", message.rendering());
                audit.record(
                        "gateway",
                        "DELIVER_" + message.kind().toUpperCase(Locale.ROOT).replace('-', '_'),
                        Optional.of(message.requestId()),
                        Optional.empty(),
                        "DELIVERED",
                        Optional.of(message.rendering() + " to " + message.partner()));
                if (response.body().length > 0) {
                    String contentType =
                            response.headers().firstValue("Content-Type").orElse("");
                    answerListeners.forEach(l -> l.answered(message, contentType, response.body()));
                }
                attempts.done(claim);
            });
            log.info(
                    "{} {} for request {} delivered to {}",
                    message.kind(),
                    message.rendering(),
                    message.requestId(),
                    message.partner());
            return;
        }
        store.outboundResult(message.id(), status, text, false);
        if (Retryable.status(status)) {
            String problem = message.partner() + " answered HTTP " + status;
            attempts.finished(attempt, Optional.of(status), "RETRY", problem);
            retryOrPark(claim, message, problem);
            return;
        }
        attempts.finished(attempt, Optional.of(status), "REFUSED", "HTTP " + status);
        transactions.executeWithoutResult(tx -> {
            store.messageState(
                    message.id(),
                    "FAILED",
                    Optional.of("refused with HTTP " + status + ": " + MessageStore.withoutClientData(text)));
            audit.record(
                    "gateway",
                    "DELIVER_" + message.kind().toUpperCase(Locale.ROOT).replace('-', '_'),
                    Optional.of(message.requestId()),
                    Optional.empty(),
                    "REFUSED",
                    Optional.of(message.rendering() + " refused by " + message.partner() + " with HTTP " + status));
            attempts.done(claim);
        });
        log.warn(
                "{} {} for request {} refused by {} with HTTP {}; not retried",
                message.kind(),
                message.rendering(),
                message.requestId(),
                message.partner(),
                status);
    }

    /** Anything else that went wrong in an attempt counts as a failed attempt; the log has a reference, not the details. */
    public void attemptFailed(@ExchangeProperty("claim") Claim claim, @ExchangeException Exception e) {
        String reference = java.util.UUID.randomUUID().toString().substring(0, 8);
        log.error(
                "message {}: internal error in delivery attempt {} ({}), reference {}",
                claim.jobId(),
                claim.attempt(),
                e.getClass().getName(),
                reference);
        log.debug("reference {}", reference, e);
        store.message(claim.jobId())
                .ifPresentOrElse(
                        m -> retryOrPark(claim, m, "internal error in the gateway (reference " + reference + ")"),
                        () -> attempts.done(claim));
    }

    private void retryOrPark(Claim claim, OutboundMessage message, String problem) {
        transactions.executeWithoutResult(tx -> {
            if (attempts.retryOrPark(claim, problem)) {
                store.messageState(
                        message.id(),
                        "FAILED",
                        Optional.of(problem + "; gave up after " + claim.attempt()
                                + " attempts (parked; an operator can replay it)"));
                log.error(
                        "{} {} for request {}: {}; parked after {} attempts",
                        message.kind(),
                        message.rendering(),
                        message.requestId(),
                        problem,
                        claim.attempt());
                return;
            }
            store.messageState(
                    message.id(), "RETRYING", Optional.of(problem + "; attempt " + claim.attempt() + ", will retry"));
            log.warn(
                    "{} {} for request {}: {}; attempt {} of {}, will retry",
                    message.kind(),
                    message.rendering(),
                    message.requestId(),
                    problem,
                    claim.attempt(),
                    attempts.maxAttempts());
        });
    }
}
