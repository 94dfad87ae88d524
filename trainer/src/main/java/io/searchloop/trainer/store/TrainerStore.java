package io.searchloop.trainer.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.searchloop.events.CatalogItem;
import io.searchloop.events.ModelStatus;
import io.searchloop.events.PairSource;
import io.searchloop.events.TrainingPair;
import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.keys.PairKey;
import io.searchloop.schemas.outbox.OutboxRelay;
import io.searchloop.trainer.dataset.PairRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * The trainer's tables (schema managed by Flyway, migrations in {@code db/trainer}). Every write is
 * idempotent under replay: a pair is only updated by a record at least as new whose content
 * differs, and only then gets a new change sequence number — which is what the retrain trigger
 * counts, so a replayed topic neither loses nor doubles a trigger. Every status change of a model
 * version writes its history and outbox rows in the same transaction (see {@link OutboxRelay}).
 */
public final class TrainerStore implements OutboxRelay.Outbox<VersionRow> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DatabaseUrl database;

    public TrainerStore(DatabaseUrl database) {
        this.database = database;
    }

    /** Applies pending migrations; safe to call from several instances. */
    public void migrate() {
        Flyway.configure()
                .dataSource(database.jdbcUrl(), database.user(), database.password())
                .locations("classpath:db/trainer")
                .table("flyway_trainer_history")
                .baselineOnMigrate(true)
                .baselineVersion(
                        "0") // a schema shared with another service is not empty, yet V1 must still
                // run
                .load()
                .migrate();
    }

    public Connection connect() throws SQLException {
        return database.connect();
    }

    public void upsertPairs(List<TrainingPair> pairs) throws SQLException {
        String sql =
                """
                INSERT INTO trainer_pairs (pair_key, query, normalized_query, product_id, product_text, score, source, augmented_from,
                                           impressions, positives, skips, updated_at, change_seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nextval('trainer_pair_change_seq'))
                ON CONFLICT (pair_key) DO UPDATE SET
                    query = EXCLUDED.query, product_text = EXCLUDED.product_text, score = EXCLUDED.score, source = EXCLUDED.source,
                    augmented_from = EXCLUDED.augmented_from, impressions = EXCLUDED.impressions, positives = EXCLUDED.positives,
                    skips = EXCLUDED.skips, updated_at = EXCLUDED.updated_at, change_seq = EXCLUDED.change_seq
                WHERE trainer_pairs.updated_at <= EXCLUDED.updated_at
                  AND (trainer_pairs.score <> EXCLUDED.score OR trainer_pairs.product_text <> EXCLUDED.product_text
                       OR trainer_pairs.source <> EXCLUDED.source)
                """;
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            for (TrainingPair p : pairs) {
                ps.setString(
                        1, PairKey.of(p)); // a typo variant never shares an observed pair's row
                ps.setString(2, p.getQuery());
                ps.setString(3, p.getNormalizedQuery());
                ps.setString(4, p.getProductId());
                ps.setString(5, p.getProductText());
                ps.setDouble(6, Math.max(0, Math.min(1, p.getScore())));
                ps.setString(7, p.getSource().name());
                ps.setString(8, p.getAugmentedFrom());
                ps.setDouble(9, p.getImpressions());
                ps.setDouble(10, p.getPositives());
                ps.setDouble(11, p.getSkips());
                ps.setTimestamp(12, Timestamp.from(p.getUpdatedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }

    /** Upserts items (newer wins) and deletes the ids in {@code deleted}. */
    public void applyCatalog(
            Map<String, CatalogItem> upserts, Map<String, String> texts, List<String> deleted)
            throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                    c.prepareStatement(
                            """
                    INSERT INTO trainer_catalog (product_id, product_text, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (product_id) DO UPDATE SET product_text = EXCLUDED.product_text, updated_at = EXCLUDED.updated_at
                    WHERE trainer_catalog.updated_at <= EXCLUDED.updated_at""")) {
                for (Map.Entry<String, CatalogItem> e : upserts.entrySet()) {
                    ps.setString(1, e.getKey());
                    ps.setString(2, texts.get(e.getKey()));
                    ps.setTimestamp(3, Timestamp.from(e.getValue().getUpdatedAt()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM trainer_catalog WHERE product_id = ?")) {
                for (String id : deleted) {
                    ps.setString(1, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    public List<PairRow> pairs() throws SQLException {
        List<PairRow> out = new ArrayList<>();
        try (Connection c = connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT pair_key, query, normalized_query, product_id, product_text, score, source, augmented_from, skips FROM trainer_pairs ORDER BY pair_key");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(
                        new PairRow(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getDouble(6),
                                PairSource.valueOf(rs.getString(7)),
                                rs.getString(8),
                                rs.getDouble(9)));
            }
        }
        return out;
    }

    public Map<String, String> catalog() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT product_id, product_text FROM trainer_catalog ORDER BY product_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /** Pairs changed after {@code afterSeq}, all pairs, the highest change sequence. */
    public PairCounts pairCounts(long afterSeq) throws SQLException {
        try (Connection c = connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FILTER (WHERE change_seq > ?), count(*), coalesce(max(change_seq), 0) FROM trainer_pairs")) {
            ps.setLong(1, afterSeq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new PairCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    public TrainerState state(String model) throws SQLException {
        try (Connection c = connect()) {
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
                            instant(rs.getTimestamp(2)),
                            instant(rs.getTimestamp(3)),
                            rs.getString(4));
                }
            }
        }
    }

    public void requestRetrain(String model, String reason, Instant at) throws SQLException {
        state(model);
        try (Connection c = connect();
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
     * Records a finished round: pairs up to {@code throughSeq} are trained on; a request made
     * before {@code startedAt} is served.
     */
    public void markTrained(String model, long throughSeq, Instant startedAt, Instant finishedAt)
            throws SQLException {
        try (Connection c = connect()) {
            markTrained(c, model, throughSeq, startedAt, finishedAt);
        }
    }

    private static void markTrained(
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

    /**
     * Reserves the next version number before its artifact is written: one more than any version
     * recorded or reserved before, so a round that died after writing {@code vN/} and before
     * recording it never hands out {@code vN} again.
     */
    public int reserveVersionNumber(String model) throws SQLException {
        try (Connection c = connect();
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
    public void insertVersion(VersionRow v) throws SQLException {
        inTransaction(c -> insertVersion(c, v));
    }

    /** Moves a version to {@code status}, with its history and outbox rows, in one transaction. */
    public void updateStatus(
            String model, String version, ModelStatus status, String reason, Instant at)
            throws SQLException {
        inTransaction(c -> updateStatus(c, model, version, status, reason, at));
    }

    /** A status change, for {@link #updateStatuses}. */
    public record StatusChange(String version, ModelStatus status, String reason) {}

    /**
     * Several status changes of one model (a rollback: the current version out, the target in) in
     * one transaction.
     */
    public void updateStatuses(String model, List<StatusChange> changes, Instant at)
            throws SQLException {
        inTransaction(
                c -> {
                    for (StatusChange change : changes) {
                        updateStatus(
                                c, model, change.version(), change.status(), change.reason(), at);
                    }
                });
    }

    /**
     * A finished round in one transaction: the candidate, the gate's verdict, the pairs it used and
     * the trigger state, with the CANDIDATE and verdict events in the outbox. A crash before the
     * commit leaves none of it; after, all of it and the relay publishes the events.
     */
    public void recordRound(
            VersionRow candidate,
            ModelStatus verdict,
            String reason,
            Instant decidedAt,
            List<String> trainKeys,
            List<String> holdoutKeys,
            long throughSeq,
            Instant startedAt)
            throws SQLException {
        inTransaction(
                c -> {
                    insertVersion(c, candidate);
                    updateStatus(
                            c,
                            candidate.modelName(),
                            candidate.version(),
                            verdict,
                            reason,
                            decidedAt);
                    recordUsage(
                            c, candidate.modelName(), candidate.version(), trainKeys, holdoutKeys);
                    markTrained(c, candidate.modelName(), throughSeq, startedAt, decidedAt);
                });
    }

    /**
     * The oldest unsent events, in the order they were recorded: each the version as it was at that
     * change.
     */
    @Override
    public List<OutboxRelay.Pending<VersionRow>> unsent(int limit) throws SQLException {
        List<OutboxRelay.Pending<VersionRow>> out = new ArrayList<>();
        try (Connection c = connect();
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
                    out.add(
                            new OutboxRelay.Pending<>(
                                    rs.getLong(1),
                                    new VersionRow(
                                            rs.getString(2),
                                            rs.getString(3),
                                            rs.getInt(4),
                                            rs.getString(5),
                                            rs.getString(6),
                                            rs.getString(7),
                                            rs.getString(8),
                                            ModelStatus.valueOf(rs.getString(9)),
                                            rs.getString(10),
                                            metrics(rs.getString(11)),
                                            rs.getLong(12),
                                            instant(rs.getTimestamp(13)),
                                            instant(rs.getTimestamp(14)))));
                }
            }
        }
        return out;
    }

    /** Outbox rows not yet published (for a gauge). */
    public long unsentEventCount() throws SQLException {
        try (Connection c = connect();
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
        try (Connection c = connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE model_version_outbox SET sent_at = now() WHERE id = ?")) {
            ps.setLong(1, outboxId);
            ps.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(Work work) throws SQLException {
        try (Connection c = connect()) {
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

    private static void insertVersion(Connection c, VersionRow v) throws SQLException {
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

    private static void updateStatus(
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

    /** The version search should use: the most recently promoted one still PROMOTED. */
    public Optional<VersionRow> production(String model) throws SQLException {
        return versions(model).stream()
                .filter(v -> v.status() == ModelStatus.PROMOTED)
                .max(java.util.Comparator.comparing(VersionRow::updatedAt));
    }

    public Optional<VersionRow> version(String model, String version) throws SQLException {
        return versions(model).stream().filter(v -> v.version().equals(version)).findFirst();
    }

    public List<VersionRow> versions(String model) throws SQLException {
        List<VersionRow> out = new ArrayList<>();
        try (Connection c = connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                SELECT model_name, version, version_number, parent_version, base_model, artifact_uri, sha256, status, reason,
                       metrics::text, pair_count, created_at, updated_at
                FROM model_versions WHERE model_name = ? ORDER BY version_number""")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new VersionRow(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getInt(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7),
                                    ModelStatus.valueOf(rs.getString(8)),
                                    rs.getString(9),
                                    metrics(rs.getString(10)),
                                    rs.getLong(11),
                                    instant(rs.getTimestamp(12)),
                                    instant(rs.getTimestamp(13))));
                }
            }
        }
        return out;
    }

    public void recordUsage(
            String model, String version, List<String> trainKeys, List<String> holdoutKeys)
            throws SQLException {
        inTransaction(c -> recordUsage(c, model, version, trainKeys, holdoutKeys));
    }

    private static void recordUsage(
            Connection c,
            String model,
            String version,
            List<String> trainKeys,
            List<String> holdoutKeys)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO pair_usage (model_name, version, pair_key, split) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (String[] entry : List.of(new String[] {"train"}, new String[] {"holdout"})) {
                for (String key : entry[0].equals("train") ? trainKeys : holdoutKeys) {
                    ps.setString(1, model);
                    ps.setString(2, version);
                    ps.setString(3, key);
                    ps.setString(4, entry[0]);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

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

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
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
            out.values().removeIf(java.util.Objects::isNull);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
