package nl.wmogateway.inbound;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import java.util.List;
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
        Object chain = request.getAttribute(CERTIFICATE_ATTRIBUTE);
        if (chain instanceof X509Certificate[] certs && certs.length > 0) {
            return certs[0];
        }
        throw new ForbiddenOperationException(
                "a TLS client certificate is required",
                Outcomes.of(List.of(Finding.error("security", "a TLS client certificate is required", ""))));
    }
}
