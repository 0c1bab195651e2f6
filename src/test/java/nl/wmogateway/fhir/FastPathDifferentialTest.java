package nl.wmogateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import nl.wmogateway.fhir.DifferentialCorpus.Case;
import nl.wmogateway.fhir.DifferentialCorpus.Category;
import nl.wmogateway.fhir.DifferentialCorpus.Expect;
import nl.wmogateway.support.Requests;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The differential corpus of the compiled fast path of {@link ProfileValidator}: several hundred Wmo
 * requests generated from the profiles in {@code profiles/} and the example plan, each validated by HAPI
 * alone ({@link ProfileValidator#validateWithHapi}, the judge), by the fast path ({@link
 * ProfileValidator#fastVerdict}) and as the gateway does ({@link ProfileValidator#validate}).
 *
 * <p>The fast path may only ever answer "clean, with exactly these warnings": whenever it answers, its
 * findings must be HAPI's findings exactly (same order, same messages, same locations) and HAPI must
 * find no error; on anything else it must defer. Deferring is always allowed, so a fast path that
 * always defers passes; what this corpus catches is a fast path that answers where it should not, or
 * answers with other warnings than HAPI's. {@code validate} must in every case return exactly what HAPI
 * returns.
 *
 * <p>The cases (see {@link DifferentialCorpus}) are generated, not listed: every required element of
 * every profile snapshot removed from every resource carrying that profile; breakers for every {@code
 * wmo-*} invariant of the differential JSON (a new invariant without breaker fails {@link
 * #everyWmoInvariantOfTheProfilesHasABreaker}); every Coding, code, Reference, slice, extension
 * position and primitive of the example changed in the ways EHRs get them wrong; extras an EHR sends
 * (ids, narrative, contained resources, meta.profile, fullUrls, request methods, Bundle types), the
 * intake's hostile bodies that parse as a Bundle; and benign variants that should stay valid, which is
 * where the fast path is expected to answer. A case that changes nothing, repeats another case or no
 * longer parses as JSON is not run (the summary counts them).
 *
 * <p>Cases run on two threads; the summary (System.out) gives the cases per category, how many the fast
 * path answered and deferred, how many HAPI rejected, and the cases where HAPI's verdict surprised the
 * corpus (an expected error HAPI does not report, or the reverse): those are not failures, but worth a
 * look when the profiles change.
 */
class FastPathDifferentialTest {

    private static final FhirContext CTX = FhirContext.forR4Cached();
    private static final Path PROFILES = Path.of("profiles");
    private static final Path EXAMPLE = PROFILES.resolve("examples/bundle-samen-indiceren.json");
    private static final int MINIMUM_CASES = 500;
    private static final int THREADS = 2;
    /** -Dwmo.differential.full=true: every repeated position, not one per profile and path. */
    private static final boolean FULL = Boolean.getBoolean("wmo.differential.full");

    private static ProfileValidator validator;
    private static DifferentialCorpus corpus;
    private static List<Case> cases;

    @BeforeAll
    static void loadTheProfilesAndGenerateTheCorpus() {
        validator = new ProfileValidator(CTX, PROFILES);
        validator.warmUp();
        long start = System.nanoTime();
        corpus = new DifferentialCorpus(validator, PROFILES, example(), FULL);
        cases = corpus.generate();
        System.out.printf(
                Locale.ROOT,
                "Differential corpus: %d cases generated in %d ms%n",
                cases.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    @TestFactory
    Stream<DynamicTest> theFastPathAnswersOnlyWhereHapiFindsNoErrorAndThenExactlyAsHapi() {
        long start = System.nanoTime();
        List<Outcome> outcomes = run(cases);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println(summary(outcomes, millis));

        Stream<DynamicTest> each = IntStream.range(0, cases.size())
                .mapToObj(i ->
                        dynamicTest(cases.get(i).displayName(), () -> assertAgreement(cases.get(i), outcomes.get(i))));
        Stream<DynamicTest> corpusChecks = Stream.of(
                dynamicTest(
                        "the corpus has at least " + MINIMUM_CASES + " cases",
                        () -> assertThat(cases).hasSizeGreaterThanOrEqualTo(MINIMUM_CASES)),
                dynamicTest(
                        "every category generated cases",
                        () -> assertThat(cases.stream().map(Case::category).distinct())
                                .containsExactlyInAnyOrder(Category.values())));
        return Stream.concat(each, corpusChecks);
    }

    @Test
    void everyWmoInvariantOfTheProfilesHasABreaker() {
        Set<String> keys = DifferentialCorpus.invariantKeys(PROFILES);
        Set<String> without = new TreeSet<>(keys);
        without.removeAll(corpus.breakers().keySet());

        assertThat(keys).as("wmo-* constraint keys in profiles/").isNotEmpty();
        assertThat(without)
                .as("wmo-* invariants without a breaker in DifferentialCorpus (add one for each new invariant)")
                .isEmpty();
    }

    /**
     * Which resources get a profile follows the References inside the Bundle; the gateway finds them
     * with the model's own walk, which must find exactly what HAPI's terser finds, on every case.
     */
    @Test
    void theReferenceWalkFindsWhatHapisTerserFinds() {
        FhirTerser terser = CTX.newTerser();
        int compared = 0;
        for (Case c : cases) {
            Bundle bundle;
            try {
                bundle = c.fresh().get();
            } catch (RuntimeException e) {
                continue; // HAPI's copy refuses a value: nothing to walk
            }
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.getResource() == null) {
                    continue;
                }
                List<Reference> expected =
                        terser.getAllPopulatedChildElementsOfType(entry.getResource(), Reference.class);
                List<Reference> actual = ProfileValidator.references(entry.getResource());
                assertThat(actual)
                        .as(c.displayName() + ": references of "
                                + entry.getResource().fhirType())
                        .usingElementComparator((a, b) -> a == b ? 0 : 1)
                        .containsExactlyElementsOf(expected);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(cases.size());
    }

    /** The fast path must answer on valid plans (a stub that always defers fails here, and only here). */
    @Test
    void theFastPathAnswersOnTheExampleAndOnFreshRequests() {
        assertThat(validator.fastVerdict(example()))
                .as("the fast path on the example")
                .isPresent();
        for (int i = 0; i < 3; i++) {
            assertThat(validator.fastVerdict(Requests.fresh()))
                    .as("the fast path on Requests.fresh()")
                    .isPresent();
        }
    }

    // ---------------------------------------------------------------- running

    /** What a call returned, or the exception it threw. */
    record Verdict(List<Finding> findings, String thrown) {

        static Verdict of(Supplier<List<Finding>> call) {
            try {
                return new Verdict(List.copyOf(call.get()), null);
            } catch (RuntimeException | StackOverflowError e) {
                return new Verdict(null, e.getClass().getName() + ": " + e.getMessage());
            }
        }

        boolean hasError() {
            return findings != null && findings.stream().anyMatch(Finding::isError);
        }

        /** The same findings, or both threw the same kind of exception. */
        boolean sameAs(Verdict other) {
            if (thrown != null || other.thrown != null) {
                return thrown != null
                        && other.thrown != null
                        && thrown.substring(0, thrown.indexOf(':'))
                                .equals(other.thrown.substring(0, other.thrown.indexOf(':')));
            }
            return findings.equals(other.findings);
        }

        @Override
        public String toString() {
            if (thrown != null) {
                return "threw " + thrown;
            }
            StringBuilder sb = new StringBuilder(findings.size() + " finding(s)");
            for (Finding f : findings) {
                sb.append("\n      ")
                        .append(f.severity())
                        .append(' ')
                        .append(f.code())
                        .append(" at ")
                        .append(f.expression())
                        .append(": ")
                        .append(f.message());
            }
            return sb.toString();
        }
    }

    /**
     * The three answers on one case, each on a Bundle of its own.
     *
     * @param fastChanged whether {@code fastVerdict} changed the Bundle it was given
     */
    record Outcome(Verdict hapi, Optional<List<Finding>> fast, String fastThrew, boolean fastChanged, Verdict fin) {}

    private static List<Outcome> run(List<Case> all) {
        List<Callable<Outcome>> tasks = new ArrayList<>();
        for (Case c : all) {
            tasks.add(() -> outcome(c));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : pool.invokeAll(tasks)) {
                outcomes.add(future.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome outcome(Case c) {
        Verdict hapi = Verdict.of(() -> validator.validateWithHapi(c.fresh().get()));
        Optional<List<Finding>> fast = Optional.empty();
        String fastThrew = null;
        boolean changed = false;
        Bundle bundle = null;
        try {
            bundle = c.fresh().get();
        } catch (RuntimeException e) {
            // the Bundle cannot be made again (HAPI's copy refuses a value): the other calls fail the same way
        }
        if (bundle != null) {
            try {
                String before = encoded(bundle);
                fast = validator.fastVerdict(bundle).map(List::copyOf);
                changed = !before.equals(encoded(bundle));
            } catch (RuntimeException | StackOverflowError e) {
                fastThrew = e.getClass().getName() + ": " + e.getMessage();
            }
        }
        Verdict fin = Verdict.of(() -> validator.validate(c.fresh().get()));
        return new Outcome(hapi, fast, fastThrew, changed, fin);
    }

    /** The Bundle as JSON, or what stops HAPI from writing it. */
    private static String encoded(Bundle bundle) {
        try {
            return CTX.newJsonParser().encodeResourceToString(bundle);
        } catch (RuntimeException e) {
            return "not encodable: " + e.getMessage();
        }
    }

    // ---------------------------------------------------------------- judging

    private static List<String> problems(Outcome o) {
        List<String> problems = new ArrayList<>();
        if (!o.fin().sameAs(o.hapi())) {
            problems.add("validate() differs from validateWithHapi()");
        }
        if (o.fastThrew() != null) {
            problems.add("fastVerdict() threw " + o.fastThrew() + " (it must defer instead)");
        }
        if (o.fastChanged()) {
            problems.add("fastVerdict() changed the Bundle it was given");
        }
        if (o.fast().isPresent()) {
            if (o.hapi().thrown() != null) {
                problems.add("the fast path answered where HAPI threw");
            } else {
                if (!o.fast().get().equals(o.hapi().findings())) {
                    problems.add("the fast path answered with other findings than HAPI's");
                }
                if (o.hapi().hasError()) {
                    problems.add("the fast path answered on a plan HAPI rejects");
                }
            }
        }
        return problems;
    }

    private static void assertAgreement(Case c, Outcome o) {
        List<String> problems = problems(o);
        if (!problems.isEmpty()) {
            fail(c.displayName() + ": " + String.join("; ", problems)
                    + "\n  HAPI (validateWithHapi): " + o.hapi()
                    + "\n  fast path (fastVerdict): "
                    + o.fast()
                            .map(f -> new Verdict(f, null).toString())
                            .orElse(o.fastThrew() == null ? "deferred" : "threw")
                    + "\n  final (validate):        " + o.fin());
        }
    }

    // ---------------------------------------------------------------- summary

    private static String summary(List<Outcome> outcomes, long millis) {
        Map<Category, int[]> counts = new EnumMap<>(Category.class);
        for (Category category : Category.values()) {
            counts.put(category, new int[4]);
        }
        List<String> expectedErrorButClean = new ArrayList<>();
        List<String> expectedCleanButError = new ArrayList<>();
        List<String> hapiThrew = new ArrayList<>();
        int mismatches = 0;
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Outcome o = outcomes.get(i);
            int[] n = counts.get(c.category());
            n[0]++;
            n[o.fast().isPresent() ? 1 : 2]++;
            if (o.hapi().hasError()) {
                n[3]++;
            }
            if (!problems(o).isEmpty()) {
                mismatches++;
            }
            if (o.hapi().thrown() != null) {
                hapiThrew.add(c.displayName() + ": " + o.hapi().thrown());
            } else if (c.expect() == Expect.ERROR && !o.hapi().hasError()) {
                expectedErrorButClean.add(
                        c.displayName() + " -> " + o.hapi().findings().size() + " warning(s)");
            } else if (c.expect() == Expect.CLEAN && o.hapi().hasError()) {
                Finding first = o.hapi().findings().stream()
                        .filter(Finding::isError)
                        .findFirst()
                        .orElseThrow();
                expectedCleanButError.add(c.displayName() + " -> " + first.expression() + ": " + first.message());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "%nFast path differential corpus: %d cases in %.1f s on %d threads%s; %d mismatch(es)%n",
                cases.size(),
                millis / 1000.0,
                THREADS,
                FULL ? " (full)" : "",
                mismatches));
        sb.append(String.format(
                Locale.ROOT,
                "%-30s %6s %9s %9s %12s %12s %9s%n",
                "category",
                "cases",
                "answered",
                "deferred",
                "HAPI errors",
                "unparseable",
                "dropped"));
        int[] total = new int[6];
        for (Category category : Category.values()) {
            int[] n = counts.get(category);
            int unparseable = corpus.unparseable().getOrDefault(category, 0);
            int dropped = corpus.repeated().getOrDefault(category, 0);
            sb.append(String.format(
                    Locale.ROOT,
                    "%-30s %6d %9d %9d %12d %12d %9d%n",
                    category.label,
                    n[0],
                    n[1],
                    n[2],
                    n[3],
                    unparseable,
                    dropped));
            for (int k = 0; k < 4; k++) {
                total[k] += n[k];
            }
            total[4] += unparseable;
            total[5] += dropped;
        }
        sb.append(String.format(
                Locale.ROOT,
                "%-30s %6d %9d %9d %12d %12d %9d%n",
                "total",
                total[0],
                total[1],
                total[2],
                total[3],
                total[4],
                total[5]));
        sb.append("(unparseable: the JSON no longer parsed, not run; dropped: changed nothing or repeated a case)\n");
        section(sb, "HAPI threw", hapiThrew);
        section(sb, "written to provoke an error, but HAPI reports none", expectedErrorButClean);
        section(sb, "written to stay valid, but HAPI reports an error", expectedCleanButError);
        section(sb, "invariant breakers whose findings do not name their key", silentBreakers(outcomes));
        return sb.toString();
    }

    private static List<String> silentBreakers(List<Outcome> outcomes) {
        List<String> silent = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Verdict hapi = outcomes.get(i).hapi();
            if (c.invariant() != null
                    && hapi.findings() != null
                    && hapi.findings().stream().noneMatch(f -> f.message().contains(c.invariant()))) {
                silent.add(c.displayName() + " -> "
                        + hapi.findings().stream()
                                .filter(Finding::isError)
                                .map(f -> f.message().length() > 100
                                        ? f.message().substring(0, 100) + "..."
                                        : f.message())
                                .findFirst()
                                .orElse("no error"));
            }
        }
        return silent;
    }

    private static void section(StringBuilder sb, String title, List<String> lines) {
        sb.append(String.format(Locale.ROOT, "%n%s: %d%n", title, lines.size()));
        for (String line : lines) {
            sb.append("  ").append(line).append('\n');
        }
    }

    // ---------------------------------------------------------------- the example

    private static Bundle example() {
        try {
            return CTX.newJsonParser().parseResource(Bundle.class, Files.readString(EXAMPLE, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
