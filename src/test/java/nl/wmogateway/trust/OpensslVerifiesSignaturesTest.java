package nl.wmogateway.trust;

import static nl.wmogateway.trust.SigningFixtures.GATEWAY;
import static nl.wmogateway.trust.SigningFixtures.IMPOSTOR;
import static nl.wmogateway.trust.SigningFixtures.PLAN_JSON;
import static nl.wmogateway.trust.SigningFixtures.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import nl.wmogateway.pki.Pki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code openssl cms -verify} commands exactly as {@code docs/signatures.md} shows them,
 * in a directory with the files the page names, and checks that they behave as the page says.
 * Skipped, with a message, where {@code openssl} is not on the PATH.
 */
class OpensslVerifiesSignaturesTest {

    static final Path DOC = Path.of("docs/signatures.md");

    static List<String> documentedCommands;

    @TempDir
    Path dir;

    @BeforeAll
    static void readTheCommandsFromTheDocumentation() throws IOException {
        documentedCommands = opensslVerifyCommands(Files.readString(DOC));
    }

    @BeforeEach
    void requireOpensslAndPlaceTheFilesTheDocumentationNames() throws Exception {
        assumeThat(opensslVersion())
                .as("openssl is not on the PATH; the documented verification commands are not checked")
                .isPresent();
        Files.write(dir.resolve("plan.json"), PLAN_JSON);
        Files.write(
                dir.resolve("plan.json.p7s"),
                SigningFixtures.gatewaySigner().sign(PLAN_JSON).der());
        Pki.writePem(dir.resolve("root-ca.crt.pem"), List.of(ROOT.certificate()));
        Pki.writePem(dir.resolve("gateway.crt.pem"), List.of(GATEWAY.certificate()));
    }

    @Test
    void theDocumentationShowsAVerificationWithTheCaAndOneWithOnlyThePublicCertificate() {
        assertThat(documentedCommands).hasSize(2);
        assertThat(withCa()).contains("-CAfile root-ca.crt.pem").doesNotContain("-noverify");
        assertThat(withOnlyTheCertificate())
                .contains("-certfile gateway.crt.pem", "-nointern", "-noverify")
                .doesNotContain("-CAfile");
    }

    @Test
    void opensslVerifiesTheSignatureWithTheCa() throws Exception {
        Result result = run(withCa());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Verification successful");
    }

    @Test
    void opensslVerifiesTheSignatureWithOnlyThePublicCertificate() throws Exception {
        Result result = run(withOnlyTheCertificate());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Verification successful");
    }

    @Test
    void opensslVerifiesASignatureTakenFromTheHeader() throws Exception {
        String header = SigningFixtures.gatewaySigner().sign(PLAN_JSON).base64();
        Files.write(dir.resolve("plan.json.p7s"), java.util.Base64.getDecoder().decode(header));

        assertThat(run(withCa()).exitCode()).isZero();
    }

    @Test
    void opensslReportsAChangedPayloadAsAVerificationFailure() throws Exception {
        Files.write(dir.resolve("plan.json"), SigningFixtures.withOneByteChanged(PLAN_JSON, 100));

        for (String command : documentedCommands) {
            Result result = run(command);

            assertThat(result.exitCode()).as(command).isEqualTo(4);
            assertThat(result.output()).contains("Verification failure").contains("content verify error");
        }
    }

    @Test
    void opensslRefusesASignatureByAnotherCertificateWithTheSameSubject() throws Exception {
        Files.write(
                dir.resolve("plan.json.p7s"),
                SigningFixtures.signerFor(IMPOSTOR).sign(PLAN_JSON).der());

        Result withCa = run(withCa());
        Result pinned = run(withOnlyTheCertificate());

        assertThat(withCa.exitCode()).isNotZero();
        assertThat(withCa.output()).contains("unable to get local issuer certificate");
        assertThat(pinned.exitCode()).isNotZero();
        assertThat(pinned.output()).contains("signer certificate not found");
    }

    @Test
    void withoutBinaryOpensslChangesTheLineEndsAndTheSignatureFails() throws Exception {
        Result result = run(withCa().replace(" -binary", ""));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("content verify error");
    }

    @Test
    void withoutPurposeAnyOpensslRefusesACertificateMadeForTls() throws Exception {
        Result result = run(withCa().replace(" -purpose any", ""));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("unsuitable certificate purpose");
    }

    @Test
    void aSignatureWithoutIntermediatesNeedsTheIssuingCaInTheCaFile() throws Exception {
        Files.write(
                dir.resolve("plan.json.p7s"),
                SigningFixtures.gatewaySigner()
                        .signerCertificateOnly()
                        .sign(PLAN_JSON)
                        .der());
        Files.writeString(
                dir.resolve("root-ca.crt.pem"),
                Pki.pem(List.of(ROOT.certificate(), SigningFixtures.ISSUING.certificate())),
                StandardCharsets.US_ASCII);

        assertThat(run(withCa()).exitCode()).isZero();
    }

    @Test
    void theExampleGatewayKeystoreSignsWhatOpensslVerifiesWithTheExampleRootCa() throws Exception {
        Path examples = Path.of("certs-example");
        assumeThat(examples.resolve("gateway.p12"))
                .as("certs-example/gateway.p12 is not there")
                .exists();
        PayloadSigner example =
                PayloadSigner.fromKeystore(examples.resolve("gateway.p12"), "changeit".toCharArray(), Optional.empty());
        Files.write(dir.resolve("plan.json.p7s"), example.sign(PLAN_JSON).der());
        Files.copy(
                examples.resolve("root-ca.crt.pem"),
                dir.resolve("root-ca.crt.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(
                examples.resolve("gateway.crt.pem"),
                dir.resolve("gateway.crt.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        for (String command : documentedCommands) {
            assertThat(run(command).exitCode()).as(command).isZero();
        }
    }

    private static String withCa() {
        return documentedCommands.stream()
                .filter(c -> c.contains("-CAfile"))
                .findFirst()
                .orElseThrow();
    }

    private static String withOnlyTheCertificate() {
        return documentedCommands.stream()
                .filter(c -> c.contains("-noverify"))
                .findFirst()
                .orElseThrow();
    }

    /** Every {@code openssl cms -verify} command on the page, its {@code \} continuation lines joined. */
    static List<String> opensslVerifyCommands(String markdown) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = null;
        for (String line : markdown.split("\n")) {
            String text = line.strip();
            if (current == null && text.startsWith("openssl cms -verify")) {
                current = new StringBuilder();
            }
            if (current != null) {
                boolean continues = text.endsWith("\\");
                current.append(continues ? text.substring(0, text.length() - 1).strip() : text)
                        .append(' ');
                if (!continues) {
                    commands.add(current.toString().strip().replaceAll("\\s+", " "));
                    current = null;
                }
            }
        }
        return commands;
    }

    private record Result(int exitCode, String output) {}

    /** The documented commands need no shell: no quotes, pipes or variables. */
    private Result run(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Arrays.asList(command.split(" ")))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("openssl did not finish: " + command);
        }
        return new Result(process.exitValue(), output);
    }

    private static Optional<String> opensslVersion() {
        try {
            Process process = new ProcessBuilder("openssl", "version")
                    .redirectErrorStream(true)
                    .start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0
                    ? Optional.of(version)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
