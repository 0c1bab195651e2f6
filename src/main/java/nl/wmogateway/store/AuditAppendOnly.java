package nl.wmogateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * H2's guard of the audit trail (db/vendor/h2): a chained audit record is never updated, and
 * deleted only once the retention purge moved the start of the chain past it
 * ({@code audit_head.purged_seq}). A record from before the chain may get its pseudonym instead of
 * the BSN, nothing else. PostgreSQL has the same rule as a PL/pgSQL trigger (db/vendor/postgresql).
 * The hash chain finds any change that bypasses this, e.g. by someone who drops the trigger.
 */
public final class AuditAppendOnly implements Trigger {

    private int seq = -1;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
            throws SQLException {
        try (PreparedStatement s = conn.prepareStatement("select ordinal_position from information_schema.columns "
                + "where table_schema = ? and table_name = ? and column_name = 'SEQ'")) {
            s.setString(1, schemaName);
            s.setString(2, tableName);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("audit_event has no column seq");
                }
                seq = r.getInt(1) - 1;
            }
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        Object oldSeq = oldRow[seq];
        if (newRow != null) {
            if (oldSeq == null && newRow[seq] == null) {
                return;
            }
            throw new SQLException("audit_event is append-only: record " + oldSeq + " cannot be changed", "42501");
        }
        if (oldSeq == null) {
            return;
        }
        try (PreparedStatement s = conn.prepareStatement("select purged_seq from audit_head where id = 1");
                ResultSet r = s.executeQuery()) {
            long purged = r.next() ? r.getLong(1) : 0;
            if (((Number) oldSeq).longValue() > purged) {
                throw new SQLException(
                        "audit_event is append-only: record " + oldSeq
                                + " can only be removed by the retention purge, from the start of the chain",
                        "42501");
            }
        }
    }
}
