package nl.wmogateway.trust;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * An {@link SSLEngine} that does everything its delegate does and tells the {@link HandshakeAudit}
 * when a handshake fails: the first {@link SSLException} before the handshake finished, or a
 * handshake exception afterwards (a refused renegotiation). One report per engine at most.
 *
 * <p>On the server side it also refuses a TLS 1.2 client that starts a second handshake
 * (client-initiated renegotiation). JSSE does that itself when
 * {@code jdk.tls.rejectClientInitiatedRenegotiation} is true, but reads that property only once per
 * JVM, at the first server handshake; this makes the refusal independent of when that was.
 */
final class AuditingSslEngine extends SSLEngine {

    private final SSLEngine delegate;
    private final HandshakeAudit audit;
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile boolean handshakeFinished;

    AuditingSslEngine(SSLEngine delegate, HandshakeAudit audit) {
        super(delegate.getPeerHost(), delegate.getPeerPort());
        this.delegate = delegate;
        this.audit = audit;
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        try {
            return observe(delegate.wrap(srcs, offset, length, dst));
        } catch (SSLException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
        try {
            return observe(delegate.wrap(src, dst));
        } catch (SSLException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, ByteBuffer dst) throws SSLException {
        try {
            return observe(delegate.wrap(srcs, dst));
        } catch (SSLException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        try {
            return refuseRenegotiation(observe(delegate.unwrap(src, dsts, offset, length)));
        } catch (SSLException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
        try {
            return refuseRenegotiation(observe(delegate.unwrap(src, dst)));
        } catch (SSLException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts) throws SSLException {
        try {
            return refuseRenegotiation(observe(delegate.unwrap(src, dsts)));
        } catch (SSLException e) {
            failed(e);
            throw e;
        }
    }

    private SSLEngineResult observe(SSLEngineResult result) {
        if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            handshakeFinished = true;
        }
        return result;
    }

    /**
     * After a finished TLS 1.2 handshake the only handshake message a client can send is a new
     * ClientHello, so a server engine that wants to handshake again after reading is being asked to
     * renegotiate. (TLS 1.3 has post-handshake messages, but no renegotiation.)
     */
    private SSLEngineResult refuseRenegotiation(SSLEngineResult result) throws SSLException {
        HandshakeStatus status = result.getHandshakeStatus();
        if (handshakeFinished
                && !delegate.getUseClientMode()
                && result.getStatus() == SSLEngineResult.Status.OK
                && status != HandshakeStatus.NOT_HANDSHAKING
                && status != HandshakeStatus.FINISHED
                && !"TLSv1.3".equals(delegate.getSession().getProtocol())) {
            delegate.closeOutbound();
            SSLHandshakeException refused = new SSLHandshakeException("Client initiated renegotiation is not allowed");
            failed(refused);
            throw refused;
        }
        return result;
    }

    private void failed(SSLException e) {
        if ((!handshakeFinished || e instanceof SSLHandshakeException) && reported.compareAndSet(false, true)) {
            audit.handshakeFailed(delegate, e);
        }
    }

    @Override
    public Runnable getDelegatedTask() {
        return delegate.getDelegatedTask();
    }

    @Override
    public void closeInbound() throws SSLException {
        delegate.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
        return delegate.isInboundDone();
    }

    @Override
    public void closeOutbound() {
        delegate.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
        return delegate.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return delegate.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        delegate.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return delegate.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return delegate.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        delegate.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return delegate.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return delegate.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
        delegate.beginHandshake();
    }

    @Override
    public HandshakeStatus getHandshakeStatus() {
        return delegate.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        delegate.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return delegate.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        delegate.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return delegate.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        delegate.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return delegate.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        delegate.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return delegate.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return delegate.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        delegate.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
        return delegate.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return delegate.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        delegate.setHandshakeApplicationProtocolSelector(
                selector == null ? null : (engine, protocols) -> selector.apply(this, protocols));
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return delegate.getHandshakeApplicationProtocolSelector();
    }

    @Override
    public String toString() {
        return "AuditingSslEngine[" + delegate + "]";
    }
}
