package nl.wmogateway.bench;

import ca.uhn.fhir.context.FhirContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import nl.wmogateway.fhir.Finding;
import nl.wmogateway.fhir.ProfileValidator;
import nl.wmogateway.support.Requests;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The profile validation stage alone, as the gateway runs it (one shared {@link ProfileValidator},
 * warmed up), on this machine, in one run: per plan the thread's CPU time and allocation, the
 * process's CPU (so garbage collection on other threads counts too), and the throughput of two
 * threads; each under several garbage collector and heap settings, every setting in a JVM of its
 * own and the settings interleaved, so a noisy neighbour hurts them alike. It also prints a hash of
 * the findings on the example plan per setting: the settings must not change a verdict. The settings
 * pair HAPI alone with the compiled fast path ({@code ProfileValidator#setFastPath}), and the
 * "fast" column counts the plans the fast path answered itself out of all it saw.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=nl.wmogateway.bench.ValidationBenchmark [-Dexec.args="60 2"]</pre>
 *
 * Arguments: plans per round (default 60), rounds per setting (default 2). Figures are medians;
 * compare the ratios, not the absolute numbers.
 */
public final class ValidationBenchmark {

    /** The settings compared; the first is the gateway's documented run command today. */
    static final Map<String, List<String>> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put(
                "HAPI alone, G1 768 MB", List.of("-Dbench.fastPath=false", "-XX:+UseG1GC", "-Xms768m", "-Xmx768m"));
        SETTINGS.put("fast path, G1 768 MB", List.of("-Dbench.fastPath=true", "-XX:+UseG1GC", "-Xms768m", "-Xmx768m"));
        SETTINGS.put(
                "HAPI alone, Parallel 1 GB",
                List.of("-Dbench.fastPath=false", "-XX:+UseParallelGC", "-Xms1g", "-Xmx1g"));
        SETTINGS.put(
                "fast path, Parallel 1 GB", List.of("-Dbench.fastPath=true", "-XX:+UseParallelGC", "-Xms1g", "-Xmx1g"));
    }

    /** Plans validated before measuring, so the JIT has compiled the validator's hot paths. */
    static final int WARM_UP = 150;

    private ValidationBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "--child".equals(args[0])) {
            child(Integer.parseInt(args[1]));
            return;
        }
        int plans = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        System.out.printf(
                Locale.ROOT,
                "validation stage: %d plans per round, %d rounds per setting, %d cores%n",
                plans,
                rounds,
                Runtime.getRuntime().availableProcessors());
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (var setting : SETTINGS.entrySet()) {
                String[] line = runChild(setting.getValue(), plans);
                double[] figures = new double[6];
                for (int i = 0; i < 6; i++) {
                    figures[i] = Double.parseDouble(line[i]);
                }
                results.computeIfAbsent(setting.getKey(), k -> new ArrayList<>())
                        .add(figures);
                verdicts.merge(setting.getKey(), line[6] + " fast " + line[7], (a, b) -> a.equals(b) ? a : a + "≠" + b);
            }
        }
        double[] base = medians(results.values().iterator().next());
        System.out.printf(
                Locale.ROOT,
                "%-30s %10s %10s %12s %12s %10s %12s  %s%n",
                "setting",
                "wall ms",
                "cpu ms",
                "process ms",
                "alloc MB",
                "GC ms",
                "plans/s x2",
                "findings");
        for (var e : results.entrySet()) {
            double[] m = medians(e.getValue());
            System.out.printf(
                    Locale.ROOT,
                    "%-30s %10.1f %10.1f %12.1f %12.1f %10.1f %12.2f  %s%n",
                    e.getKey(),
                    m[0],
                    m[1],
                    m[2],
                    m[3],
                    m[4],
                    m[5],
                    verdicts.get(e.getKey()));
        }
        System.out.println("ratios to the first setting (process CPU per plan; throughput with two threads):");
        for (var e : results.entrySet()) {
            double[] m = medians(e.getValue());
            System.out.printf(
                    Locale.ROOT,
                    "%-30s cpu %.2fx cheaper, throughput %.2fx%n",
                    e.getKey(),
                    base[2] / m[2],
                    m[5] / base[5]);
        }
    }

    /** The medians of each figure over the rounds. */
    private static double[] medians(List<double[]> rounds) {
        double[] m = new double[rounds.get(0).length];
        for (int i = 0; i < m.length; i++) {
            List<Double> values = new ArrayList<>();
            for (double[] r : rounds) {
                values.add(r[i]);
            }
            Collections.sort(values);
            m[i] = values.get(values.size() / 2);
        }
        return m;
    }

    private static String[] runChild(List<String> jvm, int plans) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.add("-cp");
        command.add(classpath());
        command.add(ValidationBenchmark.class.getName());
        command.add("--child");
        command.add(String.valueOf(plans));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        List<String> tail = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring(7);
                }
                tail.add(line);
                if (tail.size() > 20) {
                    tail.remove(0);
                }
            }
        }
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0 || result == null) {
            throw new IllegalStateException("benchmark child " + jvm + " failed:\n" + String.join("\n", tail));
        }
        return result.split(" ");
    }

    /**
     * One setting: builds and warms the validator, validates {@code plans} fresh plans on one thread
     * (per plan: wall, thread CPU, process CPU, allocation), then {@code plans} on two threads for
     * the throughput. Prints one RESULT line.
     */
    private static void child(int plans) throws Exception {
        org.slf4j.LoggerFactory.getLogger(ValidationBenchmark.class); // logging up before the figures
        FhirContext ctx = FhirContext.forR4Cached();
        ProfileValidator validator = new ProfileValidator(ctx, Path.of("profiles"));
        validator.warmUp();
        validator.setFastPath(Boolean.parseBoolean(System.getProperty("bench.fastPath", "true")));
        List<Bundle> bundles = new ArrayList<>();
        for (int i = 0; i < plans * 2 + WARM_UP; i++) {
            bundles.add(Requests.fresh());
        }
        for (int i = 0; i < WARM_UP; i++) {
            validator.validate(bundles.get(i));
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> alloc = new ArrayList<>();
        MessageDigest verdicts = MessageDigest.getInstance("SHA-256");
        Bundle example = ctx.newJsonParser()
                .parseResource(
                        Bundle.class,
                        java.nio.file.Files.readString(Path.of("profiles/examples/bundle-samen-indiceren.json")));
        for (Finding f : validator.validate(example)) {
            verdicts.update(f.toString().getBytes(StandardCharsets.UTF_8));
        }
        long gcBefore = gcMillis();
        long processBefore = os.getProcessCpuTime();
        for (int i = WARM_UP; i < WARM_UP + plans; i++) {
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            long a0 = threads.getCurrentThreadAllocatedBytes();
            validator.validate(bundles.get(i));
            alloc.add((threads.getCurrentThreadAllocatedBytes() - a0) / 1e6);
            cpu.add((threads.getCurrentThreadCpuTime() - c0) / 1e6);
            wall.add((System.nanoTime() - t0) / 1e6);
        }
        double processPerPlan = (os.getProcessCpuTime() - processBefore) / 1e6 / plans;
        double gcPerPlan = (double) (gcMillis() - gcBefore) / plans;

        ExecutorService pool = Executors.newFixedThreadPool(2);
        long start = System.nanoTime();
        List<Future<List<Finding>>> running = new ArrayList<>();
        for (int i = WARM_UP + plans; i < WARM_UP + 2 * plans; i++) {
            Bundle b = bundles.get(i);
            running.add(pool.submit(() -> validator.validate(b)));
        }
        for (Future<List<Finding>> f : running) {
            f.get();
        }
        double throughput = plans / ((System.nanoTime() - start) / 1e9);
        pool.shutdown();
        System.out.printf(
                Locale.ROOT,
                "RESULT %.3f %.3f %.3f %.3f %.3f %.3f %s %d/%d%n",
                median(wall),
                median(cpu),
                processPerPlan,
                median(alloc),
                gcPerPlan,
                throughput,
                HexFormat.of().formatHex(verdicts.digest()).substring(0, 12),
                validator.counts().answered(),
                validator.counts().answered() + validator.counts().deferred());
    }

    /** The class path this runs with, also under {@code exec:java} (where it is a class loader's, not the JVM's). */
    private static String classpath() {
        List<String> entries = new ArrayList<>();
        for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof java.net.URLClassLoader urls) {
                for (java.net.URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (java.net.URISyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        entries.add(System.getProperty("java.class.path"));
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
