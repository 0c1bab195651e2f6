package nl.wmogateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import nl.wmogateway.WmoGatewayApplication;
import nl.wmogateway.fixtures.HostileRequests;
import nl.wmogateway.fixtures.HostileRequests.HostileRequest;
import nl.wmogateway.fixtures.TestBundles;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import nl.wmogateway.trust.TlsContexts;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;

/**
 * The gateway under load, as a busy region and an attacker would load it, measured from outside and
 * printed (a harness, not a test). The gateway runs as a process of its own with the heap it is
 * given ({@code -Xmx512m -XX:+ExitOnOutOfMemoryError} by default), real mutual TLS, its embedded
 * broker and database, and a fake gemeente in this process that accepts every rendering.
 *
 * <p>For C = 1, 2, 4, 8, 16, 32 concurrent EHR clients (each its own kept-alive connection, all with
 * the certificate of one care organisation, each plan with its own Bundle.identifier and BSN), for a
 * fixed time per level: accepted plans per second, submit p50/p99 (the accepted POST), end to end
 * p50/p99 (the accepted POST until the gemeente has both renderings), gateway CPU per accepted plan,
 * peak heap and RSS of the gateway process, and the 429/503 answers. A client that is answered 429
 * or 503 waits {@code Retry-After} and sends the same plan again, as an EHR should.
 *
 * <p>Then the mixed run: the level with the highest throughput that had no 503 and no error, once
 * clean and once while a second care organisation sends every hostile request of
 * {@link HostileRequests} in a loop; it prints the valid traffic's errors and submit p99 side by side.
 *
 * <pre>mvn -q test-compile exec:exec@load-benchmark [-Dbench.args="20 512m on 1,2,4,8,16,32"]</pre>
 *
 * Arguments: seconds per level (20), the gateway's heap (512m), the validation fast path ({@code on},
 * {@code off}, or {@code both}: the levels once with it off and once on, each with a gateway process of
 * its own, then both side by side, without the mixed run), the levels (1,2,4,8,16,32). The machine is
 * shared: compare figures within one run.
 */
public final class LoadBenchmark {

    private static final int[] LEVELS = {1, 2, 4, 8, 16, 32};
    private static final String HEADER =
            "   C      n   plans/s   submit p50    p99   e2e p50    p99   CPU/plan   429   503  errors  peak heap  peak RSS";
    private static final Pattern REQUEST_ID = Pattern.compile("Task/([a-z0-9]+)/");
    private static final String OTHER_AGB = "23456789";

    private final Map<String, Long> submittedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong bsnCounter = new AtomicLong(100_000_000L + (long) (Math.random() * 400_000_000L));
    private final String template;
    private final String templateBsn;
    private final String templateIdentifier;
    private Process gateway;
    private int port;
    private HttpClient monitor;

    private LoadBenchmark() {
        Bundle bundle = Requests.fresh();
        this.templateBsn = Requests.bsn(bundle);
        this.templateIdentifier = bundle.getIdentifier().getValue();
        this.template = HostileRequests.json(bundle);
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String heap = args.length > 1 ? args[1] : "512m";
        String fastPath = args.length > 2 ? args[2] : "on";
        int[] levels = args.length > 3
                ? java.util.Arrays.stream(args[3].split(","))
                        .mapToInt(Integer::parseInt)
                        .toArray()
                : LEVELS;
        Duration perLevel = Duration.ofSeconds(seconds);
        if (!"both".equals(fastPath)) {
            new LoadBenchmark().run(perLevel, heap, !"off".equals(fastPath), levels, true);
            System.exit(0);
        }
        // the same run with the fast path off and on, one gateway process each, then side by side
        List<Result> off = new LoadBenchmark().run(perLevel, heap, false, levels, false);
        List<Result> on = new LoadBenchmark().run(perLevel, heap, true, levels, false);
        System.out.println();
        System.out.println(
                "   C   plans/s HAPI alone   plans/s fast path   ratio   CPU/plan HAPI   CPU/plan fast   ratio");
        for (int i = 0; i < off.size(); i++) {
            Result a = off.get(i);
            Result b = on.get(i);
            System.out.printf(
                    Locale.ROOT,
                    "%4d   %18.1f   %17.1f   %5.2f   %10.0f ms   %10.0f ms   %5.2f%n",
                    a.clients,
                    a.throughput,
                    b.throughput,
                    b.throughput / a.throughput,
                    a.cpuPerPlanMs,
                    b.cpuPerPlanMs,
                    a.cpuPerPlanMs / b.cpuPerPlanMs);
        }
        System.exit(0);
    }

    private List<Result> run(Duration perLevel, String heap, boolean fastPath, int[] levels, boolean mixedRun)
            throws Exception {
        Path work = Files.createTempDirectory("wmo-load");
        HttpsServer gemeente = fakeGemeente();
        Files.writeString(work.resolve("partners.yaml"), """
                gemeenten:
                  - gemeentecode: "0153"
                    naam: Gemeente Enschede
                    endpoint: https://localhost:%d/wmo
                    certificate: {subject: "%s", issuer: "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL"}
                    renderings:
                      - {type: ondersteuningsplan-json, path: /ondersteuningsplannen}
                      - {type: iwmo-wmo315, path: /iwmo/wmo315}
                zorgorganisaties:
                  - agb: "12345678"
                    naam: Thuiszorg Twente Voorbeeld
                    certificate: {subject: "%s", issuer: "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL"}
                  - agb: "%s"
                    naam: Andere Zorg
                    certificate: {subject: "%s", issuer: "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL"}
                operators:
                  - naam: benchmark
                    certificate: {subject: "%s", issuer: "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL"}
                """.formatted(
                        gemeente.getAddress().getPort(),
                        TestPkiFiles.GEMEENTE_SUBJECT,
                        TestPkiFiles.EHR_SUBJECT,
                        OTHER_AGB,
                        TestPkiFiles.OTHER_EHR_SUBJECT,
                        TestPkiFiles.OPERATOR_SUBJECT));
        startGateway(work, heap, fastPath);
        monitor = client(TestPkiFiles.OPERATOR);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.println();
        System.out.println("Wmo Gateway load benchmark, " + Instant.now() + ", " + cores + " cores, gateway -Xmx" + heap
                + ", " + perLevel.toSeconds() + " s per level, fast path " + (fastPath ? "on" : "off") + " (log: "
                + work.resolve("gateway.log") + ")");

        // warm-up (JIT, connections, the validator's caches): at least 60 plans, at most 5 rounds
        int warm = 0;
        for (int round = 0; round < 5 && warm < 60; round++) {
            warm += level(2, Duration.ofSeconds(15), false).accepted;
        }
        System.out.println("warmed up with " + warm + " plans");

        System.out.println();
        System.out.println(HEADER);
        List<Result> results = new ArrayList<>();
        for (int c : levels) {
            Result r = level(c, perLevel, false);
            results.add(r);
            System.out.println(r.row());
        }
        System.out.printf("  gateway RSS high-water mark so far: %d MB%n", highWaterRssMb());
        if (!mixedRun) {
            gateway.destroy();
            gateway.waitFor(30, TimeUnit.SECONDS);
            gemeente.stop(0);
            return results;
        }

        // the highest sustainable rate: the best level at which nothing was refused
        Result best = results.stream()
                .filter(r -> r.partnerShare == 0 && r.busy == 0 && r.errors == 0)
                .max((a, b) -> Double.compare(a.throughput, b.throughput))
                .orElse(results.get(0));
        Duration mixedTime = perLevel.multipliedBy(3).dividedBy(2);
        System.out.println();
        System.out.println("Mixed run at C = " + best.clients + " (the best level at which nothing was refused), "
                + mixedTime.toSeconds() + " s each; the hostile client uses care organisation " + OTHER_AGB);
        Result clean = level(best.clients, mixedTime, false);
        Result mixed = level(best.clients, mixedTime, true);
        System.out.println(HEADER);
        System.out.println(clean.row() + "   clean");
        System.out.println(mixed.row() + "   with the hostile client");
        System.out.printf(
                "  valid traffic with the hostile client: %d error(s), %d answered 429/503 and accepted when sent again "
                        + "(clean: %d, %d); submit p99 %.0f ms vs %.0f ms clean (%.2f x)%n",
                mixed.errors,
                mixed.partnerShare + mixed.busy,
                clean.errors,
                clean.partnerShare + clean.busy,
                mixed.submitP99,
                clean.submitP99,
                mixed.submitP99 / clean.submitP99);
        System.out.println("  hostile requests answered: " + mixed.hostileAnswers);
        System.out.printf(
                "  gateway RSS high-water mark: %d MB; gateway alive: %s%n", highWaterRssMb(), gateway.isAlive());

        gateway.destroy();
        gateway.waitFor(30, TimeUnit.SECONDS);
        gemeente.stop(0);
        return results;
    }

    // ---------------------------------------------------------------- one level

    private record Result(
            int clients,
            double seconds,
            int accepted,
            double throughput,
            double submitP50,
            double submitP99,
            double e2eP50,
            double e2eP99,
            double cpuPerPlanMs,
            int partnerShare,
            int busy,
            int errors,
            double peakHeapMb,
            long peakRssMb,
            Map<String, Integer> hostileAnswers) {

        String row() {
            return String.format(
                    "%4d  %5d  %8.1f  %8.0f ms %6.0f  %6.0f ms %6.0f  %6.0f ms  %4d  %4d  %6d  %6.0f MB  %5d MB",
                    clients,
                    accepted,
                    throughput,
                    submitP50,
                    submitP99,
                    e2eP50,
                    e2eP99,
                    cpuPerPlanMs,
                    partnerShare,
                    busy,
                    errors,
                    peakHeapMb,
                    peakRssMb);
        }
    }

    private Result level(int clients, Duration duration, boolean withHostileClient) throws Exception {
        List<Double> submit = Collections.synchronizedList(new ArrayList<>());
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        AtomicLong partnerShare = new AtomicLong();
        AtomicLong busy = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Map<String, Integer> hostileAnswers = new TreeMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(clients + 2);
        long cpuBefore = gatewayCpuNanos();
        long[] peakRss = {rssMb()};
        double[] peakHeap = {0};
        long start = System.nanoTime();
        long end = start + duration.toNanos();

        for (int i = 0; i < clients; i++) {
            var unusedClient = pool.submit(() -> {
                HttpClient http = client(TestPkiFiles.EHR);
                while (running.get() && System.nanoTime() < end) {
                    String body = nextPlan();
                    while (running.get()) {
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> response =
                                    post(http, body, HostileRequests.JSON, Optional.empty(), false);
                            long t1 = System.nanoTime();
                            Matcher m = REQUEST_ID.matcher(response.body());
                            if (response.statusCode() == 200 && m.find()) {
                                submittedAt.put(m.group(1), t0);
                                if (t1 < end) {
                                    submit.add((t1 - t0) / 1e6);
                                    accepted.add(m.group(1));
                                }
                                break;
                            }
                            if (response.statusCode() == 429 || response.statusCode() == 503) {
                                (response.statusCode() == 429 ? partnerShare : busy).incrementAndGet();
                                long wait = response.headers()
                                        .firstValue("Retry-After")
                                        .map(Long::parseLong)
                                        .orElse(1L);
                                Thread.sleep(TimeUnit.SECONDS.toMillis(wait));
                                continue;
                            }
                            errors.incrementAndGet();
                            System.out.println("    unexpected HTTP " + response.statusCode() + ": "
                                    + response.body()
                                            .substring(
                                                    0,
                                                    Math.min(
                                                            300, response.body().length())));
                            break;
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            break;
                        }
                    }
                }
                return null;
            });
        }
        if (withHostileClient) {
            var unusedClient = pool.submit(() -> {
                HttpClient http = client(TestPkiFiles.OTHER_EHR);
                List<HostileRequest> hostile = HostileRequests.all(LoadBenchmark::otherOrganisationsPlan);
                Map<HostileRequest, byte[]> bodies = new java.util.HashMap<>();
                while (running.get() && System.nanoTime() < end) {
                    for (HostileRequest h : hostile) {
                        if (!running.get() || System.nanoTime() >= end) {
                            break;
                        }
                        byte[] body = bodies.computeIfAbsent(h, x -> x.body().get());
                        String outcome;
                        try {
                            outcome = Integer.toString(
                                    post(http, body, h.contentType(), h.contentEncoding(), h.streamed())
                                            .statusCode());
                        } catch (IOException e) {
                            outcome = e.getClass().getSimpleName();
                        }
                        synchronized (hostileAnswers) {
                            hostileAnswers.merge(outcome, 1, Integer::sum);
                        }
                    }
                }
                return null;
            });
        }
        var unusedHostile = pool.submit(() -> {
            while (running.get()) {
                peakRss[0] = Math.max(peakRss[0], rssMb());
                peakHeap[0] = Math.max(peakHeap[0], heapUsedMb());
                Thread.sleep(250);
            }
            return null;
        });

        Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
        double seconds = (System.nanoTime() - start) / 1e9;
        running.set(false);
        pool.shutdown();
        pool.awaitTermination(120, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && accepted.stream().anyMatch(id -> !deliveredAt.containsKey(id))) {
            Thread.sleep(100);
        }
        long cpu = gatewayCpuNanos() - cpuBefore;
        List<Double> e2e = new ArrayList<>();
        int undelivered = 0;
        for (String id : accepted) {
            Long delivered = deliveredAt.get(id);
            if (delivered == null) {
                undelivered++;
            } else {
                e2e.add((delivered - submittedAt.get(id)) / 1e6);
            }
        }
        if (undelivered > 0) {
            System.out.println("    " + undelivered + " accepted plan(s) not delivered within 120 s");
        }
        return new Result(
                clients,
                seconds,
                accepted.size(),
                accepted.size() / seconds,
                percentile(submit, 0.5),
                percentile(submit, 0.99),
                percentile(e2e, 0.5),
                percentile(e2e, 0.99),
                accepted.isEmpty() ? 0 : cpu / 1e6 / accepted.size(),
                (int) partnerShare.get(),
                (int) busy.get(),
                (int) errors.get() + undelivered,
                peakHeap[0],
                peakRss[0],
                hostileAnswers);
    }

    /** A fresh plan: the template with its own Bundle.identifier and a BSN of its own that passes the 11-proef. */
    private String nextPlan() {
        String bsn;
        do {
            bsn = Long.toString(bsnCounter.incrementAndGet());
        } while (!TestBundles.elfproef(bsn));
        return template.replace(templateBsn, bsn).replace(templateIdentifier, "load-" + bsn);
    }

    private static Bundle otherOrganisationsPlan() {
        Bundle bundle = Requests.fresh();
        TestBundles.findAll(bundle, Organization.class).stream()
                .flatMap(o -> o.getIdentifier().stream())
                .filter(i -> TestBundles.AGB_SYSTEM.equals(i.getSystem()))
                .forEach(i -> i.setValue(OTHER_AGB));
        return bundle;
    }

    private HttpResponse<String> post(
            HttpClient http, byte[] body, String contentType, Optional<String> encoding, boolean streamed)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/fhir"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .header("Accept", HostileRequests.JSON);
        encoding.ifPresent(e -> request.header("Content-Encoding", e));
        request.POST(
                streamed
                        ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(
            HttpClient http, String body, String contentType, Optional<String> encoding, boolean streamed)
            throws IOException, InterruptedException {
        return post(http, body.getBytes(StandardCharsets.UTF_8), contentType, encoding, streamed);
    }

    // ---------------------------------------------------------------- the gateway process

    private void startGateway(Path work, String heap, boolean fastPath) throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(
                java,
                "-Xms" + heap,
                "-Xmx" + heap,
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                WmoGatewayApplication.class.getName(),
                "--server.port=" + port,
                "--wmo.partners-file=" + work.resolve("partners.yaml"),
                "--wmo.tls.keystore=" + TestPkiFiles.GATEWAY,
                "--wmo.tls.keystore-password=" + TestPkiFiles.PASSWORD,
                "--wmo.tls.truststore=" + TestPkiFiles.TRUSTSTORE,
                "--wmo.tls.truststore-password=" + TestPkiFiles.PASSWORD,
                "--wmo.trust.crl-sources=" + TestPkiFiles.CRL,
                "--wmo.demo.simulated-gemeente.enabled=false",
                "--wmo.validation.fast-path=" + fastPath,
                "--spring.datasource.url=jdbc:h2:file:" + work.resolve("db"),
                "--spring.datasource.username=" + nl.wmogateway.support.engines.GatewayProcess.H2_USER,
                "--spring.datasource.password=" + nl.wmogateway.support.engines.GatewayProcess.H2_PASSWORD,
                "--wmo.storage.keys=" + nl.wmogateway.support.engines.GatewayProcess.STORAGE_KEYS,
                "--spring.artemis.embedded.data-directory=" + work.resolve("artemis"),
                "--logging.level.root=WARN");
        long t0 = System.nanoTime();
        gateway = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("gateway.log").toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::destroyForcibly));
        HttpClient probe = client(TestPkiFiles.OPERATOR);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException(
                        "the gateway stopped while starting; see " + work.resolve("gateway.log"));
            }
            try {
                HttpResponse<String> r = probe.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health/readiness"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway was not ready within 5 minutes");
            }
            Thread.sleep(500);
        }
        System.out.printf("gateway ready in %.1f s (pid %d)%n", (System.nanoTime() - t0) / 1e9, gateway.pid());
    }

    private long gatewayCpuNanos() {
        return gateway.toHandle()
                .info()
                .totalCpuDuration()
                .map(Duration::toNanos)
                .orElse(0L);
    }

    private long rssMb() {
        return procStatus("VmRSS:");
    }

    private long highWaterRssMb() {
        return procStatus("VmHWM:");
    }

    /** A line of /proc/&lt;pid&gt;/status in MB (Linux); 0 elsewhere. */
    private long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + gateway.pid() + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private double heapUsedMb() {
        try {
            HttpResponse<String> r = monitor.send(
                    HttpRequest.newBuilder(URI.create(
                                    "https://localhost:" + port + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode value =
                    json.readTree(r.body()).path("measurements").path(0).path("value");
            return value.asDouble() / 1024 / 1024;
        } catch (IOException | InterruptedException e) {
            return 0;
        }
    }

    // ---------------------------------------------------------------- the fake gemeente

    private HttpsServer fakeGemeente() throws Exception {
        SSLContext tls = TlsContexts.sslContext(
                TestPkiFiles.GEMEENTE,
                TestPkiFiles.PASSWORD.toCharArray(),
                Optional.empty(),
                TestPkiFiles.TRUSTSTORE,
                TestPkiFiles.PASSWORD.toCharArray());
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                params.setSSLParameters(TlsContexts.serverParameters(tls));
            }
        });
        server.createContext("/wmo/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                // the WMO315 is posted after the JSON plan: when it arrives, both renderings are delivered
                if ("iwmo-wmo315".equals(exchange.getRequestHeaders().getFirst("X-Wmo-Rendering"))) {
                    deliveredAt.putIfAbsent(
                            exchange.getRequestHeaders().getFirst("X-Wmo-Request-Id"), System.nanoTime());
                }
                exchange.sendResponseHeaders(202, -1);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }

    // ---------------------------------------------------------------- helpers

    private static HttpClient client(Path keystore) {
        SSLContext tls = TlsContexts.sslContext(
                keystore,
                TestPkiFiles.PASSWORD.toCharArray(),
                Optional.empty(),
                TestPkiFiles.TRUSTSTORE,
                TestPkiFiles.PASSWORD.toCharArray());
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
