package nl.wmogateway.partner;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.plan.OpenEndedPolicy;
import nl.wmogateway.plan.Verwijzer;

/**
 * A gemeente the gateway delivers plans to, as the integrator configured it in {@code routes/partners.yaml}.
 *
 * @param gemeentecode   the 4-digit CBS gemeentecode
 * @param naam           the gemeente's name
 * @param endpoint       base HTTPS URL of the gemeente's Wmo application
 * @param certificate    how the gemeente's certificate is recognised (for its calls to the gateway)
 * @param renderings     what is posted per plan, in order
 * @param crvb           whether a missing CRvB step rejects the plan (ERROR) or only warns
 * @param consentRules   the consent rules that apply; empty means the gateway's default set
 * @param verwijzerType  iWmo COD327 Verwijzer/Type for the WMO315 (default 06, no referrer)
 * @param verwijzerNaam  the referrer's name, for types 02 to 05 without a ZorgverlenerCode (CD067)
 * @param verwijzerZorgverlenerCode the referrer's AGB code, for types 02 to 05 (CD066)
 * @param beschikkingFormat the format the gemeente posts its beschikkingen in (default beschikking-json)
 * @param retourPath     where under the endpoint the care organisation's iWmo retours are relayed; empty: not relayed
 * @param withdrawalPath where under the endpoint a withdrawn consent for an already delivered plan is reported
 * @param signature      whether the gemeente signs its beschikkingen
 * @param openEnded      how an open-ended product per week is written in iWmo (CD076: end date or per month)
 * @param wayBack        how the decision reaches the care organisation: the gemeente's iWmo forwarded, or
 *                       only the EHR's Task, or (explicitly) iWmo with numbers the gateway assigns
 */
public record GemeentePartner(
        String gemeentecode,
        String naam,
        URI endpoint,
        CertificateIdentity certificate,
        List<RenderingTarget> renderings,
        Finding.Severity crvb,
        List<String> consentRules,
        String verwijzerType,
        String beschikkingFormat,
        Optional<String> retourPath,
        String withdrawalPath,
        SignaturePolicy signature,
        OpenEndedPolicy openEnded,
        WayBack wayBack,
        Optional<String> verwijzerNaam,
        Optional<String> verwijzerZorgverlenerCode) {

    public GemeentePartner {
        renderings = renderings == null ? List.of() : List.copyOf(renderings);
        consentRules = consentRules == null ? List.of() : List.copyOf(consentRules);
        crvb = crvb == null ? Finding.Severity.ERROR : crvb;
        verwijzerType = verwijzerType == null || verwijzerType.isBlank() ? "06" : verwijzerType;
        beschikkingFormat =
                beschikkingFormat == null || beschikkingFormat.isBlank() ? "beschikking-json" : beschikkingFormat;
        retourPath = retourPath == null ? Optional.empty() : retourPath.filter(p -> !p.isBlank());
        signature = signature == null ? SignaturePolicy.OFF : signature;
        openEnded = openEnded == null ? OpenEndedPolicy.DEFAULT : openEnded;
        wayBack = wayBack == null ? WayBack.FORWARD : wayBack;
        verwijzerNaam = verwijzerNaam == null ? Optional.empty() : verwijzerNaam;
        verwijzerZorgverlenerCode = verwijzerZorgverlenerCode == null ? Optional.empty() : verwijzerZorgverlenerCode;
        withdrawalPath =
                withdrawalPath == null || withdrawalPath.isBlank() ? "/toestemming-ingetrokken" : withdrawalPath;
        certificate = certificate == null
                ? new CertificateIdentity(Optional.empty(), Optional.empty(), Optional.empty())
                : certificate;
    }

    /** The Verwijzer of this gemeente's WMO315s. */
    public Verwijzer verwijzer() {
        return new Verwijzer(verwijzerType, verwijzerNaam, verwijzerZorgverlenerCode);
    }
}
