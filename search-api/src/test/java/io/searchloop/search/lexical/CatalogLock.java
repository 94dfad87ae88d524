package io.searchloop.search.lexical;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Holds an exclusive lock on the embedder's catalog table in an open transaction, so that a read of
 * the catalog view waits (as behind a slow or unreachable database) until {@link #close}.
 */
public final class CatalogLock implements AutoCloseable {
    private final Connection c;

    public CatalogLock(Connection c) throws SQLException {
        this.c = c;
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE catalog_items IN ACCESS EXCLUSIVE MODE");
        }
    }

    /** Statements reading the catalog view that wait for a lock. */
    public int readersWaiting() throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type ="
                                        + " 'Lock' AND query LIKE '%FROM search_catalog%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            c.rollback();
        } finally {
            c.close();
        }
    }
}
