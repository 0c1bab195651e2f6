package nl.wmogateway.support.engines;

import ch.qos.logback.classic.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Set;
import nl.wmogateway.delivery.Queues;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;
import org.slf4j.LoggerFactory;

/**
 * A stand-alone ActiveMQ Artemis broker, the process {@link ArtemisBroker} starts: core protocol
 * over TCP on one loopback port, a persistent journal in the given directory, one user, and the
 * address settings an operator gives an external broker for the gateway (docs/configuration.md),
 * with the test suite's short delays.
 *
 * <pre>ArtemisBrokerMain &lt;port&gt; &lt;data directory&gt;</pre>
 * with the user and password in the environment ({@value #USER_ENV}, {@value #PASSWORD_ENV}).
 * Prints {@value #READY} once it accepts connections; stops on SIGTERM.
 */
public final class ArtemisBrokerMain {

    static final String USER_ENV = "WMO_TEST_BROKER_USER";
    static final String PASSWORD_ENV = "WMO_TEST_BROKER_PASSWORD";
    static final String READY = "artemis broker ready";

    private ArtemisBrokerMain() {}

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.INFO);
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]);
        String user = System.getenv(USER_ENV);
        String password = System.getenv(PASSWORD_ENV);
        if (user == null || password == null) {
            throw new IllegalArgumentException(USER_ENV + " and " + PASSWORD_ENV + " must be set");
        }

        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("wmo-test-broker");
        config.setPersistenceEnabled(true);
        // NIO: no native library; every transactional commit is synced to disk before it is acknowledged
        config.setJournalType(JournalType.NIO);
        config.setJournalSyncTransactional(true);
        config.setJournalSyncNonTransactional(true);
        config.setJournalDirectory(data.resolve("journal").toString());
        config.setBindingsDirectory(data.resolve("bindings").toString());
        config.setPagingDirectory(data.resolve("paging").toString());
        config.setLargeMessagesDirectory(data.resolve("large-messages").toString());
        config.setNodeManagerLockDirectory(data.toString());
        config.setJournalFileSize(1024 * 1024);
        config.setJournalMinFiles(2);
        config.setJMXManagementEnabled(false);
        // a shared 2-core machine stalls threads now and then; the analyser would stop the broker for it
        config.setCriticalAnalyzer(false);
        config.setMaxDiskUsage(100);
        config.addAcceptorConfiguration("core", "tcp://127.0.0.1:" + port + "?protocols=CORE");
        config.setSecurityEnabled(true);
        config.putSecurityRoles(
                "#", Set.of(new Role("wmo", true, true, true, true, true, true, true, true, true, true, true, true)));
        config.addAddressSetting(
                Queues.ALL,
                new AddressSettings()
                        .setRedeliveryDelay(200)
                        .setRedeliveryMultiplier(2.0)
                        .setMaxRedeliveryDelay(1000)
                        .setMaxDeliveryAttempts(55)
                        .setDeadLetterAddress(SimpleString.of(Queues.DEAD_LETTER)));

        EmbeddedActiveMQ broker =
                new EmbeddedActiveMQ().setConfiguration(config).setSecurityManager(new OneUser(user, password));
        broker.start();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                broker.stop();
                            } catch (Exception e) {
                                System.err.println("broker did not stop cleanly: " + e);
                            }
                        },
                        "broker-stop"));
        System.out.println(READY + " on 127.0.0.1:" + port);
        System.out.flush();
        Thread.currentThread().join();
    }

    /** One user with every permission (role {@code wmo}); everyone else is refused. */
    private record OneUser(String user, String password) implements ActiveMQSecurityManager {

        @Override
        public boolean validateUser(String u, String p) {
            return u != null
                    && p != null
                    && user.equals(u)
                    && MessageDigest.isEqual(
                            password.getBytes(StandardCharsets.UTF_8), p.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean validateUserAndRole(String u, String p, Set<Role> roles, CheckType checkType) {
            return validateUser(u, p)
                    && roles.stream().anyMatch(r -> "wmo".equals(r.getName()) && checkType.hasRole(r));
        }
    }
}
