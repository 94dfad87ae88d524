package io.searchloop.trainer.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.searchloop.events.ModelStatus;
import io.searchloop.schemas.config.DatabaseUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The model versions ({@code model_versions}), their status history ({@code model_version_history})
 * and the reserved version numbers ({@code model_version_reservations}). Every status change writes
 * its history row and its {@link VersionOutbox} row in the same transaction.
 */
public final class VersionRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DatabaseUrl database;

    VersionRepository(DatabaseUrl database) {
        this.database = database;
    }

    /**
     * Reserves the next version number before its artifact is written: one more than any version
     * recorded or reserved before, so a round that died after writing {@code vN/} and before
     * recording it never hands out {@code vN} again.
     */
    public int reserveNumber(String model) throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                INSERT INTO model_version_reservations (model_name, version_number)
                SELECT ?, greatest((SELECT coalesce(max(version_number), 0) FROM model_versions WHERE model_name = ?),
                                   (SELECT coalesce(max(version_number), 0) FROM model_version_reservations WHERE model_name = ?)) + 1
                RETURNING version_number""")) {
            ps.setString(1, model);
            ps.setString(2, model);
            ps.setString(3, model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Records a new version (and its outbox event) in one transaction. */
    public void insert(VersionRow v) throws SQLException {
        Jdbc.inTransaction(database, c -> insert(c, v));
    }

    /** Moves a version to {@code status}, with its history and outbox rows, in one transaction. */
    public void updateStatus(
            String model, String version, ModelStatus status, String reason, Instant at)
            throws SQLException {
        Jdbc.inTransaction(database, c -> updateStatus(c, model, version, status, reason, at));
    }

    /** A status change, for {@link #updateStatuses}. */
    public record StatusChange(String version, ModelStatus status, String reason) {}

    /**
     * Several status changes of one model (a rollback: the current version out, the target in) in
     * one transaction.
     */
    public void updateStatuses(String model, List<StatusChange> changes, Instant at)
            throws SQLException {
        Jdbc.inTransaction(
                database,
                c -> {
                    for (StatusChange change : changes) {
                        updateStatus(
                                c, model, change.version(), change.status(), change.reason(), at);
                    }
                });
    }

    /** The version search should use: the most recently promoted one still PROMOTED. */
    public Optional<VersionRow> production(String model) throws SQLException {
        return all(model).stream()
                .filter(v -> v.status() == ModelStatus.PROMOTED)
                .max(Comparator.comparing(VersionRow::updatedAt));
    }

    public Optional<VersionRow> find(String model, String version) throws SQLException {
        return all(model).stream().filter(v -> v.version().equals(version)).findFirst();
    }

    /** The model's versions, oldest first. */
    public List<VersionRow> all(String model) throws SQLException {
        List<VersionRow> out = new ArrayList<>();
        try (Connection c = database.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                SELECT model_name, version, version_number, parent_version, base_model, artifact_uri, sha256, status, reason,
                       metrics::text, pair_count, created_at, updated_at
                FROM model_versions WHERE model_name = ? ORDER BY version_number""")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs, 1));
                }
            }
        }
        return out;
    }

    /**
     * A version read from the 13 columns starting at {@code first}, in the order of {@link
     * VersionRow}'s components.
     */
    static VersionRow row(ResultSet rs, int first) throws SQLException {
        return new VersionRow(
                rs.getString(first),
                rs.getString(first + 1),
                rs.getInt(first + 2),
                rs.getString(first + 3),
                rs.getString(first + 4),
                rs.getString(first + 5),
                rs.getString(first + 6),
                ModelStatus.valueOf(rs.getString(first + 7)),
                rs.getString(first + 8),
                metrics(rs.getString(first + 9)),
                rs.getLong(first + 10),
                Jdbc.instant(rs.getTimestamp(first + 11)),
                Jdbc.instant(rs.getTimestamp(first + 12)));
    }

    static void insert(Connection c, VersionRow v) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                INSERT INTO model_versions (model_name, version, version_number, parent_version, base_model, artifact_uri, sha256,
                                            status, reason, metrics, pair_count, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)""")) {
            ps.setString(1, v.modelName());
            ps.setString(2, v.version());
            ps.setInt(3, v.versionNumber());
            ps.setString(4, v.parentVersion());
            ps.setString(5, v.baseModel());
            ps.setString(6, v.artifactUri());
            ps.setString(7, v.sha256());
            ps.setString(8, v.status().name());
            ps.setString(9, v.reason());
            ps.setString(10, json(v.metrics()));
            ps.setLong(11, v.pairCount());
            ps.setTimestamp(12, Timestamp.from(v.createdAt()));
            ps.setTimestamp(13, Timestamp.from(v.updatedAt()));
            ps.executeUpdate();
        }
        history(c, v.modelName(), v.version(), v.status(), v.reason(), v.updatedAt());
    }

    static void updateStatus(
            Connection c,
            String model,
            String version,
            ModelStatus status,
            String reason,
            Instant at)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE model_versions SET status = ?, reason = ?, updated_at = ? WHERE model_name = ? AND version = ?")) {
            ps.setString(1, status.name());
            ps.setString(2, reason);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setString(4, model);
            ps.setString(5, version);
            if (ps.executeUpdate() != 1) {
                throw new IllegalArgumentException("model " + model + " has no version " + version);
            }
        }
        history(c, model, version, status, reason, at);
    }

    /**
     * The history row and the outbox row of a status change: every change is announced, in the same
     * transaction.
     */
    private static void history(
            Connection c,
            String model,
            String version,
            ModelStatus status,
            String reason,
            Instant at)
            throws SQLException {
        for (String table : List.of("model_version_history", "model_version_outbox")) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO "
                                    + table
                                    + " (model_name, version, status, reason, at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, model);
                ps.setString(2, version);
                ps.setString(3, status.name());
                ps.setString(4, reason);
                ps.setTimestamp(5, Timestamp.from(at));
                ps.executeUpdate();
            }
        }
    }

    private static String json(Map<String, Double> metrics) {
        try {
            Map<String, Object> finite = new LinkedHashMap<>();
            metrics.forEach(
                    (k, v) -> finite.put(k, v == null || v.isNaN() || v.isInfinite() ? null : v));
            return JSON.writeValueAsString(finite);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Double> metrics(String json) {
        try {
            Map<String, Double> out =
                    JSON.readValue(json, new TypeReference<LinkedHashMap<String, Double>>() {});
            out.values().removeIf(Objects::isNull);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
