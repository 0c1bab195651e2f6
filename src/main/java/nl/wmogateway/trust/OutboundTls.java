package nl.wmogateway.trust;

import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The gateway's side of outbound mutual TLS: its own certificate, and the
 * {@link GatewayTrustManager} deciding whether a partner's server certificate is trusted (chain to
 * the truststore, validity, serverAuth, revocation, host name). One HttpClient, shared by all
 * deliveries; protocols and cipher suites as {@link TlsContexts#clientParameters}.
 */
@Component
public class OutboundTls {

    private final HttpClient client;

    public OutboundTls(KeyMaterial gatewayKey, GatewayTrustManager trustManager) {
        this.client = TlsContexts.httpClient(gatewayKey.sslContext(trustManager), Duration.ofSeconds(10));
    }

    public HttpClient httpClient() {
        return client;
    }
}
