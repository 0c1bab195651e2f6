package nl.wmogateway.inbound;

import java.security.cert.X509Certificate;
import java.util.Optional;
import nl.wmogateway.partner.ZorgorganisatiePartner;

/**
 * Who is calling, as established by the TLS client certificate.
 *
 * @param subject     the certificate's subject DN (for audit; not personal data of a client)
 * @param certificate the client certificate
 * @param partner     the configured care organisation this certificate belongs to, if any
 */
public record Caller(String subject, X509Certificate certificate, Optional<ZorgorganisatiePartner> partner) {

    public String auditName() {
        return partner.map(p -> "zorgorganisatie:" + p.agb()).orElse("certificate:" + subject);
    }
}
