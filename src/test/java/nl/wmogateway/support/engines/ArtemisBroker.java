package nl.wmogateway.support.engines;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * An ActiveMQ Artemis broker in a JVM of its own ({@link ArtemisBrokerMain}), on a free loopback
 * port, with a persistent journal and a user with a random password. It can be killed (SIGKILL)
 * and restarted on the same journal and port, as an operator's broker would crash and come back.
 *
 * <pre>
 * ArtemisBroker broker = ArtemisBroker.start("broker");   // waits until it accepts a login
 * broker.brokerUrl();                                      // tcp://127.0.0.1:port
 * broker.kill(); broker.restart(); broker.stop();
 * </pre>
 */
public final class ArtemisBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final int port;
    private final String user = "wmo_gateway";
    private final String password = UUID.randomUUID().toString();
    private final JavaProcess process;

    private ArtemisBroker(String name, Path dir) {
        this.port = FreePort.pick();
        this.process = new JavaProcess(
                name,
                dir,
                dir.resolve(name + ".log"),
                List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"),
                ArtemisBrokerMain.class.getName(),
                List.of(Integer.toString(port), dir.resolve("data").toString()),
                Map.of(ArtemisBrokerMain.USER_ENV, user, ArtemisBrokerMain.PASSWORD_ENV, password));
    }

    /** Starts a new broker with an empty journal in a new directory under target/engines, and waits until it is up. */
    public static ArtemisBroker start(String name) {
        ArtemisBroker broker = new ArtemisBroker(name, EngineFiles.newDir(name));
        broker.restart();
        return broker;
    }

    public String brokerUrl() {
        return "tcp://127.0.0.1:" + port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return process.log();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** kill -9: whatever was not synced to the journal is gone, connected clients see the connection drop. */
    public void kill() {
        process.kill9();
    }

    /** Starts the broker (again) on the same port and journal and waits until it accepts a login. */
    public void restart() {
        process.start();
        awaitReady();
    }

    /** A graceful stop (SIGTERM). */
    public void stop() {
        process.stop(Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        JMSException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "broker " + process.name() + " exited while starting:\n" + process.logTail(40));
            }
            try (ActiveMQConnectionFactory factory =
                            new ActiveMQConnectionFactory(brokerUrl() + "?connectionTTL=10000", user, password);
                    Connection connection = factory.createConnection()) {
                connection.start();
                return;
            } catch (JMSException e) {
                last = e;
            }
            sleep(200);
        }
        throw new IllegalStateException("broker " + process.name() + " not ready within " + START_TIMEOUT
                + (last == null ? "" : " (" + last.getMessage() + ")") + ":\n" + process.logTail(40));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "Artemis broker " + process.name() + " at " + brokerUrl();
    }
}
