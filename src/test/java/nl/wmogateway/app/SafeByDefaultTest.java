package nl.wmogateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nl.wmogateway.WmoGatewayApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway started as someone would who forgot (or mistyped) the profile: the shipped defaults,
 * which point at the public example certificates and partners. It must refuse, naming every
 * problem, and never open its port.
 */
class SafeByDefaultTest {

    @Test
    void aStartWithoutTheDemoProfileRefusesTheExampleMaterialNamingEachProblem(@TempDir Path dir) throws Exception {
        String output = start(dir, List.of());

        assertThat(output)
                .contains("the gateway refuses to start with example or unsafe settings")
                .contains("the keystore password is the example password")
                .contains("the truststore password is the example password")
                .contains("certs-example/gateway.p12 holds example certificate")
                .contains("certs-example/truststore.p12 holds example certificate")
                .contains("gemeente 0153 is recognised by the example CA")
                .contains("zorgorganisatie 12345678 is recognised by the example CA")
                .contains("operator integrator is recognised by the example CA")
                .contains("the database is opened without a password")
                .contains("no storage keys are set")
                .doesNotContain("Started WmoGatewayApplication");
    }

    @Test
    void aMistypedProfileNameIsGuardedToo(@TempDir Path dir) throws Exception {
        String output = start(dir, List.of("--spring.profiles.active=demo-typo"));

        assertThat(output)
                .contains("the gateway refuses to start with example or unsafe settings")
                .doesNotContain("Started WmoGatewayApplication");
    }

    /** Runs the gateway in a JVM of its own from the project directory; its output once it ended. */
    private static String start(Path dir, List<String> extra) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                WmoGatewayApplication.class.getName(),
                "--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE",
                "--spring.artemis.embedded.data-directory=" + dir.resolve("artemis")));
        command.addAll(extra);
        Path log = dir.resolve("gateway.log");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean ended = p.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("the gateway ended by itself:%n%s", output).isTrue();
        assertThat(p.exitValue()).as("exit code").isNotZero();
        return output;
    }
}
