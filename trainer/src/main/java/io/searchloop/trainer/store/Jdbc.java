package io.searchloop.trainer.store;

import io.searchloop.schemas.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** What the trainer's repositories share: one transaction on one connection, nullable times. */
final class Jdbc {
    private Jdbc() {}

    @FunctionalInterface
    interface Work {
        void run(Connection c) throws SQLException;
    }

    /** Runs {@code work} on one connection and commits it, or rolls it all back. */
    static void inTransaction(DatabaseUrl database, Work work) throws SQLException {
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
