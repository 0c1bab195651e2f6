package nl.wmogateway.iwmo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The official iWmo 3.2 rule set (TR/CD/CS as XSLT) for tests, read from
 * {@code <wmo.shared.dir>/reference/iwmo/xslt/} (default {@code ../shared}). It is reference
 * material, not part of the repository: where it is absent, tests that need it are skipped and the
 * in-process gateway of the end-to-end tests runs without it.
 */
public final class OfficialRuleSets {

    public static final String FILE = "TR-CD-CS regels WMO 3.2.xsl";

    private OfficialRuleSets() {}

    public static Path stylesheet() {
        return Path.of(System.getProperty("wmo.shared.dir", "../shared"), "reference", "iwmo", "xslt", FILE);
    }

    /** The stylesheet, when it is there. */
    public static Optional<Path> available() {
        Path file = stylesheet();
        return Files.isRegularFile(file) ? Optional.of(file.toAbsolutePath()) : Optional.empty();
    }

    /** The compiled rule set; skips the calling test when the stylesheet is not there. */
    public static IwmoRuleSet ruleSet() {
        assumeTrue(
                available().isPresent(),
                () -> "official iWmo rule set not found at " + stylesheet().toAbsolutePath() + "; skipping");
        return IwmoRuleSet.of(available().get());
    }

    /** Asserts that the message breaks no rule of the official set (skips without it). */
    public static void assertPasses(byte[] message, String what) {
        IwmoRuleSet.Rapport rapport = ruleSet().check(message);
        assertThat(rapport.fouten())
                .as(what + " against the official iWmo rule set")
                .isEmpty();
    }

    /** The official example messages' folder. */
    public static Path examples() {
        return Path.of(System.getProperty("wmo.shared.dir", "../shared"), "reference", "iwmo", "examples");
    }
}
