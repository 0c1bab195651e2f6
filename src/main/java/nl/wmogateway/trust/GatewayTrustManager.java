package nl.wmogateway.trust;

import java.net.Socket;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import nl.wmogateway.trust.Validation.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's trust decision inside every TLS handshake, in both directions: client
 * certificates arriving at the gateway are checked for {@link Purpose#CLIENT}, server certificates
 * of the endpoints it calls for {@link Purpose#SERVER}, both with the {@link CertificateValidator}.
 *
 * <p>When the connection asks for endpoint identification ({@code HTTPS}, as the JDK HttpClient
 * does by default), the server certificate must also be for the host connected to
 * ({@link HostnameCheck}). Being an {@link X509ExtendedTrustManager}, JSSE leaves that check to
 * this class rather than doing it itself.
 *
 * <p>Every refusal goes to the {@link HandshakeAudit}; a soft-fail acceptance too. The handshake
 * fails with a {@link CertificateException} whose cause carries the matching PKIX reason, so the
 * peer gets a meaningful TLS alert (certificate_expired, certificate_revoked, unknown_ca, ...).
 */
public final class GatewayTrustManager extends X509ExtendedTrustManager {

    private static final Logger log = LoggerFactory.getLogger(GatewayTrustManager.class);

    private final CertificateValidator validator;
    private final HandshakeAudit audit;

    public GatewayTrustManager(CertificateValidator validator, HandshakeAudit audit) {
        this.validator = validator;
        this.audit = audit;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, Purpose.CLIENT, Optional.empty(), null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, Purpose.CLIENT, Optional.empty(), null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, Purpose.CLIENT, Optional.empty(), engine);
    }

    /** Without a connection there is no host to verify; only for callers that check it themselves. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, Purpose.SERVER, Optional.empty(), null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        Optional<String> host = Optional.empty();
        if (socket instanceof SSLSocket ssl
                && identifiesEndpoint(ssl.getSSLParameters().getEndpointIdentificationAlgorithm())) {
            host = Optional.of(peerHost(
                    ssl.getHandshakeSession(),
                    ssl.getInetAddress() == null ? null : ssl.getInetAddress().getHostName()));
        }
        check(chain, Purpose.SERVER, host, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        Optional<String> host = Optional.empty();
        if (engine != null && identifiesEndpoint(engine.getSSLParameters().getEndpointIdentificationAlgorithm())) {
            host = Optional.of(peerHost(engine.getHandshakeSession(), engine.getPeerHost()));
        }
        check(chain, Purpose.SERVER, host, engine);
    }

    /** The trusted CAs; a server names them in its certificate request. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return validator.trustAnchors().certificates().toArray(new X509Certificate[0]);
    }

    /** The CAs this trust manager accepts chains to. */
    public TrustAnchors trustAnchors() {
        return validator.trustAnchors();
    }

    public RevocationMode revocationMode() {
        return validator.revocationMode();
    }

    private void check(X509Certificate[] chain, Purpose purpose, Optional<String> host, SSLEngine engine)
            throws CertificateException {
        Validation validation = validator.validate(chain == null ? List.of() : List.of(chain), purpose);
        if (validation.isValid() && host.isPresent()) {
            Optional<String> mismatch = HostnameCheck.mismatch(chain[0], host.get());
            if (mismatch.isPresent()) {
                validation = Validation.refused(
                        Reason.HOSTNAME_MISMATCH,
                        validation.subject(),
                        "the server certificate of " + validation.subject() + " does not fit: " + mismatch.get());
            }
        }
        if (!validation.isValid()) {
            audit.certificateRefused(validation, engine);
            throw new CertificateException(validation.code() + ": " + validation.message(), pkixCause(validation));
        }
        if (validation.warning().isPresent()) {
            audit.acceptedWithWarning(validation);
        }
        log.debug("{} certificate accepted: {}", purpose, validation.subject());
    }

    private static boolean identifiesEndpoint(String algorithm) {
        return algorithm != null && !algorithm.isEmpty();
    }

    private static String peerHost(SSLSession handshake, String fallback) {
        String host = handshake == null ? null : handshake.getPeerHost();
        return host != null ? host : fallback == null ? "" : fallback;
    }

    private static CertPathValidatorException pkixCause(Validation validation) {
        CertPathValidatorException.Reason reason = switch (validation.reason()) {
            case EXPIRED -> BasicReason.EXPIRED;
            case NOT_YET_VALID -> BasicReason.NOT_YET_VALID;
            case REVOKED -> BasicReason.REVOKED;
            case REVOCATION_UNKNOWN -> BasicReason.UNDETERMINED_REVOCATION_STATUS;
            case UNTRUSTED_CHAIN -> PKIXReason.NO_TRUST_ANCHOR;
            case WRONG_KEY_USAGE -> PKIXReason.INVALID_KEY_USAGE;
            default -> BasicReason.UNSPECIFIED;
        };
        return new CertPathValidatorException(validation.message(), null, null, -1, reason);
    }
}
