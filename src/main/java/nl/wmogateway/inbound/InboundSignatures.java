package nl.wmogateway.inbound;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Optional;
import nl.wmogateway.partner.CertificateIdentity;
import nl.wmogateway.partner.SignaturePolicy;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.trust.DetachedSignature;
import nl.wmogateway.trust.SignatureVerifier;
import nl.wmogateway.trust.Verification;
import org.springframework.stereotype.Component;

/**
 * Checks the detached signature on what a partner sent, as its {@link SignaturePolicy} asks:
 * the exact received bytes, signed by a certificate that chains to the gateway's trust anchors and
 * is the partner's own.
 */
@Component
public class InboundSignatures {

    private final SignatureVerifier verifier;
    private final AuditLog audit;

    public InboundSignatures(SignatureVerifier verifier, AuditLog audit) {
        this.verifier = verifier;
        this.audit = audit;
    }

    /**
     * Empty when acceptable; otherwise the failed verification, whose code and detail say why. A
     * refusal is in the audit trail as {@code SIGNATURE_<code>} of {@code action} by {@code actor}.
     *
     * @param actor  who sent it, as the audit trail names partners ({@code zorgorganisatie:<AGB>})
     * @param action what was refused, e.g. {@code SUBMIT} or {@code BESCHIKKING}
     */
    public Optional<Verification> problem(
            String actor,
            String action,
            SignaturePolicy policy,
            CertificateIdentity partner,
            byte[] body,
            HttpServletRequest request) {
        if (policy == SignaturePolicy.OFF) {
            return Optional.empty();
        }
        Optional<String> signature = Optional.ofNullable(request.getHeader(DetachedSignature.HEADER));
        if (signature.isEmpty() && policy == SignaturePolicy.OPTIONAL) {
            return Optional.empty();
        }
        Verification v = verifier.verifyHeaders(
                body,
                signature,
                Optional.ofNullable(request.getHeader(DetachedSignature.ALGORITHM_HEADER)),
                partner::matches);
        if (v.isValid()) {
            return Optional.empty();
        }
        audit.record(
                actor,
                action,
                Optional.empty(),
                Optional.empty(),
                "SIGNATURE_" + v.code().toUpperCase(Locale.ROOT).replace('-', '_'),
                Optional.of(v.detail()));
        return Optional.of(v);
    }
}
