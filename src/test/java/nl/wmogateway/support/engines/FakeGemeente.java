package nl.wmogateway.support.engines;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import nl.wmogateway.support.TestPkiFiles;

/**
 * Gemeente 0153 for engine tests: WireMock over HTTPS on loopback, the gateway's client certificate
 * required, accepting everything with 202 and recording every plan delivery it receives. It runs
 * in the test JVM, so it keeps counting while gateways are killed and restarted.
 */
public final class FakeGemeente implements AutoCloseable {

    /** The renderings gemeente 0153 is configured with in {@link #writePartners}. */
    public static final Set<String> RENDERINGS = Set.of("ondersteuningsplan-json", "iwmo-wmo315");

    /**
     * One POST of a rendering, as the gemeente saw it.
     *
     * @param signature the {@code X-Wmo-Signature} header (base64 CMS), empty if there was none
     * @param body      the bytes the signature is over
     */
    public record Delivery(
            String requestId,
            String rendering,
            String idempotencyKey,
            Instant at,
            Optional<String> signature,
            byte[] body) {}

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private volatile long lastDeliveryNanos = System.nanoTime();
    private final WireMockServer server;

    private FakeGemeente() {
        server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .httpDisabled(true)
                .httpsPort(0)
                .containerThreads(40)
                .keystorePath(TestPkiFiles.GEMEENTE.toString())
                .keystorePassword(TestPkiFiles.PASSWORD)
                .keyManagerPassword(TestPkiFiles.PASSWORD)
                .keystoreType("PKCS12")
                .needClientAuth(true)
                .trustStorePath(TestPkiFiles.TRUSTSTORE.toString())
                .trustStorePassword(TestPkiFiles.PASSWORD)
                .trustStoreType("PKCS12")
                .disableRequestJournal()
                .extensions(new Recorder()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202).withBody("{\"ontvangen\":true}")));
    }

    public static FakeGemeente start() {
        return new FakeGemeente();
    }

    /** The gemeente's endpoint as the partner configuration names it. */
    public String endpoint() {
        return "https://127.0.0.1:" + server.httpsPort() + "/wmo";
    }

    /**
     * Writes a partner configuration with this gemeente (0153, both renderings, CRvB errors) and the
     * test EHR's care organisation (AGB 12345678, fetching its iWmo messages) in a directory of its
     * own under target/engines; returns the file.
     */
    public Path writePartners() {
        Path file = EngineFiles.newDir("partners").resolve("partners.yaml");
        try {
            Files.writeString(file, """
                    gemeenten:
                      - gemeentecode: "0153"
                        naam: Gemeente Enschede
                        endpoint: %s
                        certificate:
                          subject: "%s"
                          issuer: "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL"
                        renderings:
                          - type: ondersteuningsplan-json
                            path: /ondersteuningsplannen
                          - type: iwmo-wmo315
                            path: /iwmo/wmo315
                        crvb: ERROR
                    zorgorganisaties:
                      - agb: "12345678"
                        ura: "87654321"
                        naam: Thuiszorg Twente Voorbeeld
                        certificate:
                          subject: "%s"
                          issuer: "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL"
                    """.formatted(endpoint(), TestPkiFiles.GEMEENTE_SUBJECT, TestPkiFiles.EHR_SUBJECT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Every delivery so far, in the order received. */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Whether every configured rendering of the request arrived at least once. */
    public boolean delivered(String requestId) {
        return deliveries.stream()
                .filter(d -> d.requestId().equals(requestId))
                .map(Delivery::rendering)
                .collect(Collectors.toSet())
                .containsAll(RENDERINGS);
    }

    /** Nanoseconds ({@link System#nanoTime()}) of the latest delivery, or of the start. */
    public long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }

    public void stop() {
        server.stop();
    }

    @Override
    public void close() {
        stop();
    }

    private final class Recorder implements ServeEventListener {

        @Override
        public void afterMatch(ServeEvent event, Parameters parameters) {
            LoggedRequest request = event.getRequest();
            Optional<String> rendering = header(request, "X-Wmo-Rendering");
            if (rendering.isEmpty()) {
                return; // not a plan rendering (a withdrawal report, a retour): not counted
            }
            deliveries.add(new Delivery(
                    header(request, "X-Wmo-Request-Id").orElse("?"),
                    rendering.get(),
                    header(request, "Idempotency-Key").orElse("?"),
                    Instant.now(),
                    header(request, "X-Wmo-Signature"),
                    request.getBody()));
            lastDeliveryNanos = System.nanoTime();
        }

        @Override
        public String getName() {
            return "delivery-recorder";
        }

        private static Optional<String> header(LoggedRequest request, String name) {
            return Optional.ofNullable(request.getHeader(name)).filter(v -> !v.isBlank());
        }
    }
}
