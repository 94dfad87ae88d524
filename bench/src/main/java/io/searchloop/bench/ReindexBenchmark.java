package io.searchloop.bench;

import com.pgvector.PGvector;
import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.embedder.catalog.CatalogRepository;
import io.searchloop.embedder.index.IndexBuilder;
import io.searchloop.embedder.index.IndexRepository;
import io.searchloop.encoder.BaseModel;
import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.InferenceEngine;
import io.searchloop.encoder.TextEncoder;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figure 3: a full embedder rebuild of a catalog into pgvector (encode, bulk load, HNSW build,
 * reconcile, activate) against encoding the same items alone, in the same batches, same JVM, on the
 * embedder's catalog engine, with PyTorch's encoding of the same pages beside it; then loading the
 * same rows with batched INSERTs (the embedder's loader) against the COPY through a staging table
 * that it replaced ({@link StagingCopy}).
 */
final class ReindexBenchmark {
    private final boolean quick;

    ReindexBenchmark(boolean quick) {
        this.quick = quick;
    }

    void run(Results results) throws Exception {
        int items = quick ? 1_000 : 20_000;
        EmbedderConfig config = BenchCatalog.create("bench_reindex", items);
        CatalogRepository catalog = new CatalogRepository();
        IndexRepository indexes = new IndexRepository();

        List<List<Object>> rows = new ArrayList<>();
        Map<String, Object> extra = new LinkedHashMap<>();
        double pytorchRate;
        try (TextEncoder pytorch =
                InferenceEngine.PYTORCH.open(BaseModel.directory(), EncoderOptions.defaults())) {
            pytorchRate = items / encodeOnly(config, catalog, pytorch);
        }
        try (TextEncoder model =
                config.catalogEngine().open(BaseModel.directory(), EncoderOptions.defaults())) {
            double encodeSeconds = encodeOnly(config, catalog, model);
            double encodeRate = items / encodeSeconds;
            rows.add(
                    List.of(
                            "encode only, pytorch",
                            items,
                            items / pytorchRate,
                            pytorchRate,
                            pytorchRate / encodeRate));
            rows.add(
                    List.of(
                            "encode only, "
                                    + model.engine()
                                    + " (the embedder's CATALOG_ENGINE="
                                    + config.catalogEngine().label()
                                    + ")",
                            items,
                            encodeSeconds,
                            encodeRate,
                            1.0));
            extra.put(
                    "catalog encoding, " + model.engine() + " / pytorch",
                    Math.round(encodeRate / pytorchRate * 100) / 100.0);

            IndexBuilder builder =
                    new IndexBuilder(
                            config.connections().database(),
                            catalog,
                            indexes,
                            config.batchSize(),
                            config.hnswM(),
                            config.hnswEfConstruction());
            IndexBuilder.BuildResult build = builder.build(BenchCatalog.baseModel(config), model);
            double buildSeconds = build.totalMillis() / 1e3;
            rows.add(
                    List.of(
                            "full rebuild (encode + INSERT + HNSW + activate), " + model.engine(),
                            build.items(),
                            buildSeconds,
                            build.items() / buildSeconds,
                            build.items() / buildSeconds / encodeRate));
            extra.put("goal", "full rebuild >= 0.8x encode only");
            extra.put(
                    "rebuild phases ms",
                    Map.of(
                            "encode",
                            build.encodeMillis(),
                            "load (batched INSERT)",
                            build.loadMillis(),
                            "HNSW build",
                            build.hnswMillis(),
                            "other (paging, reconcile, ANALYZE, activate)",
                            build.totalMillis()
                                    - build.encodeMillis()
                                    - build.loadMillis()
                                    - build.hnswMillis()));
            extra.put(
                    "HNSW",
                    "m="
                            + config.hnswM()
                            + " ef_construction="
                            + config.hnswEfConstruction()
                            + ", "
                            + build.hnswMillis()
                            + " ms");
            extra.put(
                    "load the same rows: batched INSERT vs COPY via staging",
                    compareLoads(config, indexes, build.index().tableName(), model.dimension()));
        }
        extra.put(
                "setup",
                items
                        + " catalog items, all-MiniLM-L6-v2 (384 dims), page/batch "
                        + config.batchSize()
                        + ", local PostgreSQL with pgvector over TCP");
        results.publish(
                "reindex",
                "Re-encode: a full index rebuild into pgvector vs encoding the same items alone",
                List.of("run", "items", "seconds", "items/s", "vs encode only"),
                rows,
                extra);
    }

    /**
     * Seconds to encode the catalog's pages alone, in the embedder's page size, after a warm-up.
     */
    private static double encodeOnly(
            EmbedderConfig config, CatalogRepository catalog, TextEncoder model) throws Exception {
        model.encode(CatalogTitles.generate(64, 99));
        long start = System.nanoTime();
        try (Connection c = config.connections().database().connect()) {
            String after = "";
            for (Map<String, String> page = catalog.page(c, after, config.batchSize());
                    !page.isEmpty();
                    page = catalog.page(c, after, config.batchSize())) {
                model.encode(new ArrayList<>(page.values()));
                after = page.keySet().stream().reduce((a, b) -> b).orElseThrow();
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Loads the built index's rows again into two empty tables, by COPY via staging and by batched
     * INSERT, in the embedder's batch size.
     */
    private static Map<String, Object> compareLoads(
            EmbedderConfig config, IndexRepository indexes, String builtTable, int dimension)
            throws Exception {
        List<IndexRepository.Row> rows = new ArrayList<>();
        try (Connection c = config.connections().database().connect();
                Statement s = c.createStatement()) {
            PGvector.addVectorType(c);
            try (ResultSet rs =
                    s.executeQuery(
                            "SELECT product_id, embedding, text_hash FROM "
                                    + builtTable
                                    + " ORDER BY product_id")) {
                while (rs.next()) {
                    rows.add(
                            new IndexRepository.Row(
                                    rs.getString(1),
                                    ((PGvector) rs.getObject(2)).toArray(),
                                    rs.getString(3)));
                }
            }
            indexes.createTable(c, "bench_load_copy", dimension);
            indexes.createTable(c, "bench_load_insert", dimension);
            int batch = config.batchSize();
            long t0 = System.nanoTime();
            for (int i = 0; i < rows.size(); i += batch) {
                StagingCopy.load(
                        c, "bench_load_copy", rows.subList(i, Math.min(rows.size(), i + batch)));
            }
            long t1 = System.nanoTime();
            c.setAutoCommit(false);
            for (int i = 0; i < rows.size(); i += batch) {
                indexes.insertRows(
                        c, "bench_load_insert", rows.subList(i, Math.min(rows.size(), i + batch)));
                c.commit();
            }
            long t2 = System.nanoTime();
            c.setAutoCommit(true);
            double copyRate = rows.size() / ((t1 - t0) / 1e9);
            double insertRate = rows.size() / ((t2 - t1) / 1e9);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("rows", rows.size());
            out.put("COPY rows/s", Math.round(copyRate));
            out.put("batched INSERT rows/s", Math.round(insertRate));
            out.put("COPY / INSERT", Math.round(copyRate / insertRate * 100) / 100.0);
            return out;
        }
    }
}
