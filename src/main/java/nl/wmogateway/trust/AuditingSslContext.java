package nl.wmogateway.trust;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} whose {@link SSLEngine}s report failed handshakes to a
 * {@link HandshakeAudit}: for servers built on engines (Tomcat's NIO connector, the JDK
 * HttpsServer), so that a client refused before any certificate is looked at (an old protocol
 * version, only weak cipher suites, no certificate at all) is audited as well. Sockets made from
 * its factories are not audited.
 */
final class AuditingSslContext {

    private AuditingSslContext() {}

    /** {@code context}, already initialised, with auditing engines. */
    public static SSLContext wrap(SSLContext context, HandshakeAudit audit) {
        return new SSLContext(new Spi(context, audit), context.getProvider(), context.getProtocol()) {};
    }

    private static final class Spi extends SSLContextSpi {

        private final SSLContext delegate;
        private final HandshakeAudit audit;

        Spi(SSLContext delegate, HandshakeAudit audit) {
            this.delegate = delegate;
            this.audit = audit;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("this context is initialised already");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return new AuditingSslEngine(delegate.createSSLEngine(), audit);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return new AuditingSslEngine(delegate.createSSLEngine(host, port), audit);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }
}
