package nl.wmogateway.partner;

import java.util.Optional;

/**
 * A care organisation whose EHR may submit plans, as configured in {@code routes/partners.yaml}.
 *
 * @param agb         the organisation's 8-digit AGB code
 * @param ura         its URA (UZI-register abonneenummer), when known
 * @param naam        its name
 * @param certificate how its EHR's client certificate is recognised
 */
public record ZorgorganisatiePartner(String agb, Optional<String> ura, String naam, CertificateIdentity certificate) {

    public ZorgorganisatiePartner {
        ura = ura == null ? Optional.empty() : ura;
        certificate = certificate == null ? new CertificateIdentity(Optional.empty(), Optional.empty(), Optional.empty()) : certificate;
    }
}
