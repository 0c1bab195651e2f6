package nl.wmogateway.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) that presents a
 * client certificate, as an operator's browser does: the certificate and the test CAs go into an
 * NSS database in a home of its own (with {@code pk12util} and {@code certutil} from
 * {@code libnss3-tools}), and the profile selects that certificate for the gateway's origin without
 * asking. {@link #available()} says whether this machine has what it takes; {@code .ci/run}
 * installs it where it can.
 */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = firstExisting("/usr/lib/chromium/chromium", "/usr/bin/chromium");
    private static final Path DRIVER = firstExisting("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    private static final Path CERTUTIL = firstExisting("/usr/bin/certutil");
    private static final Path PK12UTIL = firstExisting("/usr/bin/pk12util");

    /** Where the screenshots go: {@code target/console-screenshots}. */
    public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private final ChromeDriver driver;
    private final Path home;

    private Browser(ChromeDriver driver, Path home) {
        this.driver = driver;
        this.home = home;
    }

    /** Whether Chromium, its driver and the NSS tools are installed; the reason when not. */
    public static String missing() {
        List<String> absent = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            absent.add("chromium");
        }
        if (!Files.isExecutable(DRIVER)) {
            absent.add("chromium-driver");
        }
        if (!Files.isExecutable(CERTUTIL) || !Files.isExecutable(PK12UTIL)) {
            absent.add("libnss3-tools");
        }
        return absent.isEmpty()
                ? ""
                : "the browser tests need Debian's " + String.join(", ", absent)
                        + " (apt-get install chromium chromium-driver libnss3-tools; .ci/run does it where it can)";
    }

    public static boolean available() {
        return missing().isEmpty();
    }

    /**
     * A browser that presents the certificate in {@code keystore} (PKCS#12, {@link
     * TestPkiFiles#PASSWORD}) to {@code https://localhost:port} and trusts the CAs in {@code truststore}.
     */
    public static Browser withCertificate(Path keystore, Path truststore, int port) {
        try {
            Path home = Files.createTempDirectory("wmo-browser");
            Path nss = Files.createDirectories(home.resolve(".pki/nssdb"));
            run(CERTUTIL.toString(), "-N", "-d", "sql:" + nss, "--empty-password");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(truststore)) {
                trust.load(in, TestPkiFiles.PASSWORD.toCharArray());
            }
            int n = 0;
            for (String alias : Collections.list(trust.aliases())) {
                Certificate ca = trust.getCertificate(alias);
                if (ca == null) {
                    continue;
                }
                Path pem = home.resolve("ca-" + n + ".pem");
                Files.writeString(pem, pem(ca), StandardCharsets.US_ASCII);
                run(
                        CERTUTIL.toString(),
                        "-A",
                        "-d",
                        "sql:" + nss,
                        "-n",
                        "test-ca-" + n++,
                        "-t",
                        "CT,C,C",
                        "-i",
                        pem.toString());
            }
            run(PK12UTIL.toString(), "-i", keystore.toString(), "-d", "sql:" + nss, "-W", TestPkiFiles.PASSWORD);
            Path profile = Files.createDirectories(home.resolve("profile/Default"));
            Files.writeString(
                    profile.resolve("Preferences"),
                    "{\"profile\":{\"content_settings\":{\"exceptions\":{\"auto_select_certificate\":{"
                            + "\"https://localhost:" + port + ",*\":{\"setting\":{\"filters\":[{}]}}}}}}}",
                    StandardCharsets.UTF_8);
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-dev-shm-usage",
                    "--disable-gpu",
                    "--no-first-run",
                    "--lang=nl-NL",
                    "--window-size=1366,1800",
                    "--user-data-dir=" + home.resolve("profile"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(DRIVER.toFile())
                    .usingAnyFreePort()
                    .withEnvironment(Map.of("HOME", home.toString()))
                    .build();
            ChromeDriver driver;
            try {
                driver = new ChromeDriver(service, options);
            } catch (org.openqa.selenium.SessionNotCreatedException e) {
                // installed but not startable in this environment: not a fault of the console
                org.junit.jupiter.api.Assumptions.abort("Chromium is installed but does not start here: "
                        + e.getMessage().lines().findFirst().orElse(""));
                throw e;
            }
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return new Browser(driver, home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Saves what the browser shows now as {@code target/console-screenshots/<name>.png}. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(home.toFile());
        }
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(command[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(command[0] + " interrupted", e);
        }
    }

    private static String pem(Certificate certificate) throws java.security.cert.CertificateEncodingException {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    private static Path firstExisting(String... candidates) {
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        return Path.of(candidates[0]);
    }

    private static void deleteQuietly(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File c : children) {
                deleteQuietly(c);
            }
        }
        if (!file.delete()) {
            file.deleteOnExit();
        }
    }
}
