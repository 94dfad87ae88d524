package io.searchloop.embedder.index;

import io.searchloop.embedder.catalog.CatalogRepository;
import io.searchloop.encoder.CatalogVectors;
import io.searchloop.encoder.TextEncoder;
import io.searchloop.observe.PhaseProgress;
import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.keys.TextHash;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a complete vector index for one model version beside the active one: a fresh table, the
 * whole catalog streamed through the encoder in id order and loaded with batched INSERTs, the HNSW
 * index built after the load, a reconciliation pass for items that changed while the build ran,
 * ANALYZE — and only then, in one transaction, the active pointer is moved. Interrupted, it stops
 * between batches and leaves the table BUILDING; the next attempt starts it over, so two runs give
 * the same table. Its phases (encode, hnsw, reconcile, activate) and the items encoded are told to
 * a {@link PhaseProgress}: gauges, and a log line at most every ten seconds.
 */
public final class IndexBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(IndexBuilder.class);

    /**
     * The build was stopped because another version is requested now (a rollback, say): its table
     * stays BUILDING.
     */
    public static final class SupersededException extends Exception {
        private static final long serialVersionUID = 1L;

        SupersededException(String message) {
            super(message);
        }
    }

    /** What a build did, for the log and the IndexActivated event. */
    public record BuildResult(
            IndexInfo index,
            long items,
            long encodeMillis,
            long loadMillis,
            long hnswMillis,
            long totalMillis) {}

    /** The phases of a build, for {@link PhaseProgress}. */
    public static final List<String> PHASES = List.of("encode", "hnsw", "reconcile", "activate");

    private final DatabaseUrl database;
    private final CatalogRepository catalog;
    private final IndexRepository indexes;
    private final int batchSize;
    private final int hnswM;
    private final int hnswEfConstruction;
    private final PhaseProgress progress;

    public IndexBuilder(
            DatabaseUrl database,
            CatalogRepository catalog,
            IndexRepository indexes,
            int batchSize,
            int hnswM,
            int hnswEfConstruction) {
        this(
                database,
                catalog,
                indexes,
                batchSize,
                hnswM,
                hnswEfConstruction,
                PhaseProgress.logOnly("embedder", PHASES));
    }

    public IndexBuilder(
            DatabaseUrl database,
            CatalogRepository catalog,
            IndexRepository indexes,
            int batchSize,
            int hnswM,
            int hnswEfConstruction,
            PhaseProgress progress) {
        this.progress = progress;
        this.database = database;
        this.catalog = catalog;
        this.indexes = indexes;
        this.batchSize = batchSize;
        this.hnswM = hnswM;
        this.hnswEfConstruction = hnswEfConstruction;
    }

    /**
     * Builds and activates the index of {@code request}. Between batches, and again in the
     * activating transaction, it checks that the request still stands: if another version has been
     * requested meanwhile it stops ({@link SupersededException}) rather than activate a version
     * nobody wants any more. With no request recorded at all (a benchmark) it just builds.
     */
    public BuildResult build(IndexRequest request, TextEncoder model)
            throws SQLException, IOException, InterruptedException, SupersededException {
        try {
            return buildPhases(request, model);
        } finally {
            progress.end();
        }
    }

    private BuildResult buildPhases(IndexRequest request, TextEncoder model)
            throws SQLException, IOException, InterruptedException, SupersededException {
        long started = System.nanoTime();
        String table = IndexRepository.tableName(request.modelName(), request.modelVersion());
        IndexInfo info =
                new IndexInfo(
                        request.modelName(),
                        request.modelVersion(),
                        table,
                        model.dimension(),
                        request.artifactUri(),
                        request.sha256(),
                        IndexStatus.BUILDING,
                        0,
                        null,
                        null);
        long encodeNanos = 0;
        long loadNanos = 0;
        long done = 0;
        try (Connection c = database.connect()) {
            // Registered first, so the incremental path writes to it from now on; rows before the
            // table exists are reconciled below.
            indexes.register(c, request, table, model.dimension());
            indexes.createTable(c, table, model.dimension());
            long total = catalog.count(c);
            LOG.info(
                    "building index {} for {} {} ({} items)",
                    table,
                    request.modelName(),
                    request.modelVersion(),
                    total);
            CatalogVectors known = shipped(request, model);
            progress.begin("encode", total);
            String after = "";
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException(
                            "index build of " + table + " interrupted after " + done + " items");
                }
                ensureStillRequested(c, request, table);
                Map<String, String> page = catalog.page(c, after, batchSize);
                if (page.isEmpty()) {
                    break;
                }
                long t0 = System.nanoTime();
                List<IndexRepository.Row> rows = embedRows(model, page, known);
                long t1 = System.nanoTime();
                indexes.insertRows(c, table, rows);
                encodeNanos += t1 - t0;
                loadNanos += System.nanoTime() - t1;
                done += page.size();
                after = rows.get(rows.size() - 1).productId();
                progress.advance(done);
            }
            progress.begin("hnsw", 0);
            long hnswStart = System.nanoTime();
            indexes.buildHnsw(c, table, hnswM, hnswEfConstruction);
            long hnswNanos = System.nanoTime() - hnswStart;
            progress.begin("reconcile", 0);
            reconcile(c, table, model, known);
            progress.begin("activate", 0);
            long items = indexes.count(c, table);
            if (!indexes.activateIfRequested(
                    c, info, items, true, (System.nanoTime() - started) / 1_000_000)) {
                throw new SupersededException(
                        "index "
                                + table
                                + " is complete but "
                                + request.modelName()
                                + " "
                                + request.modelVersion()
                                + " is no longer requested: not activated");
            }
            long totalMillis = (System.nanoTime() - started) / 1_000_000;
            LOG.info(
                    "index {} active: {} items in {} ms (encode {} ms, load {} ms, HNSW {} ms)",
                    table,
                    items,
                    totalMillis,
                    encodeNanos / 1_000_000,
                    loadNanos / 1_000_000,
                    hnswNanos / 1_000_000);
            return new BuildResult(
                    info,
                    items,
                    encodeNanos / 1_000_000,
                    loadNanos / 1_000_000,
                    hnswNanos / 1_000_000,
                    totalMillis);
        }
    }

    private void ensureStillRequested(Connection c, IndexRequest request, String table)
            throws SQLException, SupersededException {
        var now = indexes.requested(c, request.modelName());
        if (now.isPresent() && !now.get().modelVersion().equals(request.modelVersion())) {
            throw new SupersededException(
                    "index build of "
                            + table
                            + " stopped: "
                            + now.get().modelVersion()
                            + " is requested now");
        }
    }

    /** Drops rows of deleted items and re-embeds items whose text changed while the build ran. */
    private void reconcile(Connection c, String table, TextEncoder model, CatalogVectors known)
            throws SQLException {
        int orphans = indexes.deleteOrphans(c, table);
        List<String> stale = indexes.stale(c, table);
        for (int i = 0; i < stale.size(); i += batchSize) {
            Map<String, String> texts =
                    catalog.texts(c, stale.subList(i, Math.min(stale.size(), i + batchSize)));
            indexes.upsertRows(c, table, embedRows(model, texts, known));
        }
        if (orphans > 0 || !stale.isEmpty()) {
            LOG.info(
                    "index {}: reconciled {} deleted and {} changed items",
                    table,
                    orphans,
                    stale.size());
        }
    }

    /**
     * The catalog embeddings the trainer shipped with the version's artifact (computed with this
     * model when it evaluated it), or none: then every item is encoded.
     */
    private static CatalogVectors shipped(IndexRequest request, TextEncoder model) {
        try {
            CatalogVectors known = CatalogVectors.read(Path.of(URI.create(request.artifactUri())));
            if (known.size() == 0) {
                return known;
            }
            if (known.dimension() != model.dimension()) {
                LOG.warn(
                        "{} {}: the artifact's catalog embeddings have {} dimensions, the model {}: encoding every item",
                        request.modelName(),
                        request.modelVersion(),
                        known.dimension(),
                        model.dimension());
                return CatalogVectors.none();
            }
            LOG.info(
                    "{} {}: {} catalog embeddings came with the artifact; only other items and changed texts are encoded",
                    request.modelName(),
                    request.modelVersion(),
                    known.size());
            return known;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn(
                    "cannot read the catalog embeddings of {} {}, encoding every item: {}",
                    request.modelName(),
                    request.modelVersion(),
                    e.toString());
            return CatalogVectors.none();
        }
    }

    public static List<IndexRepository.Row> embedRows(
            TextEncoder model, Map<String, String> texts) {
        return embedRows(model, texts, CatalogVectors.none());
    }

    /** Rows for {@code texts}, reusing {@code known}'s vectors for unchanged texts. */
    public static List<IndexRepository.Row> embedRows(
            TextEncoder model, Map<String, String> texts, CatalogVectors known) {
        List<String> ids = new ArrayList<>(texts.keySet());
        float[][] vectors =
                known.encode(model, ids, ids.stream().map(texts::get).toList()).vectors();
        List<IndexRepository.Row> rows = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            rows.add(
                    new IndexRepository.Row(
                            ids.get(i), vectors[i], TextHash.of(texts.get(ids.get(i)))));
        }
        return rows;
    }
}
