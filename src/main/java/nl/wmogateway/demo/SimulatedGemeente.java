package nl.wmogateway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.iwmo.IwmoRetourXml;
import nl.wmogateway.trust.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A stand-in for a gemeente's Wmo application, for the demo only: an HTTPS server that requires a
 * client certificate, accepts the gateway's renderings under {@code /wmo/...}, lists what it got
 * at {@code GET /wmo/ontvangen}, and a few seconds after each plan posts a beschikking granting it
 * ({@code wmo.demo.simulated-gemeente.answer-after}). Under {@code /zorg/} it also plays the care
 * organisation's administration, answering each WMO301/WMO319 with its retour. Switched off with {@code wmo.demo.simulated-gemeente.enabled=false}
 * (and always in the production profile).
 */
@Component
@ConditionalOnProperty(name = "wmo.demo.simulated-gemeente.enabled", havingValue = "true")
class SimulatedGemeente implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SimulatedGemeente.class);

    private static final java.time.ZoneId NETHERLANDS = java.time.ZoneId.of("Europe/Amsterdam");

    /** What the simulated gemeente received. */
    public record Ontvangen(Instant at, String requestId, String rendering, String contentType, int bytes) {}

    private final int port;
    private final SSLContext ssl;
    private final Duration answerAfter;
    private final Environment environment;
    private final HttpClient gateway;
    private final ObjectMapper json = new ObjectMapper();
    private final java.util.Random random = new java.util.Random();
    /** Numbers that still grow after a restart of the demo on the same data: seconds since 1970, within iWmo's 9 digits. */
    private final java.util.concurrent.atomic.AtomicLong toewijzingNummers =
            new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis() / 1000 % 900_000_000L);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<Ontvangen> ontvangen = new CopyOnWriteArrayList<>();
    private HttpsServer server;

    public SimulatedGemeente(
            WmoProperties props,
            @Value("${wmo.demo.simulated-gemeente.port:9443}") int port,
            @Value("${wmo.demo.simulated-gemeente.keystore:certs-example/gemeente-0153.p12}") Path keystore,
            @Value("${wmo.demo.simulated-gemeente.keystore-password:changeit}") String password,
            @Value("${wmo.demo.simulated-gemeente.answer-after:3s}") Duration answerAfter,
            Environment environment) {
        this.port = port;
        this.ssl = TlsContexts.sslContext(
                keystore,
                password.toCharArray(),
                Optional.empty(),
                props.tls().truststore(),
                props.tls().truststorePassword().toCharArray());
        this.answerAfter = answerAfter;
        this.environment = environment;
        this.gateway = TlsContexts.httpClient(ssl, Duration.ofSeconds(5));
    }

    @Override
    public void start() {
        try {
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        } catch (IOException e) {
            throw new IllegalStateException("simulated gemeente cannot listen on port " + port, e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = TlsContexts.serverParameters(ssl);
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/wmo/ontvangen", this::list);
        server.createContext("/wmo/", this::receive);
        server.createContext("/zorg/", this::careOrganisation);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        log.info(
                "simulated gemeente 0153 listening on https://localhost:{}/wmo (received plans: GET /wmo/ontvangen)",
                port);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            String requestId = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Wmo-Request-Id"))
                    .orElse("?");
            String rendering = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Wmo-Rendering"))
                    .orElse("?");
            ontvangen.add(new Ontvangen(
                    Instant.now(),
                    requestId,
                    rendering,
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body.length));
            log.info(
                    "simulated gemeente 0153 received {} for request {} ({} bytes)", rendering, requestId, body.length);
            if ("ondersteuningsplan-json".equals(rendering)) {
                answerLater(body);
            }
            if ("iwmo-wmo315".equals(rendering)) {
                byte[] wmo316 = retourZonderOpmerkingen(body);
                exchange.getResponseHeaders().add("Content-Type", "application/xml");
                exchange.sendResponseHeaders(202, wmo316.length);
                exchange.getResponseBody().write(wmo316);
                return;
            }
            byte[] answer =
                    ("{\"ontvangen\":true,\"aanvraag\":\"" + requestId + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    /**
     * The demo's care organisation administration: takes each WMO301/WMO319 and answers, in the same
     * exchange, with its retour without remarks (a WMO302/WMO320 echoing every class with 0200);
     * takes note of the copy of each WMO315 sent in its name.
     */
    private void careOrganisation(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String rendering = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Wmo-Rendering"))
                    .orElse("?");
            ontvangen.add(new Ontvangen(
                    Instant.now(),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Wmo-Request-Id"))
                            .orElse("?"),
                    "zorgorganisatie:" + rendering,
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body.length));
            if ("WMO315".equals(rendering)) {
                // the copy of the verzoek made in its name: the administration takes note, no retour
                log.info("simulated care organisation received the copy of a WMO315");
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            byte[] answer = retourZonderOpmerkingen(body);
            log.info("simulated care organisation received {} and answers with its retour", rendering);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        } catch (RuntimeException e) {
            log.warn("simulated care organisation could not read the message: {}", e.getMessage());
            exchange.sendResponseHeaders(400, -1);
        }
    }

    /** The retour on an iWmo message that has no remarks, dated today in the Netherlands (never before the message). */
    private byte[] retourZonderOpmerkingen(byte[] heenbericht) {
        LocalDate bericht = IwmoRetourXml.heenbericht(heenbericht).header().dagtekening();
        LocalDate vandaag = LocalDate.now(java.time.ZoneId.of("Europe/Amsterdam"));
        String retourId = "R" + (100000000 + random.nextInt(900000000));
        return IwmoRetourXml.retour(
                heenbericht, retourId, vandaag.isBefore(bericht) ? bericht : vandaag, List.of(), List.of());
    }

    private void list(HttpExchange exchange) throws IOException {
        try (exchange) {
            StringBuilder sb = new StringBuilder("[");
            for (Ontvangen o : ontvangen) {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append("\n  {\"at\":\"")
                        .append(o.at())
                        .append("\",\"requestId\":\"")
                        .append(o.requestId())
                        .append("\",\"rendering\":\"")
                        .append(o.rendering())
                        .append("\",\"bytes\":")
                        .append(o.bytes())
                        .append('}');
            }
            byte[] body = sb.append("\n]\n").toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /**
     * Like a consulent who agrees with the plan: after a few seconds, a beschikking granting every
     * requested product as asked, posted to the gateway with the gemeente's certificate.
     */
    private void answerLater(byte[] planJson) {
        JsonNode plan;
        try {
            plan = json.readTree(planJson);
        } catch (IOException e) {
            log.warn("simulated gemeente cannot read the plan: {}", e.getMessage());
            return;
        }
        var unusedAnswer = scheduler.schedule(() -> answer(plan, 1), answerAfter.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void answer(JsonNode plan, int attempt) {
        String aanvraag = plan.path("planId").asText();
        ObjectNode b = json.createObjectNode();
        b.put("schema", "https://wmo-gateway.nl/schema/beschikking/v1");
        b.put("aanvraag", aanvraag);
        b.put("beschikkingnummer", 100000 + random.nextInt(900000));
        b.put("besluit", "toegekend");
        b.put("afgiftedatum", LocalDate.now(NETHERLANDS).toString());
        ArrayNode producten = b.putArray("producten");
        for (JsonNode p : plan.path("crvb").path("maatwerkvoorzieningen")) {
            ObjectNode product = producten.addObject();
            product.put("referentieAanbieder", p.path("referentieAanbieder").asText());
            product.put("uitkomst", "toegekend");
            product.put(
                    "productcategorie", p.path("productcategorie").path("code").asText());
            copy(p, product, "productcode");
            if (p.has("omvang")) {
                ObjectNode omvang = product.putObject("omvang");
                omvang.put("volume", p.path("omvang").path("volume").asInt());
                omvang.put("eenheid", p.path("omvang").path("eenheid").asText());
                omvang.put("frequentie", p.path("omvang").path("frequentie").asText());
            }
            copy(p, product, "ingangsdatum");
            copy(p, product, "einddatum");
            copy(p, product, "evaluatiedatum");
            // the gemeente's Wmo application assigns the toewijzing number and moment (iWmo: the gemeente owns it)
            product.put("toewijzingNummer", toewijzingNummers.incrementAndGet());
            product.put("toewijzingsdatum", LocalDate.now(NETHERLANDS).toString());
            product.put(
                    "toewijzingstijd",
                    java.time.LocalTime.now(NETHERLANDS)
                            .format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")));
        }
        ObjectNode adres = b.putObject("contactadres");
        adres.put("soort", "01");
        adres.put("straatnaam", "Hengelosestraat");
        adres.put("huisnummer", 12);
        adres.put("postcode", "7511AB");
        adres.put("plaatsnaam", "Enschede");
        adres.put("landcode", "NL");
        b.put("motivering", "Toegekend conform het ondersteuningsplan van de wijkverpleegkundige.");
        try {
            HttpResponse<String> response = gateway.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:"
                                    + environment.getProperty("local.server.port", "8443") + "/gemeente/beschikkingen"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(b)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 409 && attempt < 10) {
                var unusedRetry = scheduler.schedule(() -> answer(plan, attempt + 1), 1, TimeUnit.SECONDS);
                return;
            }
            log.info(
                    "simulated gemeente 0153 sent its beschikking for request {}: HTTP {}",
                    aanvraag,
                    response.statusCode());
        } catch (IOException e) {
            log.warn("simulated gemeente could not send its beschikking for request {}: {}", aanvraag, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        if (from.hasNonNull(field)) {
            to.put(field, from.get(field).asText());
        }
    }

    public List<Ontvangen> ontvangen() {
        return List.copyOf(ontvangen);
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
