package nl.wmogateway.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import nl.wmogateway.fhir.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartnersLoaderTest {

    private static final Set<String> RENDERINGS = Set.of("ondersteuningsplan-json", "iwmo-wmo315");
    private static final Set<String> RULES = Set.of("status-active", "form-present");
    private static final UnaryOperator<String> NO_PLACEHOLDERS = s -> s;

    @TempDir
    Path dir;

    @Test
    void theShippedPartnerFileLoads() {
        Partners partners = new PartnersLoader()
                .load(
                        Path.of("routes/partners.yaml"),
                        s -> s.replaceAll("\\$\\{[A-Z0-9_]+:([^}]*)}", "$1"),
                        RENDERINGS,
                        RULES);

        assertThat(partners.gemeente("0153")).hasValueSatisfying(g -> {
            assertThat(g.renderings())
                    .extracting(RenderingTarget::type)
                    .containsExactly("ondersteuningsplan-json", "iwmo-wmo315");
            assertThat(g.crvb()).isEqualTo(Finding.Severity.ERROR);
        });
        assertThat(partners.zorgorganisatie("12345678")).isPresent();
        assertThat(partners.operators()).isNotEmpty();
    }

    @Test
    void placeholdersAreResolvedBeforeReading() throws IOException {
        Path file = write(valid().replace("https://gemeente.example/wmo", "${ENDPOINT}"));
        Map<String, String> env = Map.of("${ENDPOINT}", "https://elders.example/wmo");

        Partners partners = new PartnersLoader()
                .load(file, s -> s.replace("${ENDPOINT}", env.get("${ENDPOINT}")), RENDERINGS, RULES);

        assertThat(partners.gemeente("0153").orElseThrow().endpoint().getHost()).isEqualTo("elders.example");
    }

    @Test
    void everyMistakeIsListedWithItsPlace() throws IOException {
        Path file = write(valid().replace("\"0153\"", "153")
                .replace("https://gemeente.example/wmo", "http://gemeente.example/wmo")
                .replace("iwmo-wmo315", "iwmo-wmo316")
                .replace("\"12345678\"", "\"1234\""));

        assertThatThrownBy(() -> new PartnersLoader().load(file, NO_PLACEHOLDERS, RENDERINGS, RULES))
                .isInstanceOf(PartnerConfigException.class)
                .hasMessageContaining("4 problem(s)")
                .hasMessageContaining("gemeenten[0].gemeentecode must be the 4-digit CBS code")
                .hasMessageContaining("gemeenten[0].endpoint must be an https:// URL")
                .hasMessageContaining("gemeenten[0].renderings[1].type iwmo-wmo316 is unknown")
                .hasMessageContaining("zorgorganisaties[0].agb must be the 8-digit AGB code");
    }

    @Test
    void aHuisartsAsVerwijzerNeedsItsAgbCodeOrName() throws IOException {
        Path without = write(valid().replace("    crvb: ERROR", "    crvb: ERROR\n    verwijzerType: \"02\""));
        assertThatThrownBy(() -> new PartnersLoader().load(without, NO_PLACEHOLDERS, RENDERINGS, RULES))
                .isInstanceOf(PartnerConfigException.class)
                .hasMessageContaining("CD067");

        Path withCode = write(valid().replace(
                        "    crvb: ERROR",
                        "    crvb: ERROR\n    verwijzerType: \"02\"\n"
                                + "    verwijzerZorgverlenerCode: \"01012345\""));
        assertThat(new PartnersLoader()
                        .load(withCode, NO_PLACEHOLDERS, RENDERINGS, RULES)
                        .gemeente("0153")
                        .orElseThrow()
                        .verwijzer()
                        .zorgverlenerCode())
                .contains("01012345");
    }

    @Test
    void anUnknownKeyIsAMistakeNotIgnored() throws IOException {
        Path file = write(valid().replace("    crvb: ERROR", "    crvb: ERROR\n    crbv: WARNING"));

        assertThatThrownBy(() -> new PartnersLoader().load(file, NO_PLACEHOLDERS, RENDERINGS, RULES))
                .isInstanceOf(PartnerConfigException.class)
                .hasMessageContaining("crbv");
    }

    @Test
    void anUnknownConsentRuleIsAMistake() throws IOException {
        Path file = write(
                valid().replace("    crvb: ERROR", "    crvb: ERROR\n    consentRules: [status-active, handtekening]"));

        assertThatThrownBy(() -> new PartnersLoader().load(file, NO_PLACEHOLDERS, RENDERINGS, RULES))
                .hasMessageContaining("unknown rule handtekening");
    }

    @Test
    void anOperatorWhoseCertificateWouldAlsoBeAPartnersIsRefused() throws IOException {
        Path file = write(valid() + """
                operators:
                  - naam: integrator
                    certificate:
                      subject: "CN=wmo.enschede.example, O=Gemeente Enschede, C=NL"
                      issuer: "CN=CA One, C=NL"
                """);

        assertThatThrownBy(() -> new PartnersLoader().load(file, NO_PLACEHOLDERS, RENDERINGS, RULES))
                .isInstanceOf(PartnerConfigException.class)
                .hasMessageContaining(
                        "gemeenten[0].certificate and operators[0].certificate can match the same certificate");
    }

    @Test
    void twoPartnersWithTheSameFingerprintAreRefused() throws IOException {
        Path file = write(valid() + """
                  - agb: "23456789"
                    naam: Andere Zorg
                    certificate:
                      sha256: "AABB"
                """);

        assertThatThrownBy(() -> new PartnersLoader().load(file, NO_PLACEHOLDERS, RENDERINGS, RULES))
                .hasMessageContaining("zorgorganisaties[0].certificate and zorgorganisaties[1].certificate");
    }

    @Test
    void theSameSubjectUnderDifferentIssuersIsTwoIdentities() throws IOException {
        Path file = write(valid().replace(
                                "      subject: \"CN=wmo.enschede.example,O=Gemeente Enschede,C=NL\"",
                                "      subject: \"CN=wmo.enschede.example,O=Gemeente Enschede,C=NL\"\n"
                                        + "      issuer: \"CN=CA One,C=NL\"")
                + """
                operators:
                  - naam: integrator
                    certificate:
                      subject: "CN=wmo.enschede.example,O=Gemeente Enschede,C=NL"
                      issuer: "CN=CA Two,C=NL"
                """);

        assertThat(new PartnersLoader()
                        .load(file, NO_PLACEHOLDERS, RENDERINGS, RULES)
                        .operators())
                .hasSize(1);
    }

    @Test
    void aSubjectWithoutItsIssuerIsRefusedBecauseAnyTrustedCaCouldIssueIt() throws IOException {
        Path file = write(valid().replace("      issuer: \"CN=CA One,C=NL\"\n", ""));

        assertThatThrownBy(() -> new PartnersLoader().load(file, NO_PLACEHOLDERS, RENDERINGS, RULES))
                .hasMessageContaining("gemeenten[0].certificate names a subject without its issuer");
    }

    @Test
    void aMissingFileSaysWhereItWasLookedFor() {
        assertThatThrownBy(
                        () -> new PartnersLoader().load(dir.resolve("nope.yaml"), NO_PLACEHOLDERS, RENDERINGS, RULES))
                .hasMessageContaining("nope.yaml")
                .hasMessageContaining("wmo.partners-file");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("partners.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String valid() {
        return """
                gemeenten:
                  - gemeentecode: "0153"
                    naam: Gemeente Enschede
                    endpoint: https://gemeente.example/wmo
                    certificate:
                      subject: "CN=wmo.enschede.example,O=Gemeente Enschede,C=NL"
                      issuer: "CN=CA One,C=NL"
                    renderings:
                      - type: ondersteuningsplan-json
                        path: /plannen
                      - type: iwmo-wmo315
                        path: /wmo315
                    crvb: ERROR
                zorgorganisaties:
                  - agb: "12345678"
                    naam: Thuiszorg
                    certificate:
                      sha256: "aa:bb"
                """;
    }
}
