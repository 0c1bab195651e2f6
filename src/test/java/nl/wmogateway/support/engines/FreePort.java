package nl.wmogateway.support.engines;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP port on loopback that is free now. The engines keep their port across restarts, so it is
 * taken below Linux's ephemeral range (32768 and up): there no outgoing connection of another
 * process can occupy it while an engine is down.
 */
final class FreePort {

    private FreePort() {}

    static int pick() {
        for (int i = 0; i < 200; i++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 32000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000 on loopback");
    }
}
