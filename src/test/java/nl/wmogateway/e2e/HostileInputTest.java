package nl.wmogateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import nl.wmogateway.fixtures.HostileRequests;
import nl.wmogateway.fixtures.HostileRequests.HostileRequest;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.InboundMessage;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Each hostile request gets its documented 4xx with an OperationOutcome quickly, nothing of it
 * reaches the gemeente, and the gateway goes on accepting and delivering valid plans.
 */
class HostileInputTest extends GatewayTestBase {

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    @Autowired
    private AuditLog audit;

    static Stream<HostileRequest> hostileRequests() {
        return HostileRequests.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRequests")
    void isRefusedWithItsDocumentedAnswerAndAValidPlanIsDeliveredAfterIt(HostileRequest hostile) throws Exception {
        byte[] body = hostile.body().get();

        long start = System.nanoTime();
        HttpResponse<String> response = send(hostile, body);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(hostile.status());
        assertThat(took).isLessThan(ANSWER_WITHIN);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).contains("fhir+json"));
        OperationOutcome oo =
                FhirContext.forR4Cached().newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(oo.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(oo.getIssue())
                .anySatisfy(issue -> assertThat(issue.getDiagnostics()).contains(hostile.diagnostics()));

        String task = submit(Requests.fresh());
        awaitBusinessStatus(task, "delivered");
        List<ServeEvent> atGemeente = GEMEENTE.getAllServeEvents();
        assertThat(atGemeente)
                .isNotEmpty()
                .allSatisfy(e ->
                        assertThat(e.getRequest().getHeader("X-Wmo-Request-Id")).isEqualTo(task));
    }

    @Test
    void anOversizeBodyIsAnsweredEveryTime() throws Exception {
        for (HostileRequest oversize :
                HostileRequests.all().stream().filter(h -> h.status() == 413).toList()) {
            byte[] body = oversize.body().get();
            for (int i = 0; i < 3; i++) {
                assertThat(send(oversize, body).statusCode())
                        .as(oversize.name() + ", attempt " + (i + 1))
                        .isEqualTo(413);
            }
        }
    }

    @Test
    void theGzipBombIsAboutOneMebibyte() {
        assertThat(HostileRequests.gzipBomb().length).isBetween(1_000_000, 1_200_000);
    }

    @Test
    void anOversizeBodyIsRecordedWithSenderSizeAndHashButNotKept() throws Exception {
        HostileRequest streamed = HostileRequests.all().stream()
                .filter(h -> h.streamed())
                .findFirst()
                .orElseThrow();

        HttpResponse<String> response = send(streamed, streamed.body().get());

        assertThat(response.statusCode()).isEqualTo(413);
        InboundMessage recorded = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> store.recentInbound(5).stream()
                                .filter(m -> "HTTP 413".equals(m.outcome()))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
        assertThat(recorded.sender()).isEqualTo(TestPkiFiles.EHR_SUBJECT);
        assertThat(recorded.body()).isEmpty();
        assertThat(recorded.outcomeDetail())
                .hasValueSatisfying(d -> assertThat(d).contains("bytes").containsPattern("sha256 [0-9a-f]{64}"));
    }

    @Test
    void aCertificateOfNoPartnerIsRefusedBeforeItsBodyIsRead() throws Exception {
        refusedUnread("/fhir", TestPkiFiles.GATEWAY, HostileRequests.JSON, "not registered", "gateway.test");
    }

    @Test
    void aCareOrganisationSendingToTheGemeenteEndpointIsRefusedBeforeItsBodyIsRead() throws Exception {
        refusedUnread(
                "/gemeente/beschikkingen",
                TestPkiFiles.EHR,
                "application/json",
                "does not belong to a gemeente",
                "ehr.test-thuiszorg");
    }

    @Test
    void aGemeenteSendingToTheCareOrganisationEndpointIsRefusedBeforeItsBodyIsRead() throws Exception {
        refusedUnread(
                "/zorgorganisatie/retouren",
                TestPkiFiles.GEMEENTE,
                "application/xml",
                "does not belong to a care organisation",
                "gemeente-0153");
    }

    /**
     * The client asks to be told to continue (Expect: 100-continue): the answer comes without the
     * 30 MB body ever being sent, which shows it was decided before reading it.
     */
    private void refusedUnread(
            String path, java.nio.file.Path keystore, String contentType, String answerSays, String actorHas)
            throws Exception {
        byte[] huge = HostileRequests.all().stream()
                .filter(h -> h.name().equals("30 MB JSON"))
                .findFirst()
                .orElseThrow()
                .body()
                .get();
        HttpPost post = new HttpPost("https://localhost:" + port + path);
        post.setConfig(RequestConfig.custom().setExpectContinueEnabled(true).build());
        java.util.concurrent.atomic.AtomicBoolean sent = new java.util.concurrent.atomic.AtomicBoolean();
        post.setEntity(new ByteArrayEntity(huge, ContentType.create(contentType)) {
            @Override
            public void writeTo(java.io.OutputStream out) throws java.io.IOException {
                sent.set(true);
                super.writeTo(out);
            }
        });
        java.time.Instant before = java.time.Instant.now();
        try (CloseableHttpClient client =
                        HttpClients.custom().setSSLContext(tls(keystore)).build();
                CloseableHttpResponse response = client.execute(post)) {
            assertThat(response.getStatusLine().getStatusCode()).isEqualTo(403);
            assertThat(EntityUtils.toString(response.getEntity())).contains(answerSays);
        }
        assertThat(sent).as("the body was asked for").isFalse();
        assertThat(audit.recent(20)).anySatisfy(e -> {
            assertThat(e.at()).isAfterOrEqualTo(before.minusSeconds(1));
            assertThat(e.actor()).contains(actorHas);
            assertThat(e.outcome()).isEqualTo("FORBIDDEN");
            assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).contains("body not read"));
        });
        String channel = path.split("/")[1];
        assertThat(store.recentInbound(50)).noneSatisfy(m -> {
            assertThat(m.channel()).isEqualTo(channel);
            assertThat(m.sender()).contains(actorHas);
            assertThat(m.receivedAt()).isAfterOrEqualTo(before.minusSeconds(1));
        });
    }

    @Test
    void aGzipBodyWithinTheLimitsIsAcceptedAndStoredInflated() throws Exception {
        String json = HostileRequests.json(Requests.fresh());
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        HostileRequest gzip = new HostileRequest(
                "gzip", HostileRequests.JSON, java.util.Optional.of("gzip"), false, gz::toByteArray, 200, "");

        HttpResponse<String> response = send(gzip, gz.toByteArray());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String task = response.body().replaceAll("(?s).*\"Task/([a-z0-9]+)/.*", "$1");
        awaitBusinessStatus(task, "delivered");
        InboundMessage inbound =
                store.inbound(store.request(task).orElseThrow().inboundId()).orElseThrow();
        assertThat(new String(inbound.body(), StandardCharsets.UTF_8)).isEqualTo(json);
    }

    private HttpResponse<String> send(HostileRequest hostile, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fhirBase()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", hostile.contentType())
                .header("Accept", HostileRequests.JSON);
        hostile.contentEncoding().ifPresent(e -> request.header("Content-Encoding", e));
        request.POST(
                hostile.streamed()
                        ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        return jdkClient(TestPkiFiles.EHR).send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
