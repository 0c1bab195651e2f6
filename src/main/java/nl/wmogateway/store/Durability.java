package nl.wmogateway.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Makes sure that what the gateway acknowledges is on disk: every acknowledgement (201 to an EHR,
 * 200 to a gemeente, a retour accepted) is given after a commit, so a commit must be durable.
 * <ul>
 * <li><b>H2</b> keeps commits in memory for up to half a second by default ({@code WRITE_DELAY}
 * 500 ms); a process killed in that window loses transactions it had already committed. The
 * gateway sets {@code WRITE_DELAY 0}, so each commit is written to the file before it returns
 * (a setting stored in the database file). That survives a killed process; for power loss, use
 * PostgreSQL.</li>
 * <li><b>PostgreSQL</b> is durable unless {@code fsync} or {@code synchronous_commit} is switched
 * off on the server; the gateway refuses to start then.</li>
 * </ul>
 * Runs before the web server opens its port and before any delivery starts.
 */
@Component
class Durability implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(Durability.class);

    private final DataSource dataSource;

    public Durability(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            apply(c);
        }
    }

    /** Applies (H2) or checks (PostgreSQL) durable commits on this connection's database. */
    public static void apply(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName();
        if (product.toLowerCase(Locale.ROOT).contains("h2")) {
            try (Statement s = c.createStatement()) {
                s.execute("SET WRITE_DELAY 0");
            }
            log.info("H2: every commit is written to disk before it is acknowledged (WRITE_DELAY 0)");
        } else if (product.toLowerCase(Locale.ROOT).contains("postgres")) {
            List<String> problems = new ArrayList<>();
            for (String setting : List.of("fsync", "synchronous_commit")) {
                String value = show(c, setting);
                if ("off".equalsIgnoreCase(value)) {
                    problems.add(setting + " is off");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("PostgreSQL would lose acknowledged requests after a crash: " + problems
                        + "; turn these settings on for the gateway's database");
            }
            log.info("PostgreSQL: fsync and synchronous_commit are on");
        } else {
            log.warn("database {}: the gateway cannot check that commits are durable; make sure they are", product);
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("show " + setting)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }
}
