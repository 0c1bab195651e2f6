package nl.wmogateway.inbound;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.Outcomes;
import nl.wmogateway.partner.Partners;
import org.springframework.stereotype.Component;

/** Who is calling: the TLS client certificate, mapped to a configured partner. */
@Component
public class CallerResolver {

    public static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private final Partners partners;

    public CallerResolver(Partners partners) {
        this.partners = partners;
    }

    public Caller resolve(HttpServletRequest request) {
        X509Certificate certificate = certificate(request);
        return new Caller(
                certificate.getSubjectX500Principal().getName(), certificate, partners.zorgorganisatieFor(certificate));
    }

    public static X509Certificate certificate(HttpServletRequest request) {
        return presented(request)
                .orElseThrow(() -> new ForbiddenOperationException(
                        "a TLS client certificate is required",
                        Outcomes.of(List.of(Finding.error("security", "a TLS client certificate is required", "")))));
    }

    /** The client certificate the TLS handshake accepted, if the request came with one. */
    public static Optional<X509Certificate> presented(HttpServletRequest request) {
        Object chain = request.getAttribute(CERTIFICATE_ATTRIBUTE);
        return chain instanceof X509Certificate[] certs && certs.length > 0 ? Optional.of(certs[0]) : Optional.empty();
    }
}
