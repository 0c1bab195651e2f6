package nl.wmogateway.support.engines;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import nl.wmogateway.WmoGatewayApplication;
import nl.wmogateway.support.TestPkiFiles;
import nl.wmogateway.trust.TlsContexts;

/**
 * The whole gateway ({@link WmoGatewayApplication}) in a JVM of its own, as it runs in production:
 * its own HTTPS port (kept across restarts), its own working directory with its data, its output
 * in {@code <working directory>/<name>.log}. By default it keeps its state in an H2 file database
 * and an embedded Artemis broker in that directory, so a {@link #kill9()} and {@link #start()}
 * brings it back on the same data; properties given to the constructor override that (PostgreSQL,
 * an external broker).
 *
 * <pre>
 * GatewayProcess gateway = new GatewayProcess("gateway", GatewayProcess.testSettings(partnersFile));
 * gateway.start().awaitReady(Duration.ofSeconds(120));
 * gateway.kill9(); gateway.start().awaitReady(...); gateway.stop();
 * </pre>
 */
public final class GatewayProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Path workDir;
    private final JavaProcess process;
    private final HttpClient probe;

    /** A gateway with its own port and working directory; {@code properties} as {@code --name=value} arguments. */
    public GatewayProcess(String name, Map<String, String> properties) {
        this(name, properties, Map.of());
    }

    /** The same, with {@code environment} added to the process's environment (a PKCS#11 library's settings). */
    public GatewayProcess(String name, Map<String, String> properties, Map<String, String> environment) {
        this.name = name;
        this.workDir = EngineFiles.newDir(name);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.port", Integer.toString(FreePort.pick()));
        all.put("wmo.instance-id", name);
        all.put("spring.datasource.url", "jdbc:h2:file:" + workDir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE");
        all.put(
                "spring.artemis.embedded.data-directory",
                workDir.resolve("artemis").toString());
        all.putAll(properties);
        this.port = Integer.parseInt(all.get("server.port"));
        List<String> args = new ArrayList<>();
        all.forEach((key, value) -> args.add("--" + key + "=" + value));
        this.process = new JavaProcess(
                name,
                workDir,
                workDir.resolve(name + ".log"),
                List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8"),
                WmoGatewayApplication.class.getName(),
                args,
                environment);
        SSLContext tls = TlsContexts.sslContext(
                TestPkiFiles.EHR,
                TestPkiFiles.PASSWORD.toCharArray(),
                Optional.empty(),
                TestPkiFiles.TRUSTSTORE,
                TestPkiFiles.PASSWORD.toCharArray());
        this.probe = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    /**
     * The settings the test suite runs the gateway with (as {@code GatewayTestBase} does): the test
     * PKI, CRL checks, short retry delays, no simulated gemeente, and profiles and routes from the
     * project directory, since the process runs in a directory of its own.
     */
    /** The embedded database's credentials in tests (a database without a password is refused outside the demo). */
    public static final String H2_USER = "wmo";

    public static final String H2_PASSWORD = "wmo-test-database";

    /** The storage keys of tests: a data key and the pseudonym key (docs/privacy.md). */
    public static final String STORAGE_KEYS = "test-1:" + testKey("data") + ",pseudonym:" + testKey("pseudonym");

    /** A 32-byte key derived from {@code name}, base64: test keys differ from the demo's and from each other. */
    public static String testKey(String name) {
        try {
            return java.util.Base64.getEncoder()
                    .encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(("wmo-gateway test storage key " + name)
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> testSettings(Path partnersFile) {
        Path project = EngineFiles.projectDir();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("wmo.partners-file", partnersFile.toString());
        settings.put("wmo.profiles-dir", project.resolve("profiles").toString());
        settings.put("camel.main.routes-include-pattern", "file:" + project.resolve("routes") + "/*.camel.yaml");
        settings.put("wmo.tls.keystore", TestPkiFiles.GATEWAY.toString());
        settings.put("wmo.tls.keystore-password", TestPkiFiles.PASSWORD);
        settings.put("wmo.tls.truststore", TestPkiFiles.TRUSTSTORE.toString());
        settings.put("wmo.tls.truststore-password", TestPkiFiles.PASSWORD);
        settings.put("wmo.trust.crl-sources", TestPkiFiles.CRL.toString());
        settings.put("wmo.trust.revocation-mode", "HARD_FAIL");
        settings.put("wmo.delivery.initial-delay", "200ms");
        settings.put("wmo.delivery.max-delay", "1s");
        settings.put("wmo.delivery.timeout", "5s");
        settings.put("wmo.demo.simulated-gemeente.enabled", "false");
        settings.put("wmo.storage.keys", STORAGE_KEYS);
        settings.put("spring.datasource.username", H2_USER);
        settings.put("spring.datasource.password", H2_PASSWORD);
        return settings;
    }

    /** The settings for PostgreSQL (the schema by the same migrations as H2) and an external Artemis broker, as docs/configuration.md gives them. */
    public static Map<String, String> externalEngines(
            String jdbcUrl, String dbUser, String dbPassword, ArtemisBroker broker) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spring.datasource.url", jdbcUrl);
        settings.put("spring.datasource.username", dbUser);
        settings.put("spring.datasource.password", dbPassword);
        settings.put("spring.artemis.mode", "native");
        settings.put("spring.artemis.broker-url", broker.brokerUrl());
        settings.put("spring.artemis.user", broker.user());
        settings.put("spring.artemis.password", broker.password());
        return settings;
    }

    /** Starts the gateway (again, on the same data and port). Returns at once; see {@link #awaitReady}. */
    public GatewayProcess start() {
        process.start();
        return this;
    }

    /**
     * Waits until the gateway answers {@code GET /actuator/health/readiness} with 200 to the test
     * EHR's client certificate; fails early, with the end of its log, when the process exits.
     * (Readiness, not {@code /fhir/metadata}: the HTTPS port answers a few seconds before the Camel
     * routes have started, and a plan submitted then is answered 500.)
     */
    public GatewayProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest readiness = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway " + name + " exited while starting:\n" + process.logTail(60));
            }
            try {
                if (probe.send(readiness, HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            ArtemisBroker.sleep(250);
        }
        throw new IllegalStateException(
                "gateway " + name + " not ready within " + timeout + ":\n" + process.logTail(60));
    }

    /**
     * Waits until the process ends by itself (a start that fails); its exit code.
     *
     * @throws IllegalStateException with the end of its log if it still runs after {@code timeout}
     */
    public int awaitExit(Duration timeout) {
        Optional<Integer> exit = process.awaitExit(timeout);
        if (exit.isEmpty()) {
            process.kill9();
            throw new IllegalStateException(
                    "gateway " + name + " still ran after " + timeout + ":\n" + process.logTail(60));
        }
        return exit.get();
    }

    /** kill -9. */
    public void kill9() {
        process.kill9();
    }

    /** A graceful stop (SIGTERM, Spring's graceful shutdown). */
    public void stop() {
        process.stop(Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** {@code https://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "https://127.0.0.1:" + port;
    }

    public Path workDir() {
        return workDir;
    }

    public Path log() {
        return process.log();
    }

    /** The end of the gateway's log, for failure messages. */
    public String logTail(int lines) {
        return process.logTail(lines);
    }

    @Override
    public String toString() {
        return "gateway " + name + " at " + baseUrl();
    }
}
