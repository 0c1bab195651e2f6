package nl.wmogateway.ops.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.transport.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A stand-in for a gemeente's Wmo application, for the demo only: an HTTPS server that requires a
 * client certificate, accepts the gateway's renderings under {@code /wmo/...} and lists what it got
 * at {@code GET /wmo/ontvangen}. Switched off with {@code wmo.demo.simulated-gemeente.enabled=false}
 * (and always in the production profile).
 */
@Component
@ConditionalOnProperty(name = "wmo.demo.simulated-gemeente.enabled", havingValue = "true")
public class SimulatedGemeente implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SimulatedGemeente.class);

    /** What the simulated gemeente received. */
    public record Ontvangen(Instant at, String requestId, String rendering, String contentType, int bytes) {
    }

    private final int port;
    private final SSLContext ssl;
    private final List<Ontvangen> ontvangen = new CopyOnWriteArrayList<>();
    private HttpsServer server;

    public SimulatedGemeente(WmoProperties props,
                             @Value("${wmo.demo.simulated-gemeente.port:9443}") int port,
                             @Value("${wmo.demo.simulated-gemeente.keystore:certs-example/gemeente-0153.p12}") Path keystore,
                             @Value("${wmo.demo.simulated-gemeente.keystore-password:changeit}") String password) {
        this.port = port;
        this.ssl = TlsContexts.sslContext(keystore, password.toCharArray(), Optional.empty(),
                props.tls().truststore(), props.tls().truststorePassword().toCharArray());
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
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        log.info("simulated gemeente 0153 listening on https://localhost:{}/wmo (received plans: GET /wmo/ontvangen)", port);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            String requestId = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Wmo-Request-Id")).orElse("?");
            String rendering = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Wmo-Rendering")).orElse("?");
            ontvangen.add(new Ontvangen(Instant.now(), requestId, rendering,
                    exchange.getRequestHeaders().getFirst("Content-Type"), body.length));
            log.info("simulated gemeente 0153 received {} for request {} ({} bytes)", rendering, requestId, body.length);
            byte[] answer = ("{\"ontvangen\":true,\"aanvraag\":\"" + requestId + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private void list(HttpExchange exchange) throws IOException {
        try (exchange) {
            StringBuilder sb = new StringBuilder("[");
            for (Ontvangen o : ontvangen) {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append("\n  {\"at\":\"").append(o.at()).append("\",\"requestId\":\"").append(o.requestId())
                        .append("\",\"rendering\":\"").append(o.rendering()).append("\",\"bytes\":").append(o.bytes()).append('}');
            }
            byte[] body = sb.append("\n]\n").toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    public List<Ontvangen> ontvangen() {
        return List.copyOf(ontvangen);
    }

    @Override
    public void stop() {
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
