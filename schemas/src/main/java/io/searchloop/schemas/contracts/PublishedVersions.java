package io.searchloop.schemas.contracts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The trainer's contract with readers of its version history: the view {@code
 * published_model_versions}.
 */
public final class PublishedVersions {
    private PublishedVersions() {}

    /**
     * One version as the trainer last recorded it; {@code metricsJson} is the evaluation, a JSON
     * object.
     */
    public record Version(
            String version,
            String status,
            String reason,
            String metricsJson,
            long pairCount,
            Instant createdAt,
            Instant updatedAt) {}

    /**
     * Every version of {@code model}, oldest first; empty when the trainer's tables are not in this
     * database.
     */
    public static List<Version> read(Connection c, String model) throws SQLException {
        List<Version> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT version, status, reason, metrics::text, pair_count, created_at, updated_at "
                                + "FROM published_model_versions WHERE model_name = ? ORDER BY version_number")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new Version(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getLong(5),
                                    rs.getTimestamp(6).toInstant(),
                                    rs.getTimestamp(7).toInstant()));
                }
            }
        } catch (SQLException e) {
            if (!OwnerTables.notYetCreated(e, "published_model_versions")) {
                throw e;
            }
        }
        return out;
    }
}
