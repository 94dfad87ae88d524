package io.searchloop.trainer.store;

import io.searchloop.schemas.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The retrain trigger's state per model ({@code trainer_state}): how far the pairs are trained
 * through, and an open retrain request.
 */
public final class TriggerStateRepository {
    private final DatabaseUrl database;

    TriggerStateRepository(DatabaseUrl database) {
        this.database = database;
    }

    /** The model's state, created empty on first use. */
    public TrainerState state(String model) throws SQLException {
        try (Connection c = database.connect()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO trainer_state (model_name) VALUES (?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, model);
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT trained_through_seq, last_trained_at, retrain_requested_at, retrain_reason FROM trainer_state WHERE model_name = ?")) {
                ps.setString(1, model);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new TrainerState(
                            rs.getLong(1),
                            Jdbc.instant(rs.getTimestamp(2)),
                            Jdbc.instant(rs.getTimestamp(3)),
                            rs.getString(4));
                }
            }
        }
    }

    public void requestRetrain(String model, String reason, Instant at) throws SQLException {
        state(model);
        try (Connection c = database.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE trainer_state SET retrain_requested_at = ?, retrain_reason = ? WHERE model_name = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, reason);
            ps.setString(3, model);
            ps.executeUpdate();
        }
    }

    /**
     * Records a finished round on {@code c}'s transaction: pairs up to {@code throughSeq} are
     * trained on; a request made before {@code startedAt} is served.
     */
    static void markTrained(
            Connection c, String model, long throughSeq, Instant startedAt, Instant finishedAt)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                UPDATE trainer_state SET trained_through_seq = greatest(trained_through_seq, ?), last_trained_at = ?,
                    retrain_requested_at = CASE WHEN retrain_requested_at <= ? THEN NULL ELSE retrain_requested_at END
                WHERE model_name = ?""")) {
            ps.setLong(1, throughSeq);
            ps.setTimestamp(2, Timestamp.from(finishedAt));
            ps.setTimestamp(3, Timestamp.from(startedAt));
            ps.setString(4, model);
            ps.executeUpdate();
        }
    }
}
