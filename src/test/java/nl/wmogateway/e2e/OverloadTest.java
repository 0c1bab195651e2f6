package nl.wmogateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import nl.wmogateway.fixtures.HostileRequests;
import nl.wmogateway.fixtures.TestBundles;
import nl.wmogateway.intake.IntakeLimits;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * More concurrent plans than the gateway validates at once: the excess is refused quickly with
 * Retry-After, another care organisation still gets its turn, every accepted plan is delivered
 * exactly once, and the gateway is healthy afterwards.
 */
class OverloadTest extends GatewayTestBase {

    @Autowired
    private IntakeLimits configured;

    private record Answer(
            Bundle bundle, int status, String body, java.util.Optional<String> retryAfter, Duration took) {}

    @Test
    void aFloodIsRefusedWithRetryAfterWhileEveryAcceptedPlanIsDeliveredOnce() throws Exception {
        IntakeLimits limits = configured.effective();
        int flood = 3 * limits.maxInFlightPerPartner() + 6;
        List<Bundle> bundles = new ArrayList<>();
        for (int i = 0; i < flood; i++) {
            bundles.add(Requests.fresh());
        }
        HttpClient ehr = jdkClient(TestPkiFiles.EHR);
        ExecutorService pool = Executors.newFixedThreadPool(flood + 1);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        for (Bundle bundle : bundles) {
            answers.add(pool.submit(() -> {
                start.await();
                return post(ehr, bundle);
            }));
        }
        Future<List<Answer>> other = pool.submit(() -> {
            start.await();
            return otherOrganisationUntilAccepted();
        });

        start.countDown();
        List<Answer> results = new ArrayList<>();
        for (Future<Answer> a : answers) {
            results.add(a.get());
        }
        List<Answer> otherAnswers = other.get();
        pool.shutdown();

        Map<Integer, List<Answer>> byStatus = results.stream().collect(Collectors.groupingBy(Answer::status));
        assertThat(byStatus.keySet()).as("statuses").isSubsetOf(200, 429, 503);
        List<Answer> refused = results.stream().filter(a -> a.status() != 200).toList();
        List<Answer> accepted = results.stream().filter(a -> a.status() == 200).toList();
        assertThat(refused).as("refused").isNotEmpty();
        assertThat(accepted).as("accepted").isNotEmpty();
        for (Answer a : refused) {
            assertThat(a.retryAfter()).as("Retry-After").hasValue(Long.toString(limits.retryAfterSeconds()));
            assertThat(a.took()).isLessThan(limits.validationWait().plusSeconds(5));
            OperationOutcome oo =
                    FhirContext.forR4Cached().newJsonParser().parseResource(OperationOutcome.class, a.body());
            assertThat(oo.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.THROTTLED);
            assertThat(store.requestByBundle(
                            TestBundles.AGB,
                            a.bundle().getIdentifier().getSystem(),
                            a.bundle().getIdentifier().getValue()))
                    .as("a refused plan is not stored")
                    .isEmpty();
        }
        assertThat(otherAnswers)
                .as("the other care organisation is never refused for the first one's share")
                .noneMatch(a -> a.status() == 429);
        Answer otherAccepted = otherAnswers.get(otherAnswers.size() - 1);
        assertThat(otherAccepted.status()).as(otherAccepted.body()).isEqualTo(200);

        List<String> tasks =
                new ArrayList<>(accepted.stream().map(a -> task(a.body())).toList());
        tasks.add(task(otherAccepted.body()));
        for (String task : tasks) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> store.request(task)
                            .map(r -> r.status() == nl.wmogateway.store.RequestStatus.DELIVERED)
                            .orElse(false));
        }
        // and nothing more comes: no second delivery of any of them
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> GEMEENTE.getAllServeEvents().size() == 2 * tasks.size());
        Map<String, Long> perRequestAndRendering = GEMEENTE.getAllServeEvents().stream()
                .collect(Collectors.groupingBy(
                        e -> e.getRequest().getHeader("X-Wmo-Request-Id") + " "
                                + e.getRequest().getUrl(),
                        Collectors.counting()));
        assertThat(perRequestAndRendering)
                .hasSize(2 * tasks.size())
                .allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1));
        assertThat(GEMEENTE.getAllServeEvents())
                .extracting((Function<ServeEvent, String>) e -> e.getRequest().getHeader("X-Wmo-Request-Id"))
                .allMatch(tasks::contains);

        HttpResponse<String> health = jdkClient(TestPkiFiles.OPERATOR)
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");
        awaitBusinessStatus(submit(Requests.fresh()), "delivered");
    }

    /** The second care organisation sends one plan, again after Retry-After when it is told the gateway is busy. */
    private List<Answer> otherOrganisationUntilAccepted() throws Exception {
        Bundle bundle = Requests.fresh();
        TestBundles.findAll(bundle, Organization.class).stream()
                .flatMap(o -> o.getIdentifier().stream())
                .filter(i -> TestBundles.AGB_SYSTEM.equals(i.getSystem()))
                .forEach(i -> i.setValue("23456789"));
        HttpClient client = jdkClient(TestPkiFiles.OTHER_EHR);
        List<Answer> answers = new ArrayList<>();
        for (int attempt = 0; attempt < 10; attempt++) {
            Answer answer = post(client, bundle);
            answers.add(answer);
            if (answer.status() != 503) {
                break;
            }
            Thread.sleep(Long.parseLong(answer.retryAfter().orElse("1")) * 1000);
        }
        return answers;
    }

    private Answer post(HttpClient client, Bundle bundle) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(fhirBase()))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", HostileRequests.JSON)
                        .header("Accept", HostileRequests.JSON)
                        .POST(HttpRequest.BodyPublishers.ofString(HostileRequests.json(bundle)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(
                bundle,
                response.statusCode(),
                response.body(),
                response.headers().firstValue("Retry-After"),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static String task(String transactionResponse) {
        return transactionResponse.replaceAll("(?s).*\"Task/([a-z0-9]+)/.*", "$1");
    }
}
