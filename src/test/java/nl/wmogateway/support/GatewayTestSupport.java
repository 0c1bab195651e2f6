package nl.wmogateway.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import nl.wmogateway.plan.AangevraagdProduct;
import nl.wmogateway.plan.Ondersteuningsplan;
import nl.wmogateway.store.MessageStore;
import nl.wmogateway.store.PlanCodec;
import nl.wmogateway.support.engines.GatewayProcess;
import nl.wmogateway.trust.TlsContexts;
import org.apache.http.impl.client.HttpClients;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The whole gateway on a random port with real mutual TLS, and a WireMock gemeente and care
 * organisation (HTTPS, client certificate required), with the helpers tests use against it. The
 * settings come from a subclass: {@link GatewayTestBase} for the gateway most tests share.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class GatewayTestSupport {

    public static final String GEMEENTE_PATH = "/wmo";
    protected static WireMockServer GEMEENTE;
    protected static final int GEMEENTE_PORT;
    /** The care organisation's iWmo endpoint and EHR FHIR callback (HTTPS, client certificate required). */
    protected static final WireMockServer ZORG;
    /** The partner file and the shared gateway's database and broker journal. */
    protected static final Path WORK;

    static {
        GEMEENTE = gemeenteServer(0);
        GEMEENTE.start();
        GEMEENTE_PORT = GEMEENTE.httpsPort();
        ZORG = new WireMockServer(options()
                .httpDisabled(true)
                .httpsPort(0)
                .keystorePath(TestPkiFiles.ZORG_SERVER.toString())
                .keystorePassword(TestPkiFiles.PASSWORD)
                .keyManagerPassword(TestPkiFiles.PASSWORD)
                .keystoreType("PKCS12")
                .needClientAuth(true)
                .trustStorePath(TestPkiFiles.TRUSTSTORE.toString())
                .trustStorePassword(TestPkiFiles.PASSWORD)
                .trustStoreType("PKCS12"));
        ZORG.start();
        try {
            WORK = Files.createTempDirectory("wmo-gateway-test");
            Files.writeString(WORK.resolve("partners.yaml"), """
                    gemeenten:
                      - gemeentecode: "0153"
                        naam: Gemeente Enschede
                        endpoint: https://localhost:%d%s
                        certificate:
                          subject: "%s"
                          issuer: "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL"
                        renderings:
                          - type: ondersteuningsplan-json
                            path: /ondersteuningsplannen
                          - type: iwmo-wmo315
                            path: /iwmo/wmo315
                        crvb: ERROR
                        retourPath: /iwmo/retour
                      - gemeentecode: "0363"
                        naam: Gemeente Amsterdam
                        endpoint: https://localhost:%d/g0363
                        certificate:
                          subject: "%s"
                          issuer: "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL"
                        renderings:
                          - type: ondersteuningsplan-json
                            path: /ondersteuningsplannen
                        crvb: WARNING
                      - gemeentecode: "0518"
                        naam: Gemeente Den Haag
                        endpoint: https://localhost:%d/g0518
                        certificate:
                          subject: "%s"
                          issuer: "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL"
                        renderings:
                          - type: ondersteuningsplan-json
                            path: /ondersteuningsplannen
                          - type: iwmo-wmo315
                            path: /iwmo/wmo315
                        beschikkingFormat: iwmo-xml
                        wayBack: forward
                      - gemeentecode: "0599"
                        naam: Gemeente Rotterdam
                        endpoint: https://localhost:%d/g0599
                        certificate:
                          subject: "%s"
                          issuer: "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL"
                        renderings:
                          - type: ondersteuningsplan-json
                            path: /ondersteuningsplannen
                          - type: iwmo-wmo315
                            path: /iwmo/wmo315
                        wayBack: fhir-only
                    zorgorganisaties:
                      - agb: "12345678"
                        ura: "87654321"
                        naam: Thuiszorg Twente Voorbeeld
                        endpoint: https://localhost:%d/iwmo
                        fhirCallback: https://localhost:%d/fhir
                        certificate:
                          subject: "%s"
                          issuer: "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL"
                      - agb: "23456789"
                        naam: Andere Zorg
                        signature: OPTIONAL
                        certificate:
                          subject: "%s"
                          issuer: "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL"
                      - agb: "34567890"
                        naam: Ondertekende Zorg
                        signature: REQUIRED
                        certificate:
                          subject: "%s"
                          issuer: "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL"
                    operators:
                      - naam: test-integrator
                        certificate:
                          subject: "%s"
                          issuer: "CN=Wmo Test Issuing CA,O=Wmo Gateway Test,C=NL"
                    """.formatted(
                            GEMEENTE_PORT,
                            GEMEENTE_PATH,
                            TestPkiFiles.GEMEENTE_SUBJECT,
                            GEMEENTE_PORT,
                            TestPkiFiles.GEMEENTE_0363_SUBJECT,
                            GEMEENTE_PORT,
                            TestPkiFiles.GEMEENTE_0518_SUBJECT,
                            GEMEENTE_PORT,
                            TestPkiFiles.GEMEENTE_0599_SUBJECT,
                            ZORG.httpsPort(),
                            ZORG.httpsPort(),
                            TestPkiFiles.EHR_SUBJECT,
                            TestPkiFiles.OTHER_EHR_SUBJECT,
                            TestPkiFiles.SIGNING_EHR_SUBJECT,
                            TestPkiFiles.OPERATOR_SUBJECT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The gateway's settings for tests: the shared partner file and test PKI, fast retries, and a
     * database and broker journal under {@code work}. {@code overrides} replace any of them (a test
     * class with a gateway of its own uses another {@code work} and its own settings).
     */
    protected static void gatewaySettings(DynamicPropertyRegistry registry, Path work, Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>(GatewayProcess.testSettings(WORK.resolve("partners.yaml")));
        settings.put("wmo.delivery.poll-interval", "100ms");
        // every iWmo message the end-to-end tests make or read passes the official rule set when it is there
        nl.wmogateway.iwmo.OfficialRuleSets.available()
                .ifPresent(xslt -> settings.put("wmo.iwmo.rules-xslt", xslt.toString()));
        settings.put("spring.datasource.url", "jdbc:h2:file:" + work.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE");
        settings.put(
                "spring.artemis.embedded.data-directory",
                work.resolve("artemis").toString());
        settings.putAll(overrides);
        settings.forEach((name, value) -> registry.add(name, () -> value));
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected MessageStore store;

    @Autowired
    protected PlanCodec planCodec;

    @BeforeEach
    void gemeenteAcceptsEverything() {
        if (!GEMEENTE.isRunning()) {
            gemeenteBack();
        }
        GEMEENTE.resetAll();
        GEMEENTE.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202).withBody("{\"ontvangen\":true}")));
        ZORG.resetAll();
        ZORG.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202)));
    }

    /** Takes the gemeente off the network (connections are refused) until {@link #gemeenteBack()}. */
    protected static void gemeenteDown() {
        GEMEENTE.stop();
    }

    /** A fresh gemeente on the same port, accepting everything. */
    protected static void gemeenteBack() {
        GEMEENTE = gemeenteServer(GEMEENTE_PORT);
        GEMEENTE.start();
        GEMEENTE.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(202).withBody("{\"ontvangen\":true}")));
    }

    protected static WireMockServer gemeenteServer(int port) {
        return new WireMockServer(options()
                .httpDisabled(true)
                .httpsPort(port)
                .keystorePath(TestPkiFiles.GEMEENTE.toString())
                .keystorePassword(TestPkiFiles.PASSWORD)
                .keyManagerPassword(TestPkiFiles.PASSWORD)
                .keystoreType("PKCS12")
                .needClientAuth(true)
                .trustStorePath(TestPkiFiles.TRUSTSTORE.toString())
                .trustStorePassword(TestPkiFiles.PASSWORD)
                .trustStoreType("PKCS12"));
    }

    private static final Map<String, Long> TOEWIJZINGNUMMERS = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicLong LAATSTE_NUMMER =
            new java.util.concurrent.atomic.AtomicLong(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 500_000_000));

    /**
     * The gemeente's ToewijzingNummer for a requested product, as a gemeente's Wmo application
     * assigns it: one per product, the same in every later beschikking on it, unique in the test run.
     */
    protected static long toewijzingNummer(String referentieAanbieder) {
        return TOEWIJZINGNUMMERS.computeIfAbsent(referentieAanbieder, r -> LAATSTE_NUMMER.incrementAndGet());
    }

    /** Submits a request with the example EHR's certificate; returns the id of its Task. */
    protected String submit(Bundle bundle) {
        return taskId(ehr().transaction().withBundle(bundle).execute());
    }

    /** Submits a request with the example EHR's certificate and waits until the gemeente has it; returns the Task id. */
    protected String delivered(Bundle bundle) {
        String taskId = submit(bundle);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.request(taskId)
                        .map(r -> r.status() == nl.wmogateway.store.RequestStatus.DELIVERED)
                        .orElse(false));
        return taskId;
    }

    /** The canonical plan the gateway stored for a request. */
    protected Ondersteuningsplan plan(String taskId) {
        return planCodec.read(store.request(taskId).orElseThrow().planJson());
    }

    /** The Task id in a transaction-response Bundle. */
    protected static String taskId(Bundle response) {
        return response.getEntry().stream()
                .map(e -> e.getResponse().getLocation())
                .filter(l -> l != null && l.startsWith("Task/"))
                .findFirst()
                .orElseThrow()
                .split("/")[1];
    }

    /** Waits until the Task, as the EHR reads it, has this businessStatus. */
    protected Task awaitBusinessStatus(String taskId, String businessStatus) {
        IGenericClient client = ehr();
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> client.read().resource(Task.class).withId(taskId).execute(),
                        t -> businessStatus.equals(
                                t.getBusinessStatus().getCodingFirstRep().getCode()));
    }

    /**
     * The gemeente (its certificate) answers a delivered request: the first requested product granted
     * (60 minutes per week for six months), the second rejected (reden 6). Returns the gateway's answer,
     * which must be 202.
     */
    protected String grantFirstRejectSecond(String taskId, long beschikkingnummer)
            throws IOException, InterruptedException {
        Ondersteuningsplan plan =
                planCodec.read(store.request(taskId).orElseThrow().planJson());
        AangevraagdProduct p = plan.maatwerkvoorzieningen().get(0);
        AangevraagdProduct q = plan.maatwerkvoorzieningen().get(1);
        String beschikking = """
                {"schema":"https://wmo-gateway.nl/schema/beschikking/v1","aanvraag":"%s","beschikkingnummer":%d,
                 "besluit":"deels-toegekend","afgiftedatum":"%s","producten":[
                 {"referentieAanbieder":"%s","uitkomst":"toegekend","productcategorie":"%s","productcode":"%s",
                  "omvang":{"volume":60,"eenheid":"01","frequentie":"2"},"ingangsdatum":"%s","einddatum":"%s",
                  "toewijzingNummer":%d},
                 {"referentieAanbieder":"%s","uitkomst":"afgewezen","productcategorie":"%s","productcode":"%s","redenAfwijzing":"6"}],
                 "contactadres":{"soort":"01","straatnaam":"Markt","huisnummer":1,"postcode":"7511AA","plaatsnaam":"Enschede","landcode":"NL"}}""".formatted(
                        taskId,
                        beschikkingnummer,
                        LocalDate.now(),
                        p.referentieAanbieder(),
                        p.categorie(),
                        p.code().orElseThrow(),
                        p.ingangsdatum(),
                        p.ingangsdatum().plusMonths(6),
                        toewijzingNummer(p.referentieAanbieder()),
                        q.referentieAanbieder(),
                        q.categorie(),
                        q.code().orElseThrow());
        HttpResponse<String> answer = jdkClient(TestPkiFiles.GEMEENTE)
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/gemeente/beschikkingen"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(beschikking))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return answer.body();
    }

    protected String fhirBase() {
        return "https://localhost:" + port + "/fhir";
    }

    protected static SSLContext tls(Path keystore) {
        return TlsContexts.sslContext(
                keystore,
                TestPkiFiles.PASSWORD.toCharArray(),
                Optional.empty(),
                TestPkiFiles.TRUSTSTORE,
                TestPkiFiles.PASSWORD.toCharArray());
    }

    /** HAPI's own FHIR client, presenting the given client certificate; one per certificate and gateway. */
    protected IGenericClient fhirClient(Path keystore) {
        return CLIENTS.computeIfAbsent(keystore + " " + fhirBase(), key -> {
            // a context of its own: the HTTP client (and so the certificate) is a setting of the context
            FhirContext ctx = FhirContext.forR4();
            ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
            ctx.getRestfulClientFactory()
                    .setHttpClient(
                            HttpClients.custom().setSSLContext(tls(keystore)).build());
            return ctx.newRestfulGenericClient(fhirBase());
        });
    }

    private static final Map<String, IGenericClient> CLIENTS = new ConcurrentHashMap<>();

    protected IGenericClient ehr() {
        return fhirClient(TestPkiFiles.EHR);
    }

    /** The JDK's HTTP client with the given client certificate, for raw (also malformed) requests. */
    protected static HttpClient jdkClient(Path keystore) {
        return HttpClient.newBuilder()
                .sslContext(tls(keystore))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    protected HttpResponse<String> postRaw(Path keystore, String contentType, String body)
            throws IOException, InterruptedException {
        return jdkClient(keystore)
                .send(
                        HttpRequest.newBuilder(URI.create(fhirBase()))
                                .header("Content-Type", contentType)
                                .header("Accept", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
