package nl.wmogateway.app;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.store.AuditLog;
import nl.wmogateway.trust.AuditLogSink;
import nl.wmogateway.trust.CertificateExpiry;
import nl.wmogateway.trust.CertificateValidator;
import nl.wmogateway.trust.CrlStore;
import nl.wmogateway.trust.GatewayTrustManager;
import nl.wmogateway.trust.HandshakeAudit;
import nl.wmogateway.trust.KeyMaterial;
import nl.wmogateway.trust.PayloadSigner;
import nl.wmogateway.trust.RevocationMode;
import nl.wmogateway.trust.SignatureVerifier;
import nl.wmogateway.trust.TlsContexts;
import nl.wmogateway.trust.TomcatTrustCustomizer;
import nl.wmogateway.trust.TrustAnchors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wiring of certificate trust: the truststore's CAs, the CRLs, the validator, the trust manager
 * shared by Tomcat and the outbound HTTP client, the handshake audit and the expiry report.
 *
 * <p>Also switches off client-initiated TLS renegotiation ({@value #REJECT_RENEGOTIATION}), unless
 * the JVM was started with that property set: JSSE (and so Tomcat) otherwise lets a TLS 1.2 client
 * renegotiate. JSSE reads it once, at the first server handshake in the JVM, so it is set when
 * this class loads, before the web server starts; {@code AuditingSslEngine} refuses renegotiation
 * on the HTTPS port as well, whatever the property. TLS 1.3 has no renegotiation at all.
 */
@Configuration(proxyBeanMethods = false)
class TrustConfig {

    private static final Logger log = LoggerFactory.getLogger(TrustConfig.class);

    /** The JSSE system property that makes servers refuse client-initiated renegotiation. */
    public static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    static {
        if (System.getProperty(REJECT_RENEGOTIATION) == null) {
            System.setProperty(REJECT_RENEGOTIATION, "true");
        }
    }

    @Bean
    public TrustAnchors trustAnchors(WmoProperties props) {
        return TrustAnchors.load(
                props.tls().truststore(), props.tls().truststorePassword().toCharArray());
    }

    /**
     * The gateway's own TLS key and chain, from its PKCS#12 keystore or PKCS#11 token: presented on
     * the HTTPS port and to gemeenten as client certificate.
     */
    @Bean
    public KeyMaterial gatewayKey(WmoProperties props) {
        KeyMaterial key = KeyMaterial.load(props.tls().identity());
        log.info(
                "TLS key '{}' ({}) from {}",
                key.alias(),
                key.certificate().getSubjectX500Principal().getName(),
                key.source());
        return key;
    }

    /**
     * Every plan and iWmo message leaving the gateway carries a detached CMS signature: by the
     * signing key of its own when {@code wmo.signing} configures one, otherwise by the key the
     * gateway presents in TLS. The signing certificate must allow digitalSignature or
     * nonRepudiation, or the gateway does not start.
     */
    @Bean
    public PayloadSigner payloadSigner(WmoProperties props, KeyMaterial gatewayKey) {
        Optional<TlsContexts.KeyStoreFile> signing = props.signing().identity();
        if (signing.isEmpty()) {
            PayloadSigner signer = gatewayKey.signer();
            log.info(
                    "payload signatures: by the TLS key '{}' ({}); no separate signing key is configured"
                            + " (wmo.signing.keystore or wmo.signing.pkcs11-config)",
                    gatewayKey.alias(),
                    gatewayKey.certificate().getSubjectX500Principal().getName());
            return signer;
        }
        KeyMaterial signingKey = KeyMaterial.load(signing.get());
        PayloadSigner signer = signingKey.signer();
        log.info(
                "payload signatures: by the signing key '{}' ({}) from {}, not the TLS key",
                signingKey.alias(),
                signingKey.certificate().getSubjectX500Principal().getName(),
                signingKey.source());
        return signer;
    }

    /** Checks signatures of partners configured to sign, with the validator every TLS handshake uses. */
    @Bean
    public SignatureVerifier signatureVerifier(CertificateValidator validator) {
        return SignatureVerifier.using(validator);
    }

    @Bean(destroyMethod = "close")
    public CrlStore crlStore(WmoProperties props, TrustAnchors anchors, Clock clock) {
        WmoProperties.Trust trust = props.trust();
        CrlStore store =
                new CrlStore(trust.crlSources(), anchors.certificates(), trust.crlRefresh(), trust.crlTimeout(), clock);
        if (trust.revocationMode() != RevocationMode.OFF) {
            store.start();
            warnAboutCasWithoutCrl(store, anchors, trust.revocationMode(), clock);
        }
        return store;
    }

    @Bean
    public CertificateValidator certificateValidator(
            WmoProperties props, TrustAnchors anchors, CrlStore crls, Clock clock) {
        return new CertificateValidator(
                anchors, crls, props.trust().revocationMode(), props.trust().resultCache(), clock);
    }

    @Bean(destroyMethod = "close")
    public AuditLogSink handshakeAuditSink(AuditLog auditLog, ObjectProvider<MeterRegistry> meters) {
        return new AuditLogSink(auditLog, Optional.ofNullable(meters.getIfAvailable()));
    }

    @Bean
    public HandshakeAudit handshakeAudit(AuditLogSink sink) {
        return new HandshakeAudit(sink);
    }

    @Bean
    public GatewayTrustManager gatewayTrustManager(CertificateValidator validator, HandshakeAudit audit) {
        return new GatewayTrustManager(validator, audit);
    }

    @Bean
    public TomcatTrustCustomizer tomcatTrustCustomizer(
            KeyMaterial gatewayKey, GatewayTrustManager trustManager, HandshakeAudit audit, WmoProperties props) {
        if (!"true".equals(System.getProperty(REJECT_RENEGOTIATION))) {
            log.warn(
                    "{} is '{}': JSSE lets TLS 1.2 clients renegotiate; the HTTPS port still refuses it,"
                            + " other TLS servers in this JVM may not",
                    REJECT_RENEGOTIATION,
                    System.getProperty(REJECT_RENEGOTIATION));
        }
        return new TomcatTrustCustomizer(
                gatewayKey, trustManager, audit, props.trust().resultCache());
    }

    /** Health {@code certificates}, gauges {@code wmo.certificate.days.left}, expiry warnings at start and daily. */
    @Bean
    public CertificateExpiry certificatesHealthIndicator(
            KeyMaterial gatewayKey,
            PayloadSigner payloadSigner,
            TrustAnchors anchors,
            WmoProperties props,
            Clock clock,
            ObjectProvider<MeterRegistry> meters,
            CrlStore crls) {
        CertificateExpiry expiry = new CertificateExpiry(
                gatewayKey.chain(),
                payloadSigner.includedCertificates(),
                anchors,
                props.trust().expiryWarning(),
                clock,
                Optional.ofNullable(meters.getIfAvailable()),
                Optional.of(crls),
                Optional.of(props.trust().revocationMode()));
        expiry.check();
        return expiry;
    }

    /**
     * A trusted CA without a current CRL means: in HARD_FAIL mode every certificate it issues
     * directly is refused. A root whose issuing CA is itself in the truststore issues no partner
     * certificates that the gateway checks against it, so it needs no CRL.
     */
    private static void warnAboutCasWithoutCrl(CrlStore store, TrustAnchors anchors, RevocationMode mode, Clock clock) {
        for (X509Certificate ca : anchors.certificates()) {
            boolean issuesAnotherAnchor = anchors.certificates().stream()
                    .anyMatch(other ->
                            !other.equals(ca) && other.getIssuerX500Principal().equals(ca.getSubjectX500Principal()));
            if (!issuesAnotherAnchor && !store.hasCrlFor(ca, clock.instant())) {
                log.warn(
                        "no current CRL of trusted CA {} is loaded (wmo.trust.crl-sources): {}",
                        ca.getSubjectX500Principal().getName(),
                        mode == RevocationMode.HARD_FAIL
                                ? "certificates it issued are refused (HARD_FAIL)"
                                : "certificates it issued are accepted without a revocation check (SOFT_FAIL)");
            }
        }
    }
}
