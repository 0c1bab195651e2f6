package nl.wmogateway.iwmo;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The official example retours for tests, read from {@code <wmo.shared.dir>/reference/iwmo/examples/retour/}
 * (default {@code ../shared}, like {@link IwmoSchemas}). They are not copied into the repository;
 * when they are absent, tests that need them are skipped, not failed.
 */
public final class IwmoExamples {

    private IwmoExamples() {}

    /** The folder holding WMO302.xml, WMO316.xml, WMO320.xml. */
    public static Path directory() {
        return Path.of(System.getProperty("wmo.shared.dir", "../shared"), "reference", "iwmo", "examples", "retour");
    }

    /** The bytes of one example retour, e.g. {@code "WMO320"}; skips the calling test when it is not there. */
    public static byte[] retour(String bericht) {
        Path file = directory().resolve(bericht + ".xml");
        assumeTrue(
                Files.isRegularFile(file),
                () -> "official iWmo example retours not found at "
                        + directory().toAbsolutePath() + "; skipping");
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
