package nl.wmogateway.support.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A SoftHSM2 token of its own for a test: its token directory and {@code softhsm2.conf} in a fresh
 * directory under the build directory, initialised with {@code softhsm2-util}, and a SunPKCS11
 * configuration file for it. Keys and certificates go in as an operator puts them in, with
 * {@code keytool -importkeystore} from a PKCS#12 file into the token.
 *
 * <p>SoftHSM reads {@code SOFTHSM2_CONF} from the environment once, when a process first opens the
 * library, and sees no token made after that; so this JVM never opens it, and every process that
 * uses the token (keytool, a gateway) is started with {@link #environment()}.
 */
public final class SoftHsm {

    /** Where Debian's softhsm2 package puts the PKCS#11 library. */
    public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");

    private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

    private final Path dir;
    private final String label;
    private final String pin;
    private final long slot;
    private final Path config;

    private SoftHsm(Path dir, String label, String pin, long slot, Path config) {
        this.dir = dir;
        this.label = label;
        this.pin = pin;
        this.slot = slot;
        this.config = config;
    }

    /** Whether the library and {@code softhsm2-util} are installed ({@code apt-get install softhsm2}). */
    public static boolean available() {
        return Files.isRegularFile(LIBRARY) && onPath("softhsm2-util");
    }

    /** Skips the calling test, saying why, where SoftHSM2 is not installed. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(
                available(),
                "SoftHSM2 is not installed (" + LIBRARY + ", softhsm2-util; apt-get install softhsm2): the tests"
                        + " with a real PKCS#11 token are skipped; trust.StandInTokenTest covers the PKCS#11 path"
                        + " without it");
    }

    /** A new token labelled {@code label} with user PIN {@code pin}, in a directory of its own. */
    public static SoftHsm token(String label, String pin) {
        Path dir = EngineFiles.newDir("softhsm-" + label);
        try {
            Path tokens = Files.createDirectories(dir.resolve("tokens"));
            Files.writeString(
                    dir.resolve("softhsm2.conf"),
                    "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n"
                            + "slots.removable = false\n",
                    StandardCharsets.UTF_8);
            String output = run(
                    dir,
                    List.of(
                            "softhsm2-util",
                            "--init-token",
                            "--free",
                            "--label",
                            label,
                            "--so-pin",
                            pin + "-so",
                            "--pin",
                            pin));
            Matcher slot = SLOT.matcher(output);
            if (!slot.find()) {
                throw new IllegalStateException("softhsm2-util did not say which slot the token is in:\n" + output);
            }
            long slotId = Long.parseLong(slot.group(1));
            Path config = dir.resolve("pkcs11.cfg");
            Files.writeString(
                    config,
                    "name = wmo-" + label + "\nlibrary = " + LIBRARY + "\nslot = " + slotId + "\n",
                    StandardCharsets.UTF_8);
            return new SoftHsm(dir, label, pin, slotId, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make SoftHSM token " + label + " in " + dir, e);
        }
    }

    /** Puts the key entry {@code alias} of a PKCS#12 file into the token under {@code tokenAlias}, as an operator would. */
    public SoftHsm importKey(Path p12, String password, String alias, String tokenAlias) {
        run(
                dir,
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-importkeystore",
                        "-noprompt",
                        "-srckeystore",
                        p12.toString(),
                        "-srcstoretype",
                        "PKCS12",
                        "-srcstorepass",
                        password,
                        "-srcalias",
                        alias,
                        "-destkeystore",
                        "NONE",
                        "-deststoretype",
                        "PKCS11",
                        "-providerClass",
                        "sun.security.pkcs11.SunPKCS11",
                        "-providerArg",
                        config.toString(),
                        "-deststorepass",
                        pin,
                        "-destalias",
                        tokenAlias));
        return this;
    }

    /** The environment every process using the token needs. */
    public Map<String, String> environment() {
        return Map.of("SOFTHSM2_CONF", dir.resolve("softhsm2.conf").toString());
    }

    /** The SunPKCS11 configuration file ({@code wmo.tls.pkcs11-config}). */
    public Path config() {
        return config;
    }

    /** The provider name SunPKCS11 gives the token: {@code SunPKCS11-wmo-<label>}. */
    public String providerName() {
        return "SunPKCS11-wmo-" + label;
    }

    public String pin() {
        return pin;
    }

    public long slot() {
        return slot;
    }

    @Override
    public String toString() {
        return "SoftHsm[" + label + ", slot " + slot + ", " + dir + "]";
    }

    /** Runs a tool in the token's directory, with its SOFTHSM2_CONF; its output, or a failure with it. */
    private static String run(Path workDir, List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment()
                    .put("SOFTHSM2_CONF", workDir.resolve("softhsm2.conf").toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) {
                return true;
            }
        }
        return false;
    }
}
