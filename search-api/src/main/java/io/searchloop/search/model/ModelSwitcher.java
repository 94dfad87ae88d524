package io.searchloop.search.model;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.weights.ModelChecksum;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the embedder's active-index pointer (the database is the source of truth): when it
 * names another version, the new model is loaded in the background — sha256 checked — and then
 * swapped in atomically; requests already running finish with the pair they started with. Each
 * refresh reports the table it serves in {@code index_readers}, which the embedder consults
 * before dropping an old index.
 */
public final class ModelSwitcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSwitcher.class);

    private final DataSource db;
    private final String modelName;
    private final EncoderOptions options;
    private final int queryBatch;
    private final AtomicReference<ActiveModel> current = new AtomicReference<>();
    private final String readerId = java.lang.management.ManagementFactory.getRuntimeMXBean().getName() + "/" + java.util.UUID.randomUUID();

    public ModelSwitcher(DataSource db, String modelName, EncoderOptions options, int queryBatch) {
        this.db = db;
        this.modelName = modelName;
        this.options = options;
        this.queryBatch = queryBatch;
    }

    /** Loads the pointed-to model if it changed; returns whether a swap happened. Reports what it serves either way. */
    public synchronized boolean refresh() throws Exception {
        heartbeat();
        Optional<String[]> pointer = pointer();
        if (pointer.isEmpty()) {
            return false;
        }
        String[] p = pointer.get();
        ActiveModel now = current.get();
        if (now != null && now.version().equals(p[0]) && now.table().equals(p[1])) {
            return false;
        }
        Path dir = Path.of(URI.create(p[2]));
        ModelChecksum.verify(dir, p[3]);
        SentenceEncoder encoder = SentenceEncoder.load(dir, options);
        ActiveModel next = new ActiveModel(p[0], p[1], java.time.Instant.parse(p[4]), encoder, queryBatch);
        ActiveModel previous = current.getAndSet(next);
        if (previous != null) {
            previous.retire();
        }
        LOG.info("search now uses {} {} (index {})", modelName, p[0], p[1]);
        heartbeat();
        return true;
    }

    /**
     * Tells the embedder which index table this instance queries ({@code index_readers}), so it is
     * not dropped while in use. Best effort: before the embedder's tables exist there is nothing to report.
     */
    private void heartbeat() {
        ActiveModel serving = current.get();
        if (serving == null) {
            return;
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO index_readers (reader_id, model_name, table_name, seen_at) VALUES (?, ?, ?, now())
                ON CONFLICT (reader_id) DO UPDATE SET model_name = EXCLUDED.model_name, table_name = EXCLUDED.table_name, seen_at = now()""")) {
            ps.setString(1, readerId);
            ps.setString(2, modelName);
            ps.setString(3, serving.table());
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                LOG.debug("cannot report the served index yet: {}", e.getMessage());
            } else {
                LOG.warn("cannot report the served index {} (the embedder may drop it after its grace period): {}", serving.table(), e.getMessage());
            }
        }
    }

    private Optional<String[]> pointer() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT model_version, table_name, artifact_uri, sha256, activated_at FROM active_index WHERE model_name = ?")) {
            ps.setString(1, modelName);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant().toString()});
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return Optional.empty(); // the embedder has not created its tables yet
            }
            throw e;
        }
    }

    /** The current pair, acquired for one request (release it), or empty when none is loaded yet. */
    public Optional<ActiveModel> acquire() {
        while (true) {
            ActiveModel m = current.get();
            if (m == null) {
                return Optional.empty();
            }
            if (m.acquire()) {
                return Optional.of(m);
            }
        }
    }

    public Optional<ActiveModel> peek() {
        return Optional.ofNullable(current.get());
    }

    @Override
    public void close() {
        ActiveModel m = current.getAndSet(null);
        if (m != null) {
            m.retire();
        }
    }
}
