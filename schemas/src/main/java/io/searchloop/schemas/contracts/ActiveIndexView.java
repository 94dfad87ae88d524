package io.searchloop.schemas.contracts;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The embedder's contract with index readers: which index serves a model ({@code
 * search_active_index}), the catalog as search reads it ({@code search_catalog}), and the heartbeat
 * table through which a reader says which index table it queries ({@code index_readers}), so the
 * embedder does not drop it. The index table itself has the columns {@code product_id}, {@code
 * embedding} and {@code text_hash} (the {@link io.searchloop.schemas.keys.TextHash} of the text it
 * was encoded from), read by {@link #forEachVector}.
 */
public final class ActiveIndexView {
    /** The catalog view: {@code id, title, category, search_text} (a tsvector). */
    public static final String CATALOG = "search_catalog";

    private ActiveIndexView() {}

    /** The index a model is served from, with the artifact it was encoded with. */
    public record ActiveIndex(
            String version,
            String table,
            int dimension,
            String artifactUri,
            String sha256,
            Instant activatedAt) {}

    /**
     * The active index of {@code model}, or empty when there is none yet (or the embedder has not
     * created its tables).
     */
    public static Optional<ActiveIndex> read(Connection c, String model) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT model_version, table_name, dimension, artifact_uri, sha256, activated_at "
                                + "FROM search_active_index WHERE model_name = ?")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new ActiveIndex(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getInt(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getTimestamp(6).toInstant()));
            }
        } catch (SQLException e) {
            if (OwnerTables.notYetCreated(e, "search_active_index")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** One row of an index table: a product, the hash of its text when encoded, the vector. */
    // Streamed from the table to the trainer's catalog index and never compared.
    @SuppressWarnings("ArrayRecordComponent")
    public record IndexedVector(String productId, String textHash, float[] vector) {}

    /**
     * Calls {@code each} for every row of the index table {@code table} (as {@link #read} names
     * it), fetched a thousand rows at a time in one read-only transaction.
     */
    public static void forEachVector(Connection c, String table, Consumer<IndexedVector> each)
            throws SQLException {
        if (!table.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not an index table name: " + table);
        }
        boolean autoCommit = c.getAutoCommit();
        boolean readOnly = c.isReadOnly();
        c.setAutoCommit(false); // the driver fetches in batches only inside a transaction
        c.setReadOnly(true);
        try (Statement st = c.createStatement()) {
            st.setFetchSize(1000);
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT product_id, text_hash, embedding::real[] FROM " + table)) {
                while (rs.next()) {
                    Array array = rs.getArray(3);
                    Float[] boxed = (Float[]) array.getArray();
                    array.free();
                    float[] vector = new float[boxed.length];
                    for (int i = 0; i < boxed.length; i++) {
                        vector[i] = boxed[i];
                    }
                    each.accept(new IndexedVector(rs.getString(1), rs.getString(2), vector));
                }
            }
        } finally {
            c.rollback();
            c.setReadOnly(readOnly);
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Reports that {@code readerId} queries {@code table} of {@code model} now. Returns false when
     * the embedder has not created its tables yet (nothing to protect then).
     */
    public static boolean reportReading(Connection c, String readerId, String model, String table)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                INSERT INTO index_readers (reader_id, model_name, table_name, seen_at) VALUES (?, ?, ?, now())
                ON CONFLICT (reader_id) DO UPDATE SET model_name = EXCLUDED.model_name, table_name = EXCLUDED.table_name, seen_at = now()""")) {
            ps.setString(1, readerId);
            ps.setString(2, model);
            ps.setString(3, table);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (OwnerTables.notYetCreated(e, "index_readers")) {
                return false;
            }
            throw e;
        }
    }
}
