package nl.wmogateway.transport;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import nl.wmogateway.config.WmoProperties;
import org.springframework.stereotype.Component;

/**
 * The gateway's side of outbound mutual TLS: its own certificate and the trust anchors partners'
 * servers must chain to. One HttpClient, shared by all deliveries.
 */
@Component
public class OutboundTls {

    private final HttpClient client;

    public OutboundTls(WmoProperties props) {
        WmoProperties.Tls tls = props.tls();
        SSLContext context = TlsContexts.sslContext(tls.keystore(), tls.keystorePassword().toCharArray(),
                Optional.of(tls.keyAlias()).filter(a -> !a.isBlank()), tls.truststore(), tls.truststorePassword().toCharArray());
        this.client = TlsContexts.httpClient(context, Duration.ofSeconds(10));
    }

    public HttpClient httpClient() {
        return client;
    }
}
