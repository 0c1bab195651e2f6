package nl.wmogateway.partner;

import java.net.URI;
import java.util.Optional;

/**
 * A care organisation whose EHR may submit plans, as configured in {@code routes/partners.yaml}.
 *
 * @param agb         the organisation's 8-digit AGB code
 * @param ura         its URA (UZI-register abonneenummer), when known
 * @param naam        its name
 * @param certificate how its EHR's client certificate is recognised
 * @param endpoint    base HTTPS URL where its iWmo messages (WMO301, WMO319) are posted; empty: the
 *                    organisation fetches them ({@code GET /zorgorganisatie/berichten})
 * @param fhirCallback base URL of the EHR's FHIR endpoint; when set, Task updates are PUT there
 * @param signature   whether the organisation signs what it sends (plans, Consent updates, retours)
 */
public record ZorgorganisatiePartner(
        String agb,
        Optional<String> ura,
        String naam,
        CertificateIdentity certificate,
        Optional<URI> endpoint,
        Optional<URI> fhirCallback,
        SignaturePolicy signature) {

    public ZorgorganisatiePartner {
        ura = ura == null ? Optional.empty() : ura;
        endpoint = endpoint == null ? Optional.empty() : endpoint;
        fhirCallback = fhirCallback == null ? Optional.empty() : fhirCallback;
        signature = signature == null ? SignaturePolicy.OFF : signature;
        certificate = certificate == null
                ? new CertificateIdentity(Optional.empty(), Optional.empty(), Optional.empty())
                : certificate;
    }
}
