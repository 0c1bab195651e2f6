package nl.wmogateway.partner;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The partner directory: every gemeente and care organisation the gateway talks to. Immutable;
 * loaded and checked once at start-up by {@link PartnersLoader}.
 */
public record Partners(
        List<GemeentePartner> gemeenten, List<ZorgorganisatiePartner> zorgorganisaties, List<Operator> operators) {

    public Partners {
        gemeenten = gemeenten == null ? List.of() : List.copyOf(gemeenten);
        zorgorganisaties = zorgorganisaties == null ? List.of() : List.copyOf(zorgorganisaties);
        operators = operators == null ? List.of() : List.copyOf(operators);
    }

    /**
     * A person or system allowed to use the operator API ({@code /admin}): watch traffic, replay.
     *
     * @param naam        who this is, as it appears in the audit trail
     * @param certificate how their client certificate is recognised
     */
    public record Operator(String naam, CertificateIdentity certificate) {}

    /** The operator whose configured certificate identity matches this client certificate. */
    public Optional<Operator> operatorFor(X509Certificate certificate) {
        return operators.stream()
                .filter(o -> o.certificate() != null && o.certificate().matches(certificate))
                .findFirst();
    }

    public Optional<GemeentePartner> gemeente(String gemeentecode) {
        return gemeenten.stream()
                .filter(g -> g.gemeentecode().equals(gemeentecode))
                .findFirst();
    }

    public Optional<ZorgorganisatiePartner> zorgorganisatie(String agb) {
        return zorgorganisaties.stream().filter(z -> z.agb().equals(agb)).findFirst();
    }

    /**
     * The care organisation whose configured certificate identity matches this client certificate.
     * A certificate must map to exactly one partner: one that matches several (a configuration
     * mistake) or also matches a gemeente maps to none.
     */
    public Optional<ZorgorganisatiePartner> zorgorganisatieFor(X509Certificate certificate) {
        List<ZorgorganisatiePartner> found = zorgorganisaties.stream()
                .filter(z -> z.certificate().matches(certificate))
                .toList();
        return found.size() == 1
                        && gemeenten.stream().noneMatch(g -> g.certificate().matches(certificate))
                ? Optional.of(found.get(0))
                : Optional.empty();
    }

    /** The gemeente whose configured certificate identity matches this client certificate; exactly one, as above. */
    public Optional<GemeentePartner> gemeenteFor(X509Certificate certificate) {
        List<GemeentePartner> found = gemeenten.stream()
                .filter(g -> g.certificate().matches(certificate))
                .toList();
        return found.size() == 1
                        && zorgorganisaties.stream()
                                .noneMatch(z -> z.certificate().matches(certificate))
                ? Optional.of(found.get(0))
                : Optional.empty();
    }
}
