package io.searchloop.trainer.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The PostgreSQL advisory lock that makes one trainer instance the one training a model. */
public final class TrainerLock {
    private TrainerLock() {}

    /**
     * Tries to become the one trainer of {@code model} across instances; the lock lives as long as
     * {@code c}.
     */
    public static boolean tryLock(Connection c, String model) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            ps.setString(1, "searchloop-trainer:" + model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
