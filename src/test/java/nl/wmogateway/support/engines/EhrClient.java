package nl.wmogateway.support.engines;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import nl.wmogateway.support.TestPkiFiles;
import nl.wmogateway.trust.TlsContexts;

/** The test EHR over mutual TLS (JDK HTTP client, the EHR's test certificate). */
public final class EhrClient {

    private static final Pattern TASK_ENTRY = Pattern.compile(
            "\"status\"\\s*:\\s*\"(\\d{3})[^\"]*\"\\s*,\\s*\"location\"\\s*:\\s*\"Task/([^/\"]+)/_history/1\"");
    private static final Pattern BUSINESS_STATUS = Pattern.compile(
            "\"businessStatus\"\\s*:\\s*\\{\\s*\"coding\"\\s*:\\s*\\[\\s*\\{[^}]*\"code\"\\s*:\\s*\"([a-z-]+)\"");

    /**
     * The gateway's answer to a submission: the HTTP status; on success the Task id and the Task
     * entry's own status (201 for a new request, 200 for a resubmission of a known Bundle); the body.
     */
    public record Answer(int status, Optional<String> taskId, Optional<Integer> taskStatus, String body) {

        public boolean accepted() {
            return status / 100 == 2 && taskId.isPresent();
        }
    }

    private final HttpClient http;

    public EhrClient() {
        SSLContext tls = TlsContexts.sslContext(
                TestPkiFiles.EHR,
                TestPkiFiles.PASSWORD.toCharArray(),
                Optional.empty(),
                TestPkiFiles.TRUSTSTORE,
                TestPkiFiles.PASSWORD.toCharArray());
        http = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** POST /fhir with the Bundle; an I/O error (connection refused, reset, timeout) is thrown as such. */
    public Answer submit(String gatewayBaseUrl, byte[] bundleJson, Duration timeout)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(gatewayBaseUrl + "/fhir"))
                        .timeout(timeout)
                        .header("Content-Type", "application/fhir+json")
                        .header("Accept", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bundleJson))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = TASK_ENTRY.matcher(response.body());
        boolean task = m.find();
        return new Answer(
                response.statusCode(),
                task ? Optional.of(m.group(2)) : Optional.empty(),
                task ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty(),
                response.body());
    }

    /** The Task's businessStatus code as the EHR reads it ({@code GET /fhir/Task/<id>}). */
    public Optional<String> businessStatus(String gatewayBaseUrl, String taskId)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(gatewayBaseUrl + "/fhir/Task/" + taskId))
                        .timeout(Duration.ofSeconds(10))
                        .header("Accept", "application/fhir+json")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = BUSINESS_STATUS.matcher(response.body());
        return response.statusCode() == 200 && m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
