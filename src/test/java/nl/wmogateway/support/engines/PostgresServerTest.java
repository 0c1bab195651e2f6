package nl.wmogateway.support.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    private final PostgresServer postgres = PostgresServer.shared();

    @Test
    void everyNewDatabaseIsEmptyAndItsOwn() throws SQLException {
        String first = postgres.newDatabase("gateway");
        String second = postgres.newDatabase("gateway");
        assertThat(first).isNotEqualTo(second);
        try (Connection c = login(first);
                Statement s = c.createStatement()) {
            s.execute("create table t (id int)");
        }
        try (Connection c = login(second);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select count(*) from information_schema.tables where table_name = 't'")) {
            r.next();
            assertThat(r.getInt(1)).isZero();
        }
    }

    @Test
    void theGatewaysRoleNeedsItsPassword() {
        String url = postgres.newDatabase("gateway");
        assertThatThrownBy(() -> DriverManager.getConnection(url, postgres.username(), "wrong")
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void theGatewaysRoleIsNoSuperuser() throws SQLException {
        try (Connection c = login(postgres.newDatabase("gateway"));
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select rolsuper from pg_roles where rolname = current_user")) {
            r.next();
            assertThat(r.getBoolean(1)).isFalse();
        }
    }

    private Connection login(String url) throws SQLException {
        return DriverManager.getConnection(url, postgres.username(), postgres.password());
    }
}
