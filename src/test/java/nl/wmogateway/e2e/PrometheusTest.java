package nl.wmogateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.wmogateway.fixtures.TestBundles;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.support.GatewayTestSupport;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Prometheus scrape at {@code /actuator/prometheus}, over the gateway's real mutual TLS: the
 * operator reads the gateway's own metrics after real traffic, a partner is refused, nothing in it
 * names a client, and the Grafana dashboard (docs/monitoring) asks only for metrics it exports.
 * A gateway of its own: Spring Boot's tests run without metrics export (a simple registry) unless
 * asked, and the shared gateway is left as it is.
 */
@AutoConfigureObservability(tracing = false)
class PrometheusTest extends GatewayTestSupport {

    private static final Path DASHBOARD = Path.of("docs/monitoring/wmo-gateway.json");
    private static final Path OWN_WORK = workDirectory();

    @DynamicPropertySource
    static void ownGateway(DynamicPropertyRegistry registry) {
        gatewaySettings(registry, OWN_WORK, Map.of());
    }

    private static Path workDirectory() {
        try {
            return Files.createTempDirectory("wmo-prometheus");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Autowired
    private AuditLog audit;

    @Test
    void theOperatorScrapesTheGatewayMetricsAfterRealTraffic() throws Exception {
        Bundle plan = Requests.fresh();
        Bundle invalid = Requests.fresh();
        TestBundles.find(invalid, Patient.class).getIdentifierFirstRep().setValue("123456789");
        List<String> bsns = List.of(Requests.bsn(plan), TestBundles.BSN);

        String taskId = delivered(plan);
        assertThat(catchThrowableOfType(
                        () -> ehr().transaction().withBundle(invalid).execute(), UnprocessableEntityException.class))
                .as("a plan whose BSN fails the 11-proef is refused with 422")
                .isNotNull();
        // the gemeente answers: the WMO301/WMO319 go to the care organisation, the Task to its EHR
        grantFirstRejectSecond(taskId, ThreadLocalRandom.current().nextLong(100_000, 1_000_000));

        // the request counts are read at most every few seconds, so the gauges may need a moment
        Scrape scrape = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        this::scrape,
                        s -> s.value("wmo_aanvragen", Map.of("gemeentecode", "0153", "status", "answered")) >= 1
                                && s.value(
                                                "wmo_delivery_attempts_total",
                                                Map.of("partner", "12345678", "kind", "iwmo", "outcome", "delivered"))
                                        >= 1);

        // every rendering of the plan was an attempt that the gemeente accepted
        assertThat(scrape.value(
                        "wmo_delivery_attempts_total",
                        Map.of("partner", "0153", "kind", "plan", "outcome", "delivered")))
                .isGreaterThanOrEqualTo(2);
        assertThat(scrape.value("wmo_delivery_duration_seconds_count", Map.of("partner", "0153", "kind", "plan")))
                .isGreaterThanOrEqualTo(2);
        assertThat(scrape.value(
                        "wmo_delivery_duration_seconds_bucket",
                        Map.of("partner", "0153", "kind", "plan", "le", "+Inf")))
                .isGreaterThanOrEqualTo(2);
        assertThat(scrape.series("wmo_delivery_duration_seconds_bucket", Map.of("partner", "0153", "kind", "plan")))
                .as("the delivery timer publishes its buckets")
                .hasSizeGreaterThan(5);
        // the queue depth of every configured partner, in both states
        for (String partner : List.of("0153", "0363", "12345678")) {
            for (String state : List.of("pending", "parked")) {
                assertThat(scrape.series("wmo_delivery_queue_depth", Map.of("partner", partner, "state", state)))
                        .as("queue depth of %s, %s", partner, state)
                        .hasSize(1);
            }
        }
        // the request counts per gemeente and status: every configured gemeente, every status
        assertThat(scrape.series("wmo_aanvragen", Map.of("gemeentecode", "0363")))
                .hasSize(8);
        assertThat(scrape.value("wmo_aanvragen", Map.of("gemeentecode", "0363", "status", "withdrawn")))
                .isGreaterThanOrEqualTo(0);
        // validation: the valid plan and the refused one
        assertThat(scrape.value("wmo_intake_validation_duration_seconds_count", Map.of("outcome", "valid")))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.value("wmo_intake_validation_duration_seconds_count", Map.of("outcome", "invalid")))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.series("wmo_intake_validation_duration_seconds_bucket", Map.of("outcome", "valid")))
                .hasSizeGreaterThan(5);
        // deadlines, certificates and the CRL of the test PKI's issuing CA
        assertThat(scrape.series("wmo_termijn_antwoord_overschreden", Map.of())).hasSize(1);
        assertThat(scrape.series("wmo_termijn_retour_overschreden", Map.of())).hasSize(1);
        assertThat(scrape.series("wmo_termijn_onderzoek_overschreden", Map.of()))
                .hasSize(1);
        assertThat(scrape.value("wmo_certificate_days_left_days", Map.of("role", "gateway")))
                .isPositive();
        assertThat(scrape.value("wmo_crl_days_left_days", Map.of("issuer", "Wmo Test Issuing CA")))
                .isPositive();
        assertThat(scrape.series("wmo_intake_throttled_total", Map.of())).hasSize(2);

        assertNoClientIn(scrape, bsns, taskId);
    }

    @Test
    void aPartnerCertificateIsRefusedTheScrapeAndTheRefusalIsAudited() throws Exception {
        for (Path partner : List.of(TestPkiFiles.EHR, TestPkiFiles.GEMEENTE)) {
            HttpResponse<String> answer = get(partner, "/actuator/prometheus");
            assertThat(answer.statusCode()).as("%s", partner.getFileName()).isEqualTo(403);
            assertThat(answer.body()).doesNotContain("wmo_");
        }
        assertThat(audit.recent(200)).anySatisfy(e -> {
            assertThat(e.actor()).isEqualTo(TestPkiFiles.GEMEENTE_SUBJECT);
            assertThat(e.action()).isEqualTo("ACTUATOR");
            assertThat(e.outcome()).isEqualTo("REFUSED");
            assertThat(e.detail().orElse("")).contains("GET /actuator/prometheus");
        });
        assertThat(get(TestPkiFiles.OPERATOR, "/actuator/prometheus").statusCode())
                .isEqualTo(200);
    }

    @Test
    void theDashboardAsksOnlyForMetricsTheGatewayExports() throws Exception {
        delivered(Requests.fresh());
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> expressions = new ArrayList<>();
        collect(dashboard, expressions);
        assertThat(expressions).as("the dashboard's queries").hasSizeGreaterThan(10);

        Set<String> used = new TreeSet<>();
        Set<String> wmo = new TreeSet<>();
        for (String expression : expressions) {
            used.addAll(PromQl.metricNames(expression));
            Matcher m = Pattern.compile("wmo_[a-z0-9_]+").matcher(expression);
            while (m.find()) {
                wmo.add(m.group());
            }
        }
        assertThat(used).as("metric names the parser found").containsAll(wmo);
        assertThat(wmo)
                .as("the panels the dashboard must have")
                .contains(
                        "wmo_aanvragen",
                        "wmo_delivery_attempts_total",
                        "wmo_delivery_duration_seconds_bucket",
                        "wmo_delivery_queue_depth",
                        "wmo_termijn_antwoord_overschreden",
                        "wmo_certificate_days_left_days",
                        "wmo_crl_days_left_days",
                        "wmo_intake_validation_duration_seconds_bucket",
                        "wmo_intake_throttled_total");

        Scrape scrape = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(this::scrape, s -> s.names().containsAll(used));
        assertThat(scrape.names()).containsAll(used);
        // every datasource of a panel or query is the template variable, so the dashboard imports anywhere
        List<String> datasources = new ArrayList<>();
        dashboard.findValues("datasource").forEach(d -> {
            if (d.has("uid") && !"-- Grafana --".equals(d.get("uid").asText())) {
                datasources.add(d.get("uid").asText());
            }
        });
        assertThat(datasources).isNotEmpty().containsOnly("${datasource}");
        assertThat(dashboard.at("/templating/list/0/type").asText()).isEqualTo("datasource");
        assertThat(dashboard.at("/templating/list/0/query").asText()).isEqualTo("prometheus");
    }

    /** The PromQL of every query: panel targets' {@code expr}, template variables' {@code query}. */
    private static void collect(JsonNode node, List<String> expressions) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getValue().isTextual()
                        && List.of("expr", "query", "definition").contains(field.getKey())
                        && !"prometheus".equals(field.getValue().asText())) {
                    expressions.add(field.getValue().asText());
                } else {
                    collect(field.getValue(), expressions);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, expressions));
        }
    }

    private static void assertNoClientIn(Scrape scrape, List<String> bsns, String taskId) {
        Matcher nine = Pattern.compile("(?<![0-9.])[0-9]{9}(?![0-9])").matcher(scrape.text());
        while (nine.find()) {
            assertThat(bsns).as("a BSN of the test data in the scrape").doesNotContain(nine.group());
        }
        for (String bsn : bsns) {
            assertThat(scrape.text()).doesNotContain(bsn);
        }
        assertThat(scrape.text()).as("a request id").doesNotContain(taskId);
        for (Sample s : scrape.samples()) {
            if (s.name().startsWith("wmo_")) {
                s.labels()
                        .values()
                        .forEach(value -> assertThat(value)
                                .as("label of %s", s.name())
                                .doesNotMatch(".*(?<![0-9])[0-9]{9}(?![0-9]).*"));
            }
        }
    }

    private Scrape scrape() throws Exception {
        HttpResponse<String> answer = get(TestPkiFiles.OPERATOR, "/actuator/prometheus");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return Scrape.parse(answer.body());
    }

    private HttpResponse<String> get(Path keystore, String path) throws Exception {
        return jdkClient(keystore)
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                                .header("Accept", "text/plain;version=0.0.4")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** One sample line of the text format: name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** A scrape in the Prometheus text format (0.0.4). */
    record Scrape(String text, List<Sample> samples) {

        private static final Pattern LINE =
                Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+\\S+)?$");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        static Scrape parse(String text) {
            List<Sample> samples = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher m = LINE.matcher(line);
                assertThat(m.matches()).as("a sample line: %s", line).isTrue();
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(2) != null) {
                    Matcher l = LABEL.matcher(m.group(2));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
            }
            return new Scrape(text, List.copyOf(samples));
        }

        Set<String> names() {
            Set<String> names = new TreeSet<>();
            samples.forEach(s -> names.add(s.name()));
            return names;
        }

        /** The samples of this metric that have at least these labels. */
        List<Sample> series(String name, Map<String, String> labels) {
            return samples.stream()
                    .filter(s -> s.name().equals(name))
                    .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                    .toList();
        }

        /** The sum of those samples; -1 when there is none. */
        double value(String name, Map<String, String> labels) {
            List<Sample> found = series(name, labels);
            return found.isEmpty()
                    ? -1
                    : found.stream().mapToDouble(Sample::value).sum();
        }
    }

    /**
     * The metric names a PromQL expression selects: what is left once strings, label matchers,
     * ranges, grouping clauses, variables and numbers are taken out, without functions, aggregations
     * and keywords. Enough for the dashboard's queries, not a PromQL parser.
     */
    static final class PromQl {

        private static final Set<String> KEYWORDS = Set.of(
                "by",
                "without",
                "on",
                "ignoring",
                "group_left",
                "group_right",
                "bool",
                "offset",
                "and",
                "or",
                "unless",
                "inf",
                "nan");

        private PromQl() {}

        static Set<String> metricNames(String expression) {
            String e = expression;
            Matcher labelValues = Pattern.compile("label_values\\(\\s*([^,)]*)").matcher(e);
            if (labelValues.lookingAt()) {
                e = labelValues.group(1); // label_values(metric, label): the label is no metric
            }
            e = e.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")
                    .replaceAll("\\{[^}]*\\}", " ")
                    .replaceAll("\\[[^\\]]*\\]", " ")
                    .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                    .replaceAll("\\$\\{?[a-zA-Z_][a-zA-Z0-9_]*\\}?", " ")
                    .replaceAll("(?<![a-zA-Z_:0-9])[0-9]+(?:\\.[0-9]+)?(?:e[+-]?[0-9]+)?", " ");
            Set<String> names = new TreeSet<>();
            Matcher id = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(e);
            while (id.find()) {
                String name = id.group().replaceAll("[\\s(]", "");
                if (id.group(1) == null && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    names.add(name);
                }
            }
            return names;
        }
    }
}
