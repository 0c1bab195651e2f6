package nl.wmogateway.intake;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Optional;
import nl.wmogateway.store.MessageStore;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stores every body a partner POSTs or PUTs, exactly as received and before anything parses it, so
 * that even a message that cannot be read is kept for inspection and never lost. Bodies over the
 * iWmo limit of 25 MB are refused unread.
 */
public class InboundCaptureFilter extends OncePerRequestFilter {

    public static final String INBOUND_ID = "wmo.inboundId";
    /** The exact bytes received, for signature checks. */
    public static final String INBOUND_BODY = "wmo.inboundBody";
    public static final int MAX_BODY_BYTES = 25 * 1024 * 1024;

    private final MessageStore store;
    private final String channel;

    public InboundCaptureFilter(MessageStore store, String channel) {
        this.store = store;
        this.channel = channel;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"POST".equals(request.getMethod()) && !"PUT".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            response.sendError(413, "messages are limited to 25 MB");
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            response.sendError(413, "messages are limited to 25 MB");
            return;
        }
        String inboundId = store.saveInbound(channel, sender(request), request.getContentType(), body);
        request.setAttribute(INBOUND_ID, inboundId);
        request.setAttribute(INBOUND_BODY, body);
        chain.doFilter(new CachedBodyRequest(request, body), response);
        if (store.inbound(inboundId).map(m -> "RECEIVED".equals(m.outcome())).orElse(false)) {
            // never reached the intake route: unparseable, wrong endpoint, ...
            store.inboundOutcome(inboundId, "HTTP " + response.getStatus(), Optional.empty(), Optional.empty());
        }
    }

    private static String sender(HttpServletRequest request) {
        Object chain = request.getAttribute(CallerResolver.CERTIFICATE_ATTRIBUTE);
        if (chain instanceof X509Certificate[] certs && certs.length > 0) {
            return certs[0].getSubjectX500Principal().getName();
        }
        return "(no client certificate)";
    }

    private static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            Charset cs = getCharacterEncoding() == null ? StandardCharsets.UTF_8 : Charset.forName(getCharacterEncoding());
            return new BufferedReader(new InputStreamReader(getInputStream(), cs));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
