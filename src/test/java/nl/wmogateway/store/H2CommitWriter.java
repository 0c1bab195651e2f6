package nl.wmogateway.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * Child process of {@link H2DurabilityTest}: commits one row at a time into an H2 file database
 * and prints each id once its commit returned (the moment the gateway would acknowledge).
 * Arguments: the JDBC URL, and {@code durable} or {@code default}.
 */
public final class H2CommitWriter {

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], "sa", "")) {
            if ("durable".equals(args[1])) {
                Durability.apply(c);
            }
            c.createStatement().execute("create table if not exists acked (id int primary key)");
            try (PreparedStatement ps = c.prepareStatement("insert into acked (id) values (?)")) {
                for (int i = 0; i < 1_000_000; i++) {
                    ps.setInt(1, i);
                    ps.executeUpdate();
                    System.out.println("acked " + i);
                    System.out.flush();
                }
            }
        }
    }
}
