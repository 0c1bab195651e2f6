package nl.wmogateway.partner;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads {@code routes/partners.yaml}, resolves {@code ${ENV_VAR:default}} placeholders (so endpoints
 * and secrets can come from the environment) and checks it, listing every mistake at once.
 */
public final class PartnersLoader {

    private static final Pattern GEMEENTECODE = Pattern.compile("[0-9]{4}");
    private static final Pattern AGB = Pattern.compile("[0-9]{8}");
    private static final Pattern COD327 = Pattern.compile("0[1-68]");

    private final ObjectMapper yaml = JsonMapper.builder(new YAMLFactory())
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * @param file               the partners file
     * @param placeholders       resolves ${...} placeholders in the file's text
     * @param knownRenderings    rendering types the gateway can produce
     * @param knownConsentRules  consent rule ids the gateway knows
     */
    public Partners load(
            Path file, UnaryOperator<String> placeholders, Set<String> knownRenderings, Set<String> knownConsentRules) {
        return load(file, placeholders, knownRenderings, knownConsentRules, Set.of("beschikking-json"));
    }

    /**
     * @param knownBeschikkingFormats the formats a gemeente may post its beschikkingen in
     */
    public Partners load(
            Path file,
            UnaryOperator<String> placeholders,
            Set<String> knownRenderings,
            Set<String> knownConsentRules,
            Set<String> knownBeschikkingFormats) {
        if (!Files.isRegularFile(file)) {
            throw new PartnerConfigException(
                    "partner configuration not found: " + file.toAbsolutePath() + " (set wmo.partners-file)");
        }
        Partners partners;
        try {
            partners = yaml.readValue(placeholders.apply(Files.readString(file)), Partners.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new PartnerConfigException(
                    file + ": " + e.getMessage().lines().findFirst().orElse("unreadable"), e);
        }
        List<String> problems = check(partners, knownRenderings, knownConsentRules);
        for (int i = 0; i < partners.gemeenten().size(); i++) {
            GemeentePartner g = partners.gemeenten().get(i);
            if ("iwmo-xml".equals(g.beschikkingFormat()) && g.wayBack() == WayBack.GATEWAY_NUMBERS) {
                problems.add("gemeenten[" + i
                        + "].wayBack gateway-numbers cannot be combined with beschikkingFormat iwmo-xml:"
                        + " the gemeente's own WMO301 carries its own ToewijzingNummers; use forward or fhir-only");
            }
            if (!knownBeschikkingFormats.contains(g.beschikkingFormat())) {
                problems.add("gemeenten[" + i + "].beschikkingFormat " + g.beschikkingFormat() + " is unknown; known: "
                        + knownBeschikkingFormats);
            }
            if (g.retourPath().filter(p -> !p.startsWith("/")).isPresent()) {
                problems.add("gemeenten[" + i + "].retourPath must start with /");
            }
        }
        if (!problems.isEmpty()) {
            throw new PartnerConfigException(
                    file + " has " + problems.size() + " problem(s):\n  - " + String.join("\n  - ", problems));
        }
        return partners;
    }

    static List<String> check(Partners partners, Set<String> knownRenderings, Set<String> knownConsentRules) {
        List<String> problems = new ArrayList<>();
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < partners.gemeenten().size(); i++) {
            GemeentePartner g = partners.gemeenten().get(i);
            String at = "gemeenten[" + i + "]";
            if (g.gemeentecode() == null
                    || !GEMEENTECODE.matcher(g.gemeentecode()).matches()) {
                problems.add(at + ".gemeentecode must be the 4-digit CBS code (quote it: \"0153\"), got "
                        + g.gemeentecode());
            } else if (!codes.add(g.gemeentecode())) {
                problems.add(at + ".gemeentecode " + g.gemeentecode() + " is configured twice");
            }
            if (g.naam() == null || g.naam().isBlank()) {
                problems.add(at + ".naam is required");
            }
            if (g.endpoint() == null) {
                problems.add(at + ".endpoint is required");
            } else if (!"https".equalsIgnoreCase(g.endpoint().getScheme())
                    || g.endpoint().getHost() == null) {
                problems.add(at + ".endpoint must be an https:// URL with a host, got " + g.endpoint());
            }
            if (g.renderings().isEmpty()) {
                problems.add(at + ".renderings must list at least one rendering (one of " + knownRenderings + ")");
            }
            for (int r = 0; r < g.renderings().size(); r++) {
                RenderingTarget t = g.renderings().get(r);
                if (t.type() == null || !knownRenderings.contains(t.type())) {
                    problems.add(
                            at + ".renderings[" + r + "].type " + t.type() + " is unknown; known: " + knownRenderings);
                }
                if (t.path() == null || !t.path().startsWith("/")) {
                    problems.add(at + ".renderings[" + r + "].path must start with /");
                }
            }
            for (String rule : g.consentRules()) {
                if (!knownConsentRules.contains(rule)) {
                    problems.add(at + ".consentRules: unknown rule " + rule + "; known: " + knownConsentRules);
                }
            }
            if (!COD327.matcher(g.verwijzerType()).matches()) {
                problems.add(at + ".verwijzerType must be an iWmo COD327 code (01-06, 08), got " + g.verwijzerType());
            } else {
                g.verwijzer()
                        .problem()
                        .ifPresent(p -> problems.add(at + ": " + p + " (verwijzerNaam, verwijzerZorgverlenerCode)"));
            }
            if (g.certificate().isEmpty()) {
                problems.add(at + ".certificate needs a subject or sha256 to recognise the gemeente");
            }
        }
        Set<String> agbs = new HashSet<>();
        for (int i = 0; i < partners.zorgorganisaties().size(); i++) {
            ZorgorganisatiePartner z = partners.zorgorganisaties().get(i);
            String at = "zorgorganisaties[" + i + "]";
            if (z.agb() == null || !AGB.matcher(z.agb()).matches()) {
                problems.add(at + ".agb must be the 8-digit AGB code (quoted), got " + z.agb());
            } else if (!agbs.add(z.agb())) {
                problems.add(at + ".agb " + z.agb() + " is configured twice");
            }
            z.ura()
                    .filter(u -> !AGB.matcher(u).matches())
                    .ifPresent(u -> problems.add(at + ".ura must be 8 digits, got " + u));
            if (z.naam() == null || z.naam().isBlank()) {
                problems.add(at + ".naam is required");
            }
            z.endpoint()
                    .filter(u -> !"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null)
                    .ifPresent(u -> problems.add(at + ".endpoint must be an https:// URL with a host, got " + u));
            z.fhirCallback()
                    .filter(u -> !"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null)
                    .ifPresent(u -> problems.add(at + ".fhirCallback must be an https:// URL with a host, got " + u));
            if (z.certificate().isEmpty()) {
                problems.add(at + ".certificate needs a subject or sha256 to recognise the EHR");
            }
        }
        for (int i = 0; i < partners.operators().size(); i++) {
            Partners.Operator o = partners.operators().get(i);
            if (o.naam() == null || o.naam().isBlank()) {
                problems.add("operators[" + i + "].naam is required");
            }
            if (o.certificate() == null || o.certificate().isEmpty()) {
                problems.add("operators[" + i + "].certificate needs a subject or sha256");
            }
        }
        issuers(partners, problems);
        overlaps(partners, problems);
        try {
            partners.operators().forEach(o -> {
                if (o.certificate() != null) {
                    o.certificate().subject().ifPresent(javax.security.auth.x500.X500Principal::new);
                }
            });
            partners.zorgorganisaties()
                    .forEach(z -> z.certificate().subject().ifPresent(javax.security.auth.x500.X500Principal::new));
            partners.gemeenten()
                    .forEach(g -> g.certificate().subject().ifPresent(javax.security.auth.x500.X500Principal::new));
        } catch (IllegalArgumentException e) {
            problems.add("a certificate subject is not a valid distinguished name: " + e.getMessage());
        }
        return problems;
    }

    /** Refuses two entries that one certificate could match: it would be both (an operator too, perhaps). */
    private static void overlaps(Partners partners, List<String> problems) {
        List<Map.Entry<String, CertificateIdentity>> all = identities(partners);
        for (int a = 0; a < all.size(); a++) {
            for (int b = a + 1; b < all.size(); b++) {
                if (all.get(a).getValue().overlaps(all.get(b).getValue())) {
                    problems.add(
                            all.get(a).getKey() + ".certificate and "
                                    + all.get(b).getKey()
                                    + ".certificate can match the same certificate; give each its own subject, issuer or sha256");
                }
            }
        }
    }

    /**
     * A subject alone recognises whatever certificate any trusted CA issues with that subject: the
     * identity must also name the issuer, or pin the certificate by fingerprint.
     */
    private static void issuers(Partners partners, List<String> problems) {
        List<Map.Entry<String, CertificateIdentity>> all = identities(partners);
        for (Map.Entry<String, CertificateIdentity> e : all) {
            CertificateIdentity id = e.getValue();
            if (id.subject().isPresent() && id.issuer().isEmpty() && id.sha256().isEmpty()) {
                problems.add(e.getKey() + ".certificate names a subject without its issuer: any trusted CA could"
                        + " issue a certificate with that subject; add issuer (or pin sha256)");
            }
        }
    }

    private static List<Map.Entry<String, CertificateIdentity>> identities(Partners partners) {
        List<Map.Entry<String, CertificateIdentity>> all = new ArrayList<>();
        for (int i = 0; i < partners.gemeenten().size(); i++) {
            all.add(Map.entry(
                    "gemeenten[" + i + "]", partners.gemeenten().get(i).certificate()));
        }
        for (int i = 0; i < partners.zorgorganisaties().size(); i++) {
            all.add(Map.entry(
                    "zorgorganisaties[" + i + "]",
                    partners.zorgorganisaties().get(i).certificate()));
        }
        for (int i = 0; i < partners.operators().size(); i++) {
            if (partners.operators().get(i).certificate() != null) {
                all.add(Map.entry(
                        "operators[" + i + "]", partners.operators().get(i).certificate()));
            }
        }
        return all;
    }
}
