package nl.wmogateway.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * A lease in the database for work that one gateway instance at a time should do, such as a
 * scheduled job: whoever holds the named lock until a moment in the future runs it; when that
 * instance stops, the lease runs out and another one takes over. Works the same on H2 and PostgreSQL.
 */
@Repository
public class ClusterLock {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public ClusterLock(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Takes or extends the lock for {@code hold}; true when this owner holds it now. An owner that
     * already holds it keeps it (and extends it).
     */
    public boolean tryAcquire(String name, String owner, Duration hold) {
        Instant now = clock.instant();
        int n = jdbc.update(
                "update gateway_lock set owner = ?, locked_until = ? where name = ? and (owner = ? or locked_until < ?)",
                owner,
                Timestamp.from(now.plus(hold)),
                name,
                owner,
                Timestamp.from(now));
        if (n == 1) {
            return true;
        }
        try {
            jdbc.update(
                    "insert into gateway_lock (name, owner, locked_until) values (?, ?, ?)",
                    name,
                    owner,
                    Timestamp.from(now.plus(hold)));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** Gives the lock up early (on a clean shutdown), so another instance need not wait for it to run out. */
    public void release(String name, String owner) {
        jdbc.update(
                "update gateway_lock set locked_until = ? where name = ? and owner = ?",
                Timestamp.from(clock.instant().minusSeconds(1)),
                name,
                owner);
    }
}
