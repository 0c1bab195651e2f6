package nl.wmogateway.intake;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import nl.wmogateway.config.RouteIds;
import nl.wmogateway.inbound.Caller;
import nl.wmogateway.store.MessageStore;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Service;

/** Runs one submission through the intake route and records what became of the inbound message. */
@Service
class IntakeService {

    private final ProducerTemplate camel;
    private final MessageStore store;
    private final FhirContext fhir;

    public IntakeService(ProducerTemplate camel, MessageStore store, FhirContext fhir) {
        this.camel = camel;
        this.store = store;
        this.fhir = fhir;
    }

    public IntakeContext submit(Bundle bundle, Caller caller, String inboundId) {
        IntakeContext ctx = new IntakeContext(bundle, caller, inboundId, contentHash(bundle));
        try {
            camel.requestBody(RouteIds.INTAKE_ENDPOINT, ctx);
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof IntakeRejection rejection) {
                store.inboundOutcome(
                        inboundId,
                        rejection.httpStatus() == 403 ? "FORBIDDEN" : "REJECTED",
                        Optional.of(describe(rejection)),
                        Optional.empty());
                throw rejection;
            }
            // nothing was acknowledged: the request and its delivery job are stored together or not at all
            throw e;
        }
        store.inboundOutcome(
                inboundId,
                ctx.isDuplicate() ? "DUPLICATE" : "ACCEPTED",
                Optional.empty(),
                ctx.stored().map(s -> s.id()));
        return ctx;
    }

    /** Same resources, same hash, whether they came as JSON or XML. */
    private String contentHash(Bundle bundle) {
        byte[] canonical = fhir.newJsonParser()
                .setPrettyPrint(false)
                .encodeResourceToString(bundle)
                .getBytes(StandardCharsets.UTF_8);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(IntakeRejection r) {
        StringBuilder sb = new StringBuilder("HTTP ").append(r.httpStatus());
        r.findings()
                .forEach(f -> sb.append("\n")
                        .append(f.severity())
                        .append(' ')
                        .append(f.expression())
                        .append(": ")
                        .append(f.message()));
        return sb.toString();
    }
}
