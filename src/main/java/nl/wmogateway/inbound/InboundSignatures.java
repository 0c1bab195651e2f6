package nl.wmogateway.inbound;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import nl.wmogateway.partner.CertificateIdentity;
import nl.wmogateway.partner.SignaturePolicy;
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

    public InboundSignatures(SignatureVerifier verifier) {
        this.verifier = verifier;
    }

    /** Empty when acceptable; otherwise the failed verification, whose code and detail say why. */
    public Optional<Verification> problem(
            SignaturePolicy policy, CertificateIdentity partner, byte[] body, HttpServletRequest request) {
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
        return v.isValid() ? Optional.empty() : Optional.of(v);
    }
}
