package nl.wmogateway.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.OutboundMessage;
import nl.wmogateway.transport.signing.PayloadSigner;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

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

    public MessageDelivery(MessageStore store, AuditLog audit, OutboundTls tls, WmoProperties props,
                           List<SynchronousAnswer> answerListeners, PayloadSigner signer) {
        this.signer = signer;
        this.store = store;
        this.audit = audit;
        this.http = tls.httpClient();
        this.policy = props.delivery();
        this.answerListeners = List.copyOf(answerListeners);
    }

    public void deliver(@Body String messageId, @Header("JMSXDeliveryCount") Integer deliveryCount) {
        int attempt = deliveryCount == null ? 1 : deliveryCount;
        Optional<OutboundMessage> found = store.message(messageId);
        if (found.isEmpty()) {
            // queued for a row that is not (yet) visible: let the broker bring it again rather than lose it
            log.warn("message {} is not in the store (yet); attempt {}", messageId, attempt);
            if (attempt < policy.maxAttempts()) {
                throw new RetryableDeliveryException("message " + messageId + " not found");
            }
            return;
        }
        if (found.get().targetUrl().isEmpty()
                || List.of("DELIVERED", "FAILED").contains(found.get().state())) {
            return;
        }
        OutboundMessage message = found.get();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(message.targetUrl().orElseThrow()))
                .timeout(policy.timeout())
                .header("Content-Type", message.contentType())
                .header("Idempotency-Key", message.id())
                .header("X-Wmo-Request-Id", message.requestId())
                .header("X-Wmo-Rendering", message.rendering());
        signer.sign(message.body()).headers().forEach(builder::header);
        HttpRequest request = builder.method(message.httpMethod(), HttpRequest.BodyPublishers.ofByteArray(message.body())).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            retryOrFail(message, attempt, message.kind() + " " + message.rendering() + " to " + message.partner()
                    + " unreachable: " + e.getClass().getSimpleName());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableDeliveryException("interrupted while delivering message " + message.id());
        }
        int status = response.statusCode();
        String text = new String(response.body(), StandardCharsets.UTF_8);
        boolean ok = status / 100 == 2;
        store.outboundResult(message.id(), status, text, ok);
        if (ok) {
            audit.record("gateway", "DELIVER_" + message.kind().toUpperCase().replace('-', '_'), Optional.of(message.requestId()),
                    Optional.empty(), "DELIVERED", Optional.of(message.rendering() + " to " + message.partner()));
            log.info("{} {} for request {} delivered to {}", message.kind(), message.rendering(), message.requestId(), message.partner());
            if (response.body().length > 0) {
                String contentType = response.headers().firstValue("Content-Type").orElse("");
                answerListeners.forEach(l -> l.answered(message, contentType, response.body()));
            }
            return;
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            retryOrFail(message, attempt, message.partner() + " answered HTTP " + status);
            return;
        }
        store.messageState(message.id(), "FAILED", Optional.of("refused with HTTP " + status + ": " + text));
        audit.record("gateway", "DELIVER_" + message.kind().toUpperCase().replace('-', '_'), Optional.of(message.requestId()),
                Optional.empty(), "REFUSED", Optional.of(message.rendering() + " refused by " + message.partner() + " with HTTP " + status));
        log.warn("{} {} for request {} refused by {} with HTTP {}; not retried", message.kind(), message.rendering(),
                message.requestId(), message.partner(), status);
    }

    private void retryOrFail(OutboundMessage message, int attempt, String problem) {
        if (attempt >= policy.maxAttempts()) {
            store.messageState(message.id(), "FAILED", Optional.of(problem + "; gave up after " + attempt + " attempts"));
            log.error("{} {} for request {}: {}; gave up after {} attempts", message.kind(), message.rendering(),
                    message.requestId(), problem, attempt);
            return;
        }
        store.messageState(message.id(), "RETRYING", Optional.of(problem + "; attempt " + attempt + ", will retry"));
        log.warn("{} {} for request {}: {}; attempt {} of {}, will retry", message.kind(), message.rendering(),
                message.requestId(), problem, attempt, policy.maxAttempts());
        throw new RetryableDeliveryException("message " + message.id() + ": " + problem);
    }
}
