package nl.wmogateway.inbound;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

/**
 * What happens to the body of a request that is refused: it is read past and thrown away, within a
 * size and time bound, so that the answer reaches a client that is still sending instead of being
 * overtaken by a connection reset. Beyond the bounds, or when the client waits for
 * {@code 100-continue}, the body is not read and the connection is closed after the answer.
 */
public final class RefusedBody {

    private RefusedBody() {}

    /**
     * Reads past a body that has not been touched yet; true when the answer can be sent on an open
     * connection, false when the caller should add {@code Connection: close}.
     */
    public static boolean readPastUnread(HttpServletRequest request, long atMost, Duration timeout) {
        boolean waitsForContinue = "100-continue"
                .equalsIgnoreCase(
                        Optional.ofNullable(request.getHeader("Expect")).orElse(""));
        return !waitsForContinue && request.getContentLengthLong() <= atMost && readPast(request, atMost, timeout);
    }

    /** Reads and throws away the rest of the body; true when it ended within the bounds. */
    public static boolean readPast(HttpServletRequest request, long atMost, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[16 * 1024];
        long discarded = 0;
        try {
            InputStream in = request.getInputStream();
            int n;
            while ((n = in.read(buffer)) != -1) {
                discarded += n;
                if (discarded > atMost || System.nanoTime() > deadline) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false; // the client has gone
        }
    }
}
