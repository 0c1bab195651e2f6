package nl.wmogateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import nl.wmogateway.fixtures.TestBundles;
import nl.wmogateway.ops.Housekeeping;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.store.DataRetention;
import nl.wmogateway.store.Sealer;
import nl.wmogateway.support.GatewayTestBase;
import nl.wmogateway.support.Requests;
import nl.wmogateway.support.TestPkiFiles;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a privacy officer checks: stored client data is encrypted, erasure leaves only the
 * pseudonymous audit, retention purges what is past it, and the audit trail shows reads and any
 * record someone changed in the database.
 */
class PrivacyTest extends GatewayTestBase {

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private Sealer sealer;

    @Autowired
    private AuditLog audit;

    @Autowired
    private DataRetention retention;

    @Autowired
    private Housekeeping housekeeping;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aCopyOfTheDatabaseFileHoldsNoBsnOrNameInClear() throws Exception {
        Bundle bundle = Requests.fresh();
        String bsn = Requests.bsn(bundle);
        String family = "Quistenburg" + UUID.randomUUID().toString().substring(0, 6);
        TestBundles.find(bundle, Patient.class).getNameFirstRep().setFamily(family);
        String taskId = delivered(bundle);
        grantFirstRejectSecond(taskId, 8101);
        awaitBusinessStatus(taskId, "answered");

        jdbc.execute("checkpoint sync");
        List<Path> files;
        try (Stream<Path> all = Files.walk(WORK)) {
            files = all.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".mv.db") || f.toString().contains("artemis"))
                    .toList();
        }
        assertThat(files).anySatisfy(f -> assertThat(f.toString()).endsWith(".mv.db"));
        boolean sawRequestId = false;
        for (Path f : files) {
            byte[] copy = Files.readAllBytes(f);
            assertThat(indexOf(copy, bsn.getBytes(StandardCharsets.US_ASCII)))
                    .as("the BSN in %s", f)
                    .isEqualTo(-1);
            assertThat(indexOf(copy, family.getBytes(StandardCharsets.UTF_8)))
                    .as("the client's name in %s", f)
                    .isEqualTo(-1);
            sawRequestId |= indexOf(copy, taskId.getBytes(StandardCharsets.US_ASCII)) >= 0;
        }
        assertThat(sawRequestId)
                .as("the scan does find what is stored in clear (the request id), so it would find a BSN")
                .isTrue();
        assertThat(plan(taskId).client().bsn())
                .as("the gateway itself reads it back")
                .isEqualTo(bsn);
    }

    @Test
    void erasingAClientLeavesNoTraceButThePseudonymousAudit() throws Exception {
        Bundle bundle = Requests.fresh();
        String bsn = Requests.bsn(bundle);
        String taskId = delivered(bundle);
        grantFirstRejectSecond(taskId, 8102);
        awaitBusinessStatus(taskId, "answered");
        // a second submission for the same client that profile validation refuses: stored, but no request
        Bundle again = Requests.fresh();
        TestBundles.find(again, Patient.class).getIdentifierFirstRep().setValue(bsn);
        TestBundles.find(again, Task.class).setIntent(null);
        HttpResponse<String> answer = postRaw(
                TestPkiFiles.EHR,
                "application/fhir+json",
                FhirContext.forR4Cached().newJsonParser().encodeResourceToString(again));
        assertThat(answer.statusCode()).as(answer.body()).isBetween(400, 499);
        String ref = sealer.pseudonym(bsn);
        assertThat(traces(bsn, ref)).as("before erasure").isNotEmpty();

        HttpResponse<String> erased = send(
                "POST", "/admin/clients/erase", "{\"bsn\":\"" + bsn + "\",\"reason\":\"verzoek cliënt art. 17 AVG\"}");

        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
        JsonNode counts = json.readTree(erased.body());
        assertThat(counts.get("requests").asInt()).isEqualTo(1);
        assertThat(counts.get("inboundMessages").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(traces(bsn, ref))
                .as("every table scanned, sealed values opened: only the audit keeps the pseudonym")
                .allSatisfy(t -> assertThat(t).startsWith("AUDIT_EVENT.CLIENT_REF"));
        assertThat(audit.forClient(bsn)).anySatisfy(e -> assertThat(e.action()).isEqualTo("ERASE"));
        assertThat(audit.forClient(bsn)).anySatisfy(e -> assertThat(e.action()).isEqualTo("SUBMIT"));
        assertThat(catchNotFound(taskId)).isTrue();
    }

    @Test
    void aTaskReadAndAnOperatorViewAreAuditedAndAChangedRecordIsFoundByVerify() throws Exception {
        Bundle bundle = Requests.fresh();
        String bsn = Requests.bsn(bundle);
        String taskId = delivered(bundle);
        ehr().read().resource(Task.class).withId(taskId).execute();
        assertThat(send("GET", "/admin/requests/" + taskId, null).statusCode()).isEqualTo(200);

        HttpResponse<String> accessLog = send("POST", "/admin/clients/access-log", "{\"bsn\":\"" + bsn + "\"}");
        assertThat(accessLog.statusCode()).as(accessLog.body()).isEqualTo(200);
        JsonNode log = json.readTree(accessLog.body());
        assertThat(log.findValuesAsText("action")).contains("SUBMIT", "READ_TASK", "VIEW", "DELIVER");
        assertThat(log.findValuesAsText("actor")).contains("operator:test-integrator");
        assertThat(accessLog.body()).doesNotContain(bsn);

        JsonNode intact = json.readTree(send("GET", "/admin/audit/verify", null).body());
        assertThat(intact.get("intact").asBoolean()).as(intact.toString()).isTrue();
        assertThat(intact.get("checked").asLong()).isPositive();

        long seq = jdbc.queryForObject(
                "select seq from audit_event where request_id = ? and action = 'READ_TASK' order by seq limit 1",
                Long.class,
                taskId);
        String detail = jdbc.queryForObject("select detail from audit_event where seq = ?", String.class, seq);
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        jdbc.update("update audit_event set detail = ? where seq = ?", "nothing to see here", seq))
                .as("the database refuses to change an audit record")
                .hasStackTraceContaining("append-only");
        // someone with the rights to drop the guard changes the record anyway: the chain shows where
        jdbc.execute("drop trigger audit_append_only");
        jdbc.update("update audit_event set detail = ? where seq = ?", "nothing to see here", seq);
        try {
            JsonNode broken =
                    json.readTree(send("GET", "/admin/audit/verify", null).body());
            assertThat(broken.get("intact").asBoolean()).isFalse();
            assertThat(broken.at("/firstBreak/seq").asLong()).isEqualTo(seq);
            assertThat(broken.at("/firstBreak/problem").asText()).contains("changed");
        } finally {
            jdbc.update("update audit_event set detail = ? where seq = ?", detail, seq);
            jdbc.execute("create trigger audit_append_only before update, delete on audit_event for each row "
                    + "call 'nl.wmogateway.store.AuditAppendOnly'");
        }
        assertThat(json.readTree(send("GET", "/admin/audit/verify", null).body())
                        .get("intact")
                        .asBoolean())
                .isTrue();

        HttpResponse<String> head = send("GET", "/admin/audit/head", null);
        assertThat(head.headers().firstValue("X-Wmo-Signature")).isPresent();
        assertThat(json.readTree(head.body()).get("seq").asLong()).isGreaterThanOrEqualTo(seq);

        HttpResponse<String> export = send("GET", "/admin/audit/fhir?after=" + (seq - 1) + "&count=50", null);
        Bundle events = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, export.body());
        AuditEvent read = (AuditEvent) events.getEntryFirstRep().getResource();
        assertThat(read.getType().getCode()).isEqualTo("rest");
        assertThat(read.getSubtypeFirstRep().getCode()).isEqualTo("read");
        assertThat(read.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(read.getEntity())
                .anySatisfy(
                        e -> assertThat(e.getWhat().getIdentifier().getValue()).isEqualTo(sealer.pseudonym(bsn)));
        assertThat(export.body()).doesNotContain(bsn);
    }

    @Test
    void aPurgeEmptiesOldBodiesAndRemovesClosedRequestsAndIsSafeOnTwoInstances() throws Exception {
        GEMEENTE.resetAll();
        GEMEENTE.stubFor(post(urlEqualTo("/wmo/ondersteuningsplannen"))
                .willReturn(aResponse().withStatus(400)));
        String closed = submit(Requests.fresh());
        awaitBusinessStatus(closed, "rejected");
        GEMEENTE.resetAll();
        GEMEENTE.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
        String open = delivered(Requests.fresh());
        String closedInbound = store.request(closed).orElseThrow().inboundId();
        String openInbound = store.request(open).orElseThrow().inboundId();
        String hash =
                jdbc.queryForObject("select body_sha256 from inbound_message where id = ?", String.class, openInbound);

        Instant cutoff = Instant.now().plusSeconds(1);
        Thread.sleep(1100);
        // two instances at once: each removes what the other did not, neither fails
        CompletableFuture<Integer> one = CompletableFuture.supplyAsync(
                () -> retention.purgeInboundBodies(cutoff, 1000) + retention.purgeClosedRequests(cutoff, 1000));
        CompletableFuture<Integer> two = CompletableFuture.supplyAsync(
                () -> retention.purgeInboundBodies(cutoff, 1000) + retention.purgeClosedRequests(cutoff, 1000));
        assertThat(one.get() + two.get()).isPositive();

        assertThat(store.request(closed)).as("the closed request is gone").isEmpty();
        assertThat(store.inbound(closedInbound)).isEmpty();
        assertThat(store.outbound(closed)).isEmpty();
        assertThat(store.request(open)).as("the open request stays").isPresent();
        assertThat(store.inbound(openInbound).orElseThrow().body())
                .as("its raw body is emptied")
                .isEmpty();
        assertThat(jdbc.queryForObject(
                        "select body_sha256 from inbound_message where id = ?", String.class, openInbound))
                .as("what it was stays known by its hash")
                .isEqualTo(hash);
        assertThat(plan(open).requestId())
                .as("the plan itself stays for the chain")
                .isEqualTo(open);
        assertThat(audit.forRequest(closed)).as("the audit trail stays").isNotEmpty();
        assertThat(housekeeping.runOnce())
                .as("the scheduled run takes the lease and runs")
                .isPresent();
    }

    /** Every place (table.column) where the BSN or its pseudonym is still found, sealed values opened. */
    private List<String> traces(String bsn, String ref) {
        List<String> found = new ArrayList<>();
        Map<String, DataRetention.SealedColumn> sealed = new java.util.HashMap<>();
        for (DataRetention.SealedColumn c : DataRetention.SealedColumn.values()) {
            sealed.put((c.table() + "." + c.column()).toUpperCase(java.util.Locale.ROOT), c);
        }
        for (String table : jdbc.queryForList(
                "select table_name from information_schema.tables where table_schema = 'PUBLIC'", String.class)) {
            jdbc.query("select * from \"" + table + "\"", rs -> {
                var meta = rs.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String place = table.toUpperCase(java.util.Locale.ROOT) + "."
                            + meta.getColumnName(i).toUpperCase(java.util.Locale.ROOT);
                    Object value = rs.getObject(i);
                    if (value == null) {
                        continue;
                    }
                    String text =
                            value instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : value.toString();
                    DataRetention.SealedColumn column = sealed.get(place);
                    if (column != null) {
                        String context = column.table() + "." + column.column() + ":" + rs.getString("id");
                        text = value instanceof byte[] b
                                ? new String(sealer.open(b, context), StandardCharsets.UTF_8)
                                : sealer.openText(text, context);
                    }
                    if (text.contains(bsn) || text.contains(ref)) {
                        found.add(place + " = " + (text.length() > 80 ? text.substring(0, 80) + "..." : text));
                    }
                }
            });
        }
        return found;
    }

    private boolean catchNotFound(String taskId) {
        try {
            ehr().read().resource(Task.class).withId(taskId).execute();
            return false;
        } catch (ResourceNotFoundException e) {
            return true;
        }
    }

    private HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return jdkClient(TestPkiFiles.OPERATOR)
                .send(
                        request.method(
                                        method,
                                        body == null
                                                ? HttpRequest.BodyPublishers.noBody()
                                                : HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
