package io.searchloop.embedder.index;

import io.searchloop.events.IndexActivated;
import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.outbox.OutboxRelay;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedder's outbox ({@code index_event_outbox}): every switch of the active pointer records
 * its {@link IndexActivated} event in the switching transaction ({@link #record}), so the pointer
 * never moves unannounced; an {@link OutboxRelay} reads the events back here, oldest first, and
 * marks each sent once the broker acknowledged it.
 */
public final class ActivationOutbox implements OutboxRelay.Outbox<IndexActivated> {
    private final DatabaseUrl database;

    public ActivationOutbox(DatabaseUrl database) {
        this.database = database;
    }

    /**
     * Adds the event of a switch to {@code index} on {@code c}, inside the caller's transaction.
     */
    static void record(
            Connection c, IndexInfo index, long itemCount, long durationMillis, Instant at)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO index_event_outbox (model_name, model_version, item_count, duration_millis, activated_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, index.modelName());
            ps.setString(2, index.modelVersion());
            ps.setLong(3, itemCount);
            ps.setLong(4, durationMillis);
            ps.setTimestamp(5, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    @Override
    public List<OutboxRelay.Pending<IndexActivated>> unsent(int limit) throws SQLException {
        List<OutboxRelay.Pending<IndexActivated>> out = new ArrayList<>();
        try (Connection c = database.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                SELECT id, model_name, model_version, item_count, duration_millis, activated_at
                FROM index_event_outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?""")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new OutboxRelay.Pending<>(
                                    rs.getLong(1),
                                    IndexActivated.newBuilder()
                                            .setModelName(rs.getString(2))
                                            .setModelVersion(rs.getString(3))
                                            .setItemCount(rs.getLong(4))
                                            .setDurationMillis(rs.getLong(5))
                                            .setActivatedAt(rs.getTimestamp(6).toInstant())
                                            .build()));
                }
            }
        }
        return out;
    }

    @Override
    public void markSent(long id) throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE index_event_outbox SET sent_at = now() WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }
}
