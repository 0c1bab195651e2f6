package nl.wmogateway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import nl.wmogateway.iwmo.IwmoRuleSet;
import nl.wmogateway.iwmo.OfficialRuleSets;
import nl.wmogateway.iwmo.Wmo315Rendering;
import nl.wmogateway.plan.TestPlans;

/**
 * What the official iWmo rule set costs: the one-off compilation of the stylesheet, and per
 * message the check of the example WMO315 and of a WMO301 fixture, as medians over {@code n}
 * checks after a warm-up, beside the rendering of the WMO315 itself. A harness that prints figures,
 * not a test: {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=nl.wmogateway.bench.RuleSetBenchmark -Dexec.args=200}.
 */
public final class RuleSetBenchmark {

    private RuleSetBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path stylesheet = OfficialRuleSets.available()
                .orElseThrow(() -> new IllegalStateException("the official iWmo rule set is not at "
                        + OfficialRuleSets.stylesheet().toAbsolutePath()));
        long start = System.nanoTime();
        IwmoRuleSet rules = IwmoRuleSet.of(stylesheet);
        rules.await();
        double compileMs = (System.nanoTime() - start) / 1e6;

        byte[] wmo315 = new Wmo315Rendering().render(TestPlans.example(), TestPlans.context());
        byte[] wmo301 = Files.readAllBytes(Path.of("src/test/resources/beschikking/wmo301-toegekend.xml"));
        for (int i = 0; i < 50; i++) {
            rules.check(wmo315);
            rules.check(wmo301);
        }
        List<Double> check315 = new ArrayList<>();
        List<Double> check301 = new ArrayList<>();
        List<Double> render315 = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            new Wmo315Rendering().render(TestPlans.example(), TestPlans.context());
            long t1 = System.nanoTime();
            rules.check(wmo315);
            long t2 = System.nanoTime();
            rules.check(wmo301);
            long t3 = System.nanoTime();
            render315.add((t1 - t0) / 1e6);
            check315.add((t2 - t1) / 1e6);
            check301.add((t3 - t2) / 1e6);
        }
        System.out.printf("official iWmo rule set, %d checks each, one run%n", n);
        System.out.printf("  compile the stylesheet once:       %8.0f ms%n", compileMs);
        System.out.printf("  render the example WMO315, median: %8.2f ms%n", median(render315));
        System.out.printf(
                "  check that WMO315, median:         %8.2f ms  (%.1f x the rendering)%n",
                median(check315), median(check315) / median(render315));
        System.out.printf("  check a WMO301 (2 products), median:%7.2f ms%n", median(check301));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
