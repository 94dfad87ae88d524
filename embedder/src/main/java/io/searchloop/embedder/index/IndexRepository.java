package io.searchloop.embedder.index;

import com.pgvector.PGvector;
import io.searchloop.schemas.keys.TextHash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The vector indexes: one table per model version ({@code product_id}, {@code vector(d)}, the hash
 * of the embedded text) with an HNSW cosine index, their registry, the pending request, and the
 * active pointer that search follows. Table names are generated here, never taken from input.
 */
public final class IndexRepository {
    private static final java.time.Duration HNSW_TIMEOUT = java.time.Duration.ofHours(6);

    /** An embedding to store. */
    // Passed from the encoder to COPY and never compared: equality by array identity is moot.
    @SuppressWarnings("ArrayRecordComponent")
    public record Row(String productId, float[] embedding, String textHash) {}

    /**
     * {@code emb_<model>_<version>}, reduced to [a-z0-9_] and to PostgreSQL's 63-character limit.
     */
    public static String tableName(String modelName, String version) {
        String raw =
                ("emb_" + modelName + "_" + version)
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9_]", "_");
        if (raw.length() <= 55) {
            return raw;
        }
        return raw.substring(0, 46) + "_" + TextHash.of(raw).substring(0, 8);
    }

    public void createTable(Connection c, String table, int dimension) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute(
                    "CREATE TABLE "
                            + table
                            + " (product_id text PRIMARY KEY, embedding vector("
                            + dimension
                            + ") NOT NULL, text_hash text NOT NULL)");
        }
    }

    /**
     * Inserts rows that are not there yet, one batched statement per call (the full rebuild): a row
     * written meanwhile by the incremental path is newer and wins. Batched INSERTs load 14x faster
     * here than COPY through a staging table with a text-to-vector cast (bench figure 3).
     */
    public void insertRows(Connection c, String table, List<Row> rows) throws SQLException {
        write(c, table, rows, "DO NOTHING");
    }

    /** Inserts or replaces rows one batch at a time (the incremental path and reconciliation). */
    public void upsertRows(Connection c, String table, List<Row> rows) throws SQLException {
        write(
                c,
                table,
                rows,
                "DO UPDATE SET embedding = EXCLUDED.embedding, text_hash = EXCLUDED.text_hash");
    }

    private static void write(Connection c, String table, List<Row> rows, String onConflict)
            throws SQLException {
        PGvector.addVectorType(c);
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO "
                                + table
                                + " (product_id, embedding, text_hash) VALUES (?, ?, ?) "
                                + "ON CONFLICT (product_id) "
                                + onConflict)) {
            for (Row r : rows) {
                ps.setString(1, r.productId());
                ps.setObject(2, new PGvector(r.embedding()));
                ps.setString(3, r.textHash());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void deleteRows(Connection c, String table, Collection<String> ids) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM " + table + " WHERE product_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            ps.executeUpdate();
        }
    }

    /** Text hashes already stored, by product id, for the given ids. */
    public Map<String, String> hashes(Connection c, String table, Collection<String> ids)
            throws SQLException {
        Map<String, String> out = new java.util.HashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT product_id, text_hash FROM "
                                + table
                                + " WHERE product_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** Removes rows of items no longer in the catalog; returns how many. */
    public int deleteOrphans(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate(
                    "DELETE FROM "
                            + table
                            + " e WHERE NOT EXISTS (SELECT 1 FROM catalog_items i WHERE i.id = e.product_id)");
        }
    }

    /** Catalog items whose row is missing or was embedded from another text. */
    public List<String> stale(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT i.id, i.product_text, e.text_hash FROM catalog_items i LEFT JOIN "
                                        + table
                                        + " e ON e.product_id = i.id")) {
            while (rs.next()) {
                if (rs.getString(3) == null
                        || !rs.getString(3).equals(TextHash.of(rs.getString(2)))) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * Builds the HNSW index; the one statement allowed to outlast the connection's usual socket
     * timeout (up to {@code HNSW_TIMEOUT}).
     */
    public void buildHnsw(Connection c, String table, int m, int efConstruction)
            throws SQLException {
        int usual = c.getNetworkTimeout();
        c.setNetworkTimeout(Runnable::run, (int) HNSW_TIMEOUT.toMillis());
        try (Statement s = c.createStatement()) {
            s.execute("SET maintenance_work_mem = '256MB'");
            s.execute(
                    "CREATE INDEX IF NOT EXISTS "
                            + table
                            + "_hnsw ON "
                            + table
                            + " USING hnsw (embedding vector_cosine_ops) WITH (m = "
                            + m
                            + ", ef_construction = "
                            + efConstruction
                            + ")");
            s.execute("ANALYZE " + table);
        } finally {
            c.setNetworkTimeout(Runnable::run, usual);
        }
    }

    public boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    public long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void register(Connection c, IndexRequest r, String table, int dimension)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                INSERT INTO embedding_indexes (model_name, model_version, table_name, dimension, artifact_uri, sha256, status, started_at)
                VALUES (?, ?, ?, ?, ?, ?, 'BUILDING', now())
                ON CONFLICT (model_name, model_version) DO UPDATE SET status = 'BUILDING', started_at = now(), completed_at = NULL,
                    dimension = EXCLUDED.dimension, artifact_uri = EXCLUDED.artifact_uri, sha256 = EXCLUDED.sha256""")) {
            ps.setString(1, r.modelName());
            ps.setString(2, r.modelVersion());
            ps.setString(3, table);
            ps.setInt(4, dimension);
            ps.setString(5, r.artifactUri());
            ps.setString(6, r.sha256());
            ps.executeUpdate();
        }
    }

    /**
     * Marks the index READY and points search at it, with its IndexActivated event in the outbox
     * ({@code durationMillis} since the build or switch began), in one transaction.
     */
    public Instant activate(
            Connection c, IndexInfo index, long itemCount, boolean markReady, long durationMillis)
            throws SQLException {
        return switchTo(c, index, itemCount, markReady, false, durationMillis).orElseThrow();
    }

    /**
     * Like {@link #activate}, but points search at the index only if its version is still the
     * requested one (or none is recorded), checked under a lock on the request row, so a rollback
     * requested during a build cannot be overtaken by the build activating. Returns whether it did.
     */
    public boolean activateIfRequested(
            Connection c, IndexInfo index, long itemCount, boolean markReady, long durationMillis)
            throws SQLException {
        return switchTo(c, index, itemCount, markReady, true, durationMillis).isPresent();
    }

    private Optional<Instant> switchTo(
            Connection c,
            IndexInfo index,
            long itemCount,
            boolean markReady,
            boolean onlyIfRequested,
            long durationMillis)
            throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            if (markReady) {
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE embedding_indexes SET status = 'READY', item_count = ?, completed_at = now() WHERE model_name = ? AND model_version = ?")) {
                    ps.setLong(1, itemCount);
                    ps.setString(2, index.modelName());
                    ps.setString(3, index.modelVersion());
                    ps.executeUpdate();
                }
            }
            if (onlyIfRequested) {
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT model_version FROM index_requests WHERE model_name = ? FOR UPDATE")) {
                    ps.setString(1, index.modelName());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && !rs.getString(1).equals(index.modelVersion())) {
                            c.commit(); // a complete table stays READY for a later request;
                            // the pointer does not move
                            return Optional.empty();
                        }
                    }
                }
            }
            Instant at = Instant.now();
            try (PreparedStatement ps =
                    c.prepareStatement(
                            """
                    INSERT INTO active_index (model_name, model_version, table_name, dimension, artifact_uri, sha256, activated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (model_name) DO UPDATE SET model_version = EXCLUDED.model_version, table_name = EXCLUDED.table_name,
                        dimension = EXCLUDED.dimension, artifact_uri = EXCLUDED.artifact_uri, sha256 = EXCLUDED.sha256,
                        activated_at = EXCLUDED.activated_at""")) {
                ps.setString(1, index.modelName());
                ps.setString(2, index.modelVersion());
                ps.setString(3, index.tableName());
                ps.setInt(4, index.dimension());
                ps.setString(5, index.artifactUri());
                ps.setString(6, index.sha256());
                ps.setTimestamp(7, Timestamp.from(at));
                ps.executeUpdate();
            }
            ActivationOutbox.record(c, index, itemCount, durationMillis, at);
            c.commit();
            return Optional.of(at);
        } catch (SQLException | RuntimeException e) {
            // Any failure rolls back: restoring auto-commit below would otherwise commit the
            // pointer without its event.
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Index tables some search-api instance reported reading since {@code since} (its heartbeat in
     * {@code index_readers}).
     */
    public Set<String> tablesReadSince(Connection c, String model, Instant since)
            throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT table_name FROM index_readers WHERE model_name = ? AND seen_at >= ?")) {
            ps.setString(1, model);
            ps.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    public Optional<IndexInfo> active(Connection c, String model) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                SELECT a.model_name, a.model_version, a.table_name, a.dimension, a.artifact_uri, a.sha256, 'READY', coalesce(i.item_count, 0),
                       a.activated_at, a.activated_at
                FROM active_index a LEFT JOIN embedding_indexes i ON i.model_name = a.model_name AND i.model_version = a.model_version
                WHERE a.model_name = ?""")) {
            ps.setString(1, model);
            return first(ps);
        }
    }

    public List<IndexInfo> indexes(Connection c, String model) throws SQLException {
        List<IndexInfo> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                SELECT model_name, model_version, table_name, dimension, artifact_uri, sha256, status, item_count, started_at, completed_at
                FROM embedding_indexes WHERE model_name = ? ORDER BY started_at""")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(info(rs));
                }
            }
        }
        return out;
    }

    public void drop(Connection c, IndexInfo index) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + index.tableName());
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "DELETE FROM embedding_indexes WHERE model_name = ? AND model_version = ?")) {
            ps.setString(1, index.modelName());
            ps.setString(2, index.modelVersion());
            ps.executeUpdate();
        }
    }

    public void request(Connection c, IndexRequest r) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                INSERT INTO index_requests (model_name, model_version, artifact_uri, sha256, requested_at) VALUES (?, ?, ?, ?, now())
                ON CONFLICT (model_name) DO UPDATE SET model_version = EXCLUDED.model_version, artifact_uri = EXCLUDED.artifact_uri,
                    sha256 = EXCLUDED.sha256, requested_at = EXCLUDED.requested_at""")) {
            ps.setString(1, r.modelName());
            ps.setString(2, r.modelVersion());
            ps.setString(3, r.artifactUri());
            ps.setString(4, r.sha256());
            ps.executeUpdate();
        }
    }

    public Optional<IndexRequest> requested(Connection c, String model) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT model_name, model_version, artifact_uri, sha256 FROM index_requests WHERE model_name = ?")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(
                                new IndexRequest(
                                        rs.getString(1),
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getString(4)))
                        : Optional.empty();
            }
        }
    }

    private static Optional<IndexInfo> first(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(info(rs)) : Optional.empty();
        }
    }

    private static IndexInfo info(ResultSet rs) throws SQLException {
        Timestamp completed = rs.getTimestamp(10);
        return new IndexInfo(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getInt(4),
                rs.getString(5),
                rs.getString(6),
                IndexStatus.valueOf(rs.getString(7)),
                rs.getLong(8),
                rs.getTimestamp(9).toInstant(),
                completed == null ? null : completed.toInstant());
    }
}
