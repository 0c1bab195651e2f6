package nl.wmogateway.trust;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.WebServerSslBundle;

/**
 * Makes Tomcat decide client-certificate trust with the {@link GatewayTrustManager} and audit
 * every refused handshake.
 *
 * <p>How: Spring Boot configures the HTTPS connector from the SSL bundle ({@code server.ssl.bundle},
 * protocols, cipher suites, {@code client-auth: need}) before it runs connector customizers. This
 * customizer then gives each of the connector's certificates a ready-made TLS context
 * ({@code SSLHostConfigCertificate.setSslContext}): the gateway's key as {@link KeyMaterial} chose
 * it from the keystore file or PKCS#11 token (the same key outbound TLS uses, {@code wmo.tls.key-alias}
 * honoured; the bundle has no keystore of its own), the gateway trust manager instead of the
 * bundle's truststore, and engines that report failed handshakes
 * ({@link AuditingSslContext}). Tomcat uses a context given this way as it is, and still applies
 * the bundle's protocols, suites and client-auth setting to every engine it creates. No class is
 * instantiated by name, so nothing needs a static hook to reach Spring beans.
 *
 * <p>Not supported together with SSL bundle hot reload ({@code reload-on-update}): a reloaded
 * bundle would replace the host configuration and with it this context.
 */
public final class TomcatTrustCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private static final Logger log = LoggerFactory.getLogger(TomcatTrustCustomizer.class);

    private final KeyMaterial gatewayKey;
    private final GatewayTrustManager trustManager;
    private final HandshakeAudit audit;
    private final Duration sessionTimeout;

    /**
     * @param sessionTimeout how long a TLS session may be resumed without a new trust decision
     */
    public TomcatTrustCustomizer(
            KeyMaterial gatewayKey, GatewayTrustManager trustManager, HandshakeAudit audit, Duration sessionTimeout) {
        this.gatewayKey = gatewayKey;
        this.trustManager = trustManager;
        this.audit = audit;
        this.sessionTimeout = sessionTimeout;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> customize(connector, factory));
    }

    private void customize(Connector connector, TomcatServletWebServerFactory factory) {
        if (!Ssl.isEnabled(factory.getSsl())) {
            log.warn("the web server has no TLS configured; client certificates are not checked");
            return;
        }
        if (!(connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> protocol)) {
            throw new IllegalStateException("cannot install the gateway trust manager on "
                    + connector.getProtocolHandler().getClass().getName());
        }
        SslBundle bundle = WebServerSslBundle.get(factory.getSsl(), factory.getSslBundles());
        warnIfBundleTrustsOtherCas(bundle);
        KeyManager[] keyManagers = gatewayKey.keyManagers();
        SSLContext jsse;
        try {
            jsse = SSLContext.getInstance(bundle.getProtocol());
            jsse.init(keyManagers, new TrustManager[] {trustManager}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the gateway's TLS server context", e);
        }
        // A resumed session skips the trust manager: keep that window as short as a cached verdict.
        jsse.getServerSessionContext().setSessionTimeout((int) Math.max(1, sessionTimeout.toSeconds()));
        TomcatSslContext context =
                new TomcatSslContext(AuditingSslContext.wrap(jsse, audit), keyManagers, trustManager);
        int certificates = 0;
        for (SSLHostConfig host : protocol.findSslHostConfigs()) {
            for (SSLHostConfigCertificate certificate : host.getCertificates(true)) {
                certificate.setSslContext(context);
                certificates++;
            }
        }
        if (certificates == 0) {
            throw new IllegalStateException("TLS is enabled but Tomcat has no certificate configuration to attach"
                    + " the gateway trust manager to");
        }
        log.info(
                "HTTPS port {}: presents key '{}' from {}, client certificates are checked by the gateway trust"
                        + " manager (revocation {})",
                connector.getPort(),
                gatewayKey.alias(),
                gatewayKey.source(),
                trustManager.revocationMode());
    }

    private void warnIfBundleTrustsOtherCas(SslBundle bundle) {
        KeyStore store = bundle.getStores().getTrustStore();
        if (store == null) {
            return;
        }
        try {
            Set<Certificate> inBundle = new HashSet<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias)) {
                    inBundle.add(store.getCertificate(alias));
                }
            }
            if (!inBundle.equals(new HashSet<>(trustManager.trustAnchors().certificates()))) {
                log.warn("the SSL bundle's truststore differs from wmo.tls.truststore; client certificates are"
                        + " checked against wmo.tls.truststore only");
            }
        } catch (KeyStoreException e) {
            log.warn(
                    "cannot read the SSL bundle's truststore to compare it with wmo.tls.truststore: {}",
                    e.getMessage());
        }
    }
}
