package io.searchloop.trainer.store;

import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.outbox.OutboxRelay;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The model-version events not yet published ({@code model_version_outbox}): one row per status
 * change, written by {@link VersionRepository} in the change's transaction and read by {@link
 * OutboxRelay}.
 */
public final class VersionOutbox implements OutboxRelay.Outbox<VersionRow> {
    private final DatabaseUrl database;

    VersionOutbox(DatabaseUrl database) {
        this.database = database;
    }

    /**
     * The oldest unsent events, in the order they were recorded: each the version as it was at that
     * change.
     */
    @Override
    public List<OutboxRelay.Pending<VersionRow>> unsent(int limit) throws SQLException {
        List<OutboxRelay.Pending<VersionRow>> out = new ArrayList<>();
        try (Connection c = database.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                SELECT o.id, v.model_name, v.version, v.version_number, v.parent_version, v.base_model, v.artifact_uri, v.sha256, o.status, o.reason,
                       v.metrics::text, v.pair_count, v.created_at, o.at
                FROM model_version_outbox o JOIN model_versions v ON v.model_name = o.model_name AND v.version = o.version
                WHERE o.sent_at IS NULL ORDER BY o.id LIMIT ?""")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutboxRelay.Pending<>(rs.getLong(1), VersionRepository.row(rs, 2)));
                }
            }
        }
        return out;
    }

    /** Outbox rows not yet published (for a gauge). */
    public long unsentCount() throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FROM model_version_outbox WHERE sent_at IS NULL");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void markSent(long outboxId) throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE model_version_outbox SET sent_at = now() WHERE id = ?")) {
            ps.setLong(1, outboxId);
            ps.executeUpdate();
        }
    }
}
