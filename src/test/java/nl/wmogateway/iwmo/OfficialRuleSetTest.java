package nl.wmogateway.iwmo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import nl.wmogateway.plan.AangevraagdProduct;
import nl.wmogateway.plan.Omvang;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.plan.OpenEndedPolicy;
import nl.wmogateway.plan.RenderContext;
import nl.wmogateway.plan.TestPlans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official iWmo rule set on the project's iWmo fixtures, the official examples and what the
 * gateway writes: nothing breaks a rule except the fixture made to break one, and that one breaks
 * exactly its rule. Skipped where {@code ../shared} is absent.
 */
class OfficialRuleSetTest {

    private static final Path FIXTURES = Path.of("src/test/resources");
    /** Fixtures made to break a rule: file name to the one rule they break. */
    private static final java.util.Map<String, String> BROKEN_ON_PURPOSE =
            java.util.Map.of("wmo301-open-einde-per-week.xml", "CD076");

    /**
     * Official examples that break a rule as the JDK's XSLT processor runs the stylesheet: the
     * WMO317 example asks for a NieuwProduct from its own Dagtekening (2023-04-02), and TR380 wants
     * a GewensteIngangsdatum after it. The gateway neither writes nor reads a WMO317.
     */
    private static final java.util.Map<String, String> OFFICIAL_EXAMPLES_BREAKING =
            java.util.Map.of("WMO317.xml", "TR380");

    static Stream<Path> iwmoFixtures() throws IOException {
        try (Stream<Path> files = Files.walk(FIXTURES)) {
            return files
                    .filter(f -> f.toString().endsWith(".xml"))
                    .filter(OfficialRuleSetTest::isIwmo)
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    static Stream<Path> officialExamples() throws IOException {
        Path dir = OfficialRuleSets.examples();
        if (!Files.isDirectory(dir)) {
            return Stream.of(dir.resolve("(absent)"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".xml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("iwmoFixtures")
    void everyIwmoFixtureBreaksNoRuleUnlessMadeTo(Path fixture) throws IOException {
        IwmoRuleSet.Rapport rapport = OfficialRuleSets.ruleSet().check(Files.readAllBytes(fixture));

        String onPurpose = BROKEN_ON_PURPOSE.get(fixture.getFileName().toString());
        if (onPurpose == null) {
            assertThat(rapport.fouten()).as(fixture.toString()).isEmpty();
        } else {
            assertThat(rapport.codes()).as(fixture.toString()).containsExactly(onPurpose);
        }
    }

    @Test
    void theFixtureMadeToBreakCd076NamesTheProductAndTheRetourcode() throws IOException {
        IwmoRuleSet.Rapport rapport = OfficialRuleSets.ruleSet()
                .check(Files.readAllBytes(FIXTURES.resolve("beschikking/wmo301-open-einde-per-week.xml")));

        assertThat(rapport.fouten()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("CD076");
            assertThat(f.locaties())
                    .containsExactly("/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]/Omvang/Frequentie");
            assertThat(f.retourcodeOrDefault()).isEqualTo("0001");
            assertThat(f.details()).hasValueSatisfying(d -> assertThat(d).contains("per week"));
        });
        assertThat(rapport.xsltVersie()).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("officialExamples")
    void everyOfficialExamplePasses(Path example) throws IOException {
        assumeThat(Files.isRegularFile(example))
                .as("official iWmo examples not found at " + example.getParent())
                .isTrue();
        String breaks = OFFICIAL_EXAMPLES_BREAKING.get(example.getFileName().toString());
        if (breaks == null) {
            OfficialRuleSets.assertPasses(
                    Files.readAllBytes(example), example.getFileName().toString());
        } else {
            assertThat(OfficialRuleSets.ruleSet()
                            .check(Files.readAllBytes(example))
                            .codes())
                    .containsExactly(breaks);
        }
    }

    @Test
    void theWmo315OfAnOpenEndedProductPerWeekPassesWithEitherPolicy() {
        Ondersteuningsplan plan = TestPlans.withMaatwerkvoorzieningen(openEndedPerWeek());
        for (OpenEndedPolicy policy : List.of(
                OpenEndedPolicy.DEFAULT,
                new OpenEndedPolicy(OpenEndedPolicy.Mode.END_DATE, java.time.Period.ofYears(3)),
                new OpenEndedPolicy(OpenEndedPolicy.Mode.PER_MONTH, null))) {
            byte[] xml = new Wmo315Rendering()
                    .render(plan, new RenderContext("WG1", LocalDate.of(2025, 3, 12), "06", policy));

            OfficialRuleSets.assertPasses(xml, "the WMO315 with " + policy);
        }
    }

    @Test
    void theExampleWmo315Passes() {
        byte[] xml = new Wmo315Rendering().render(TestPlans.example(), TestPlans.context());

        OfficialRuleSets.assertPasses(xml, "the example plan's WMO315");
    }

    @Test
    void aDoctypeIsRefusedBeforeTheRuleSetSeesTheMessage() {
        IwmoRuleSet rules = OfficialRuleSets.ruleSet();
        byte[] xml = ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                        + "<Bericht xmlns=\"http://www.istandaarden.nl/iwmo/3_2/wmo301/schema\">&e;</Bericht>")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> rules.check(xml))
                .isInstanceOf(IwmoXmlReader.UnreadableXmlException.class)
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void aStylesheetThatDoesNotExistIsNamed() {
        assertThatThrownBy(() -> IwmoRuleSet.of(Path.of("no/such/rules.xsl")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rules.xsl");
    }

    private static AangevraagdProduct openEndedPerWeek() {
        AangevraagdProduct begeleiding = TestPlans.individueleBegeleiding();
        return new AangevraagdProduct(
                begeleiding.referentieAanbieder(),
                begeleiding.categorie(),
                begeleiding.code(),
                begeleiding.omschrijving(),
                Optional.of(new Omvang(180, Omvang.EENHEID_MINUUT, Omvang.FREQUENTIE_PER_WEEK)),
                begeleiding.ingangsdatum(),
                Optional.empty(),
                Optional.of(begeleiding.ingangsdatum().plusYears(1)),
                begeleiding.motivering());
    }

    private static boolean isIwmo(Path file) {
        try {
            return Files.readString(file).contains("http://www.istandaarden.nl/iwmo/3_2/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
