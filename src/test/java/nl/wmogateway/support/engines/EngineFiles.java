package nl.wmogateway.support.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the engines keep their files: under the build directory ({@code target/engines/}), so that
 * logs of a failed run stay for reading and {@code mvn clean} removes everything.
 */
final class EngineFiles {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String RUN = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
            + ProcessHandle.current().pid();

    private EngineFiles() {}

    /** The project directory: the working directory of Surefire and of {@code mvn exec:java}. */
    static Path projectDir() {
        Path dir = Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("pom.xml")) || !Files.isDirectory(dir.resolve("routes"))) {
            throw new IllegalStateException("run from the project directory (with pom.xml and routes/), not " + dir);
        }
        return dir;
    }

    /** {@code target/engines/<this JVM's run>}, made on first use. */
    static Path runDir() {
        Path build = Path.of(System.getProperty(
                "wmo.build.dir", projectDir().resolve("target").toString()));
        return mkdirs(build.resolve("engines").resolve(RUN));
    }

    /** A new directory of this run, named after what lives there. */
    static Path newDir(String name) {
        return mkdirs(runDir().resolve(String.format("%02d-%s", SEQUENCE.incrementAndGet(), name)));
    }

    static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
