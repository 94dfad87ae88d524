package io.searchloop.search.model;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.InferenceEngine;
import io.searchloop.encoder.TextEncoder;
import io.searchloop.encoder.weights.ModelChecksum;
import io.searchloop.schemas.contracts.ActiveIndexView;
import io.searchloop.schemas.contracts.ActiveIndexView.ActiveIndex;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the embedder's active-index pointer (the database is the source of truth): when it names
 * another version, the new model is loaded in the background — sha256 checked, on the {@link
 * InferenceEngine} chosen — and then swapped in atomically; requests already running finish with
 * the pair they started with. Each refresh reports the table it serves in {@code index_readers},
 * which the embedder consults before dropping an old index.
 */
public final class ModelSwitcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSwitcher.class);

    private final DataSource db;
    private final String modelName;
    private final EncoderOptions options;
    private final InferenceEngine engine;
    private final int queryBatch;
    private final AtomicReference<ActiveModel> current = new AtomicReference<>();
    private final String readerId =
            java.lang.management.ManagementFactory.getRuntimeMXBean().getName()
                    + "/"
                    + java.util.UUID.randomUUID();

    public ModelSwitcher(
            DataSource db,
            String modelName,
            EncoderOptions options,
            InferenceEngine engine,
            int queryBatch) {
        this.db = db;
        this.modelName = modelName;
        this.options = options;
        this.engine = engine;
        this.queryBatch = queryBatch;
    }

    /**
     * Loads the pointed-to model if it changed; returns whether a swap happened. Reports what it
     * serves either way.
     */
    public synchronized boolean refresh() throws Exception {
        heartbeat();
        Optional<ActiveIndex> pointer;
        try (Connection c = db.getConnection()) {
            pointer = ActiveIndexView.read(c, modelName);
        }
        if (pointer.isEmpty()) {
            return false;
        }
        ActiveIndex p = pointer.get();
        ActiveModel now = current.get();
        if (now != null && now.version().equals(p.version()) && now.table().equals(p.table())) {
            return false;
        }
        Path dir = Path.of(URI.create(p.artifactUri()));
        ModelChecksum.verify(dir, p.sha256());
        TextEncoder encoder = engine.open(dir, options);
        ActiveModel next;
        try {
            next = new ActiveModel(p.version(), p.table(), p.activatedAt(), encoder, queryBatch);
        } catch (RuntimeException e) {
            encoder.close(); // native memory, and retried every refresh
            throw e;
        }
        ActiveModel previous = current.getAndSet(next);
        if (previous != null) {
            previous.retire();
        }
        LOG.info(
                "search now uses {} {} (index {}), queries encoded on {} (QUERY_ENGINE {}), up to {} per call",
                modelName,
                p.version(),
                p.table(),
                encoder.engine(),
                engine.label(),
                next.queryBatchMax());
        heartbeat();
        return true;
    }

    /**
     * Tells the embedder which index table this instance queries ({@code index_readers}), so it is
     * not dropped while in use. Best effort: a failure is logged, and the next refresh reports
     * again.
     */
    private void heartbeat() {
        ActiveModel serving = current.get();
        if (serving == null) {
            return;
        }
        try (Connection c = db.getConnection()) {
            ActiveIndexView.reportReading(c, readerId, modelName, serving.table());
        } catch (SQLException e) {
            LOG.warn(
                    "cannot report the served index {} (the embedder may drop it after its grace period): {}",
                    serving.table(),
                    e.getMessage());
        }
    }

    /**
     * The current pair, acquired for one request (release it), or empty when none is loaded yet.
     */
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
