package nl.wmogateway.support.engines;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on loopback between a client (the gateway) and a server (PostgreSQL), which a
 * test can use to take the network away:
 * <ul>
 *   <li>{@link #cut()}: every open connection is closed (the client sees a reset) and new ones are
 *   closed as soon as they are accepted, until {@link #restore()};</li>
 *   <li>{@link #stall()}: connections stay open but no byte passes in either direction, and new
 *   ones are accepted but not forwarded (a network that silently drops packets), until
 *   {@link #restore()}.</li>
 * </ul>
 */
public final class TcpProxy implements AutoCloseable {

    private enum Mode {
        FORWARD,
        CUT,
        STALL
    }

    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile Mode mode = Mode.FORWARD;
    private volatile boolean closed;

    private TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(FreePort.pick(), 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy on a free loopback port forwarding to {@code 127.0.0.1:targetPort}. */
    public static TcpProxy to(int targetPort) {
        try {
            return new TcpProxy(targetPort);
        } catch (IOException e) {
            throw new IllegalStateException("could not open a proxy port", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Closes every forwarded connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        mode = Mode.CUT;
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    /** Lets no byte through, in either direction, until {@link #restore()}; connections stay open. */
    public void stall() {
        mode = Mode.STALL;
    }

    /** Forwards again. */
    public void restore() {
        synchronized (gate) {
            mode = Mode.FORWARD;
            gate.notifyAll();
        }
    }

    /** How many forwarded connections are open now. */
    public int openConnections() {
        return open.size() / 2;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        open.forEach(TcpProxy::closeQuietly);
        restore();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (mode == Mode.CUT) {
                closeQuietly(client);
                continue;
            }
            Thread connect = new Thread(() -> forward(client), "tcp-proxy-connect");
            connect.setDaemon(true);
            connect.start();
        }
    }

    private void forward(Socket client) {
        awaitForwarding();
        if (mode == Mode.CUT || closed) {
            closeQuietly(client);
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            awaitForwarding();
                            if (mode == Mode.CUT) {
                                break;
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (SocketException e) {
                        // closed by a cut or by either side
                    } catch (IOException e) {
                        // the same: the connection is over
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        open.remove(from);
                        open.remove(to);
                    }
                },
                "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void awaitForwarding() {
        synchronized (gate) {
            while (mode == Mode.STALL && !closed) {
                try {
                    gate.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public String toString() {
        return "proxy 127.0.0.1:" + port() + " -> 127.0.0.1:" + targetPort + " (" + mode + ")";
    }
}
