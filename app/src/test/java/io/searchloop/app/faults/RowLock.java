package io.searchloop.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A row lock held by a fault-injection test in an open transaction, so that the service's write of
 * that row waits for it: the way to catch a write in progress rather than an idle connection.
 */
final class RowLock implements AutoCloseable {
    private final Connection connection;
    private final int pid;

    private RowLock(Connection connection, int pid) {
        this.connection = connection;
        this.pid = pid;
    }

    /**
     * Locks the row of {@code table} whose {@code column} is {@code key} (names from the test,
     * never from input).
     */
    static RowLock take(FaultRig rig, String table, String column, String key) throws SQLException {
        Connection c = rig.db.url().connect();
        try {
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT 1 FROM " + table + " WHERE " + column + " = ? FOR UPDATE")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as("row %s of %s to lock", key, table).isTrue();
                }
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return new RowLock(c, rs.getInt(1));
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** A backend waiting for this lock: its pid and statement. */
    record Blocked(int pid, String statement) {
        @Override
        public String toString() {
            return pid
                    + ": "
                    + statement
                            .substring(0, Math.min(40, statement.length()))
                            .replaceAll("\\s+", " ");
        }
    }

    /**
     * Waits (up to 60 s) until a backend is blocked on this lock running a statement that starts
     * with {@code statement}.
     */
    Blocked awaitBlockedWriter(FaultRig rig, String statement) {
        Blocked[] blocked = new Blocked[1];
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> {
                            try (Connection c = rig.db.url().connect();
                                    PreparedStatement ps =
                                            c.prepareStatement(
                                                    "SELECT pid, query FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid)) AND state = 'active'")) {
                                ps.setInt(1, pid);
                                try (ResultSet rs = ps.executeQuery()) {
                                    if (rs.next()) {
                                        blocked[0] =
                                                new Blocked(rs.getInt(1), rs.getString(2).strip());
                                    }
                                    return blocked[0] != null;
                                }
                            }
                        });
        assertThat(blocked[0].statement())
                .as("the statement blocked on the test's lock")
                .startsWith(statement);
        return blocked[0];
    }

    /**
     * Waits for a writer blocked on this lock (see {@link #awaitBlockedWriter}), terminates its
     * backend and waits until it is gone.
     */
    Blocked terminateBlockedWriter(FaultRig rig, String statement) throws SQLException {
        Blocked blocked = awaitBlockedWriter(rig, statement);
        try (Connection c = rig.db.url().connect();
                PreparedStatement ps =
                        c.prepareStatement("SELECT pg_terminate_backend(?, 10000)")) {
            ps.setInt(1, blocked.pid());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("backend %s terminated", blocked.pid()).isTrue();
            }
        }
        return blocked;
    }

    void release() throws SQLException {
        connection.rollback();
    }

    @Override
    public void close() throws SQLException {
        connection.rollback();
        connection.close();
    }
}
