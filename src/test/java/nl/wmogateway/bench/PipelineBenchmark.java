package nl.wmogateway.bench;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import nl.wmogateway.WmoGatewayApplication;
import nl.wmogateway.consent.ConsentGate;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.PlanBundle;
import nl.wmogateway.fhir.ProfileValidator;
import nl.wmogateway.iwmo.Wmo315Rendering;
import nl.wmogateway.plan.CrvbCompletenessCheck;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.plan.OndersteuningsplanJsonRendering;
import nl.wmogateway.plan.OndersteuningsplanMapper;
import nl.wmogateway.plan.RenderContext;
import nl.wmogateway.plan.Toestemming;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import nl.wmogateway.trust.TlsContexts;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Measures the gateway as a whole, on this machine, in one run, and prints the figures:
 * start-up to ready (validator warm), the end-to-end time of a plan at light load (one at a time:
 * HTTPS submit → stored → queued → rendered → delivered over mutual TLS), process CPU per plan, the
 * in-process cost of each pipeline stage (time and allocation), and the live heap.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=nl.wmogateway.bench.PipelineBenchmark [-Dexec.args=50]</pre>
 *
 * Figures are medians; the machine is shared, so compare ratios within one run.
 */
public final class PipelineBenchmark {

    private static final Pattern REQUEST_ID = Pattern.compile("Task/([a-z0-9]+)/");

    public static void main(String[] args) throws Exception {
        int plans = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path work = Files.createTempDirectory("wmo-bench");
        Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
        HttpsServer gemeente = fakeGemeente(deliveredAt);
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
                """.formatted(
                        gemeente.getAddress().getPort(), TestPkiFiles.GEMEENTE_SUBJECT, TestPkiFiles.EHR_SUBJECT));

        long startNanos = System.nanoTime();
        ConfigurableApplicationContext app = SpringApplication.run(
                WmoGatewayApplication.class,
                "--server.port=0",
                "--wmo.partners-file=" + work.resolve("partners.yaml"),
                "--wmo.tls.keystore=" + TestPkiFiles.GATEWAY,
                "--wmo.tls.keystore-password=" + TestPkiFiles.PASSWORD,
                "--wmo.tls.truststore=" + TestPkiFiles.TRUSTSTORE,
                "--wmo.tls.truststore-password=" + TestPkiFiles.PASSWORD,
                "--wmo.trust.crl-sources=" + TestPkiFiles.CRL,
                "--wmo.demo.simulated-gemeente.enabled=false",
                "--spring.datasource.url=jdbc:h2:file:" + work.resolve("db"),
                "--spring.datasource.username=" + nl.wmogateway.support.engines.GatewayProcess.H2_USER,
                "--spring.datasource.password=" + nl.wmogateway.support.engines.GatewayProcess.H2_PASSWORD,
                "--wmo.storage.keys=" + nl.wmogateway.support.engines.GatewayProcess.STORAGE_KEYS,
                "--spring.artemis.embedded.data-directory=" + work.resolve("artemis"),
                "--logging.level.root=WARN");
        double startupSeconds = (System.nanoTime() - startNanos) / 1e9;
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));

        SSLContext ehrTls = TlsContexts.sslContext(
                TestPkiFiles.EHR,
                TestPkiFiles.PASSWORD.toCharArray(),
                java.util.Optional.empty(),
                TestPkiFiles.TRUSTSTORE,
                TestPkiFiles.PASSWORD.toCharArray());
        HttpClient ehr = HttpClient.newBuilder().sslContext(ehrTls).build();
        FhirContext fhir = FhirContext.forR4();

        // warm the whole path (JIT, connections) before measuring
        for (int i = 0; i < 30; i++) {
            submitAndAwait(ehr, fhir, port, deliveredAt);
        }

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> endToEnd = new ArrayList<>();
        List<Double> submit = new ArrayList<>();
        long cpuBefore = os.getProcessCpuTime();
        long gatewayCpuBefore = gatewayThreadsCpu();
        long wallBefore = System.nanoTime();
        for (int i = 0; i < plans; i++) {
            double[] t = submitAndAwait(ehr, fhir, port, deliveredAt);
            submit.add(t[0]);
            endToEnd.add(t[1]);
        }
        double cpuPerPlanMs = (os.getProcessCpuTime() - cpuBefore) / 1e6 / plans;
        double gatewayCpuPerPlanMs = (gatewayThreadsCpu() - gatewayCpuBefore) / 1e6 / plans;
        double wallSeconds = (System.nanoTime() - wallBefore) / 1e9;

        Stages stages = stages(app.getBean(ProfileValidator.class), 200);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        Thread.sleep(500);
        System.gc();
        double liveHeapMb = memory.getHeapMemoryUsage().getUsed() / 1024.0 / 1024.0;

        System.out.println();
        System.out.println("Wmo Gateway pipeline benchmark (" + plans + " plans, one at a time, "
                + Runtime.getRuntime().availableProcessors() + " cores, " + Instant.now() + ")");
        System.out.printf(
                "  start-up to ready (context, broker, database, validator warm-up): %.1f s%n", startupSeconds);
        System.out.printf("  submit (HTTPS POST → 201, checks + store + enqueue), median: %.1f ms%n", median(submit));
        System.out.printf(
                "  end to end (POST → both renderings delivered over mTLS), median: %.1f ms (p90 %.1f ms)%n",
                median(endToEnd), percentile(endToEnd, 0.9));
        System.out.printf("  throughput one at a time: %.1f plans/s%n", plans / wallSeconds);
        System.out.printf(
                "  CPU per plan on the gateway's request, queue and broker threads: %.1f ms%n", gatewayCpuPerPlanMs);
        System.out.printf(
                "  process CPU per plan (also this client, the fake gemeente, GC and JIT): %.1f ms%n", cpuPerPlanMs);
        System.out.println(
                "  in-process stages (median of " + stages.runs + " runs, allocation on the calling thread):");
        System.out.printf(
                "    profile validation (HAPI):                  %7.2f ms  %7.1f MB%n",
                stages.validateMs, stages.validateMb);
        System.out.printf(
                "    read plan + CRvB + consent + map:            %7.2f ms  %7.2f MB%n",
                stages.checksMs, stages.checksMb);
        System.out.printf(
                "    render JSON + WMO315:                        %7.2f ms  %7.2f MB%n",
                stages.renderMs, stages.renderMb);
        System.out.printf(
                "    rest of the pipeline vs validation: %.1f%% of the time, %.1f%% of the allocation%n",
                100 * (stages.checksMs + stages.renderMs) / stages.validateMs,
                100 * (stages.checksMb + stages.renderMb) / stages.validateMb);
        System.out.printf(
                "  live heap after GC: %.0f MB (max heap %d MB)%n",
                liveHeapMb, Runtime.getRuntime().maxMemory() / 1024 / 1024);

        app.close();
        gemeente.stop(0);
        System.exit(0);
    }

    private static double[] submitAndAwait(HttpClient ehr, FhirContext fhir, int port, Map<String, Long> deliveredAt)
            throws Exception {
        String body = fhir.newJsonParser().encodeResourceToString(Requests.fresh());
        long t0 = System.nanoTime();
        HttpResponse<String> response = ehr.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/fhir"))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        long t1 = System.nanoTime();
        Matcher m = REQUEST_ID.matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("submission failed: HTTP " + response.statusCode() + " " + response.body());
        }
        String id = m.group(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (deliveredAt) {
            while (!deliveredAt.containsKey(id)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("request " + id + " not delivered within 30 s");
                }
                deliveredAt.wait(100);
            }
        }
        return new double[] {(t1 - t0) / 1e6, (deliveredAt.get(id) - t0) / 1e6};
    }

    /** CPU time of the threads that do the gateway's work: HTTPS request threads, the queue consumers, the broker. */
    private static long gatewayThreadsCpu() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            if (name.startsWith("https-jsse") || name.contains("JmsConsumer") || name.contains("ActiveMQ")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    record Stages(
            int runs,
            double validateMs,
            double validateMb,
            double checksMs,
            double checksMb,
            double renderMs,
            double renderMb) {}

    private static Stages stages(ProfileValidator validator, int runs) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().getId();
        Clock clock = Clock.systemDefaultZone();
        List<Double> vMs = new ArrayList<>(),
                vMb = new ArrayList<>(),
                cMs = new ArrayList<>(),
                cMb = new ArrayList<>(),
                rMs = new ArrayList<>(),
                rMb = new ArrayList<>();
        OndersteuningsplanMapper mapper = new OndersteuningsplanMapper();
        CrvbCompletenessCheck crvb = new CrvbCompletenessCheck();
        OndersteuningsplanJsonRendering json = new OndersteuningsplanJsonRendering();
        Wmo315Rendering wmo315 = new Wmo315Rendering();
        for (int i = 0; i < runs; i++) {
            Bundle bundle = Requests.fresh();
            long a0 = threads.getThreadAllocatedBytes(me), t0 = System.nanoTime();
            List<Finding> findings = validator.validate(bundle);
            long a1 = threads.getThreadAllocatedBytes(me), t1 = System.nanoTime();
            PlanBundle plan = PlanBundle.of(bundle).plan().orElseThrow();
            crvb.check(plan, Finding.Severity.ERROR);
            Toestemming toestemming = ConsentGate.withDefaultRules(clock)
                    .decide(plan, "0153")
                    .toestemming()
                    .orElseThrow();
            Ondersteuningsplan op = mapper.map(plan, "benchmark" + i, Instant.now(), "Gemeente Enschede", toestemming);
            long a2 = threads.getThreadAllocatedBytes(me), t2 = System.nanoTime();
            RenderContext ctx = new RenderContext("bench" + i, java.time.LocalDate.now(), "06");
            json.render(op, ctx);
            wmo315.render(op, ctx);
            long a3 = threads.getThreadAllocatedBytes(me), t3 = System.nanoTime();
            if (findings.stream().anyMatch(Finding::isError)) {
                throw new IllegalStateException("benchmark plan does not validate: " + findings);
            }
            vMs.add((t1 - t0) / 1e6);
            vMb.add((a1 - a0) / 1e6);
            cMs.add((t2 - t1) / 1e6);
            cMb.add((a2 - a1) / 1e6);
            rMs.add((t3 - t2) / 1e6);
            rMb.add((a3 - a2) / 1e6);
        }
        return new Stages(runs, median(vMs), median(vMb), median(cMs), median(cMb), median(rMs), median(rMb));
    }

    private static HttpsServer fakeGemeente(Map<String, Long> deliveredAt) throws Exception {
        SSLContext tls = TlsContexts.sslContext(
                TestPkiFiles.GEMEENTE,
                TestPkiFiles.PASSWORD.toCharArray(),
                java.util.Optional.empty(),
                TestPkiFiles.TRUSTSTORE,
                TestPkiFiles.PASSWORD.toCharArray());
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                params.setSSLParameters(TlsContexts.serverParameters(tls));
            }
        });
        server.createContext("/wmo/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                String id = exchange.getRequestHeaders().getFirst("X-Wmo-Request-Id");
                if ("iwmo-wmo315".equals(exchange.getRequestHeaders().getFirst("X-Wmo-Rendering"))) {
                    synchronized (deliveredAt) {
                        deliveredAt.putIfAbsent(id, System.nanoTime());
                        deliveredAt.notifyAll();
                    }
                }
                exchange.sendResponseHeaders(202, -1);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        return server;
    }

    private static double median(List<Double> values) {
        return percentile(values, 0.5);
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }
}
