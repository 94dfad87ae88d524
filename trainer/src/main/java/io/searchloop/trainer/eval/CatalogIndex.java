package io.searchloop.trainer.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.searchloop.encoder.CatalogVectors;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.TextEncoder;
import io.searchloop.observe.PhaseProgress;
import io.searchloop.schemas.keys.TextHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole catalog encoded by one model, for exact cosine top-k retrieval (no ANN: evaluation must
 * not depend on index recall). Owns its embeddings until {@link #close()}. Given a {@link
 * PhaseProgress}, it adds the items it encodes and the queries it ranks to the running phase.
 */
public final class CatalogIndex implements AutoCloseable {
    /**
     * Queries encoded and scored against the catalog at a time: bounds the [queries, catalog] score
     * matrix.
     */
    private static final int RANK_CHUNK = 256;

    /**
     * Catalog items encoded at a time: progress can be told, and a shutdown stops, between chunks.
     */
    private static final int ENCODE_CHUNK = 1024;

    private final TextEncoder model;
    private final PhaseProgress progress;
    private final List<String> ids;
    private final List<String> texts;
    private final int reused;
    private final NDManager manager;
    private final NDArray embeddings;
    private final Map<String, Integer> position = new java.util.HashMap<>();

    private CatalogIndex(
            TextEncoder model,
            List<String> ids,
            List<String> texts,
            NDManager manager,
            NDArray embeddings,
            PhaseProgress progress,
            int reused) {
        this.model = model;
        this.reused = reused;
        this.progress = progress;
        this.ids = ids;
        this.texts = texts;
        for (int i = 0; i < ids.size(); i++) {
            position.put(ids.get(i), i);
        }
        this.manager = manager;
        this.embeddings = embeddings;
    }

    /**
     * Encodes {@code catalog} (product id → product text) with {@code model}; queries are scored on
     * {@code scores}.
     */
    public static CatalogIndex build(
            TextEncoder model, Map<String, String> catalog, Device scores) {
        return build(model, catalog, null, CatalogVectors.none(), scores);
    }

    /**
     * Embeds {@code catalog} with {@code model}: the vectors {@code known} has for an item's
     * current text as they are, the rest encoded; the items encoded are added to {@code progress}'s
     * running phase (null: no progress). Queries are scored against the catalog by PyTorch on
     * {@code scores} (the device {@code ENCODER_DEVICE} names), whichever runtime encoded the
     * texts.
     */
    public static CatalogIndex build(
            TextEncoder model,
            Map<String, String> catalog,
            PhaseProgress progress,
            CatalogVectors known,
            Device scores) {
        List<String> ids = new ArrayList<>(catalog.keySet());
        List<String> texts = ids.stream().map(catalog::get).toList();
        int dim = model.dimension();
        // One array for the whole catalog: a clear error past 2^31 values (5.6 million items of
        // 384 dimensions) rather than an overflowed size.
        float[] flat = new float[Math.multiplyExact(ids.size(), dim)];
        int reused = 0;
        for (int from = 0; from < ids.size(); from += ENCODE_CHUNK) {
            SentenceEncoder.stopIfInterrupted("catalog encoding");
            int to = Math.min(ids.size(), from + ENCODE_CHUNK);
            CatalogVectors.Embedded embedded =
                    known.encode(model, ids.subList(from, to), texts.subList(from, to));
            reused += embedded.reused();
            float[][] chunk = embedded.vectors();
            for (int row = 0; row < chunk.length; row++) {
                System.arraycopy(chunk[row], 0, flat, (from + row) * dim, dim);
            }
            report(progress, to - from);
        }
        NDManager manager = Engine.getEngine("PyTorch").newBaseManager(scores);
        try {
            NDArray embeddings = manager.create(flat, new Shape(ids.size(), dim));
            return new CatalogIndex(model, ids, texts, manager, embeddings, progress, reused);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Every item's vector with the hash of its text, to be reused by whoever needs them next. */
    public CatalogVectors vectors() {
        CatalogVectors out = new CatalogVectors(model.dimension());
        float[] flat = embeddings.toFloatArray();
        int dim = model.dimension();
        for (int i = 0; i < ids.size(); i++) {
            out.put(
                    ids.get(i),
                    TextHash.of(texts.get(i)),
                    java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim));
        }
        return out;
    }

    private static void report(PhaseProgress progress, long units) {
        if (progress != null) {
            progress.add(units);
        }
    }

    /** Where queries are scored against the catalog. */
    Device device() {
        return manager.getDevice();
    }

    /** A retrieved product and its cosine similarity to the query. */
    public record Hit(String productId, float score) {}

    /** The ids of the {@code k} products closest to each query, best first. */
    public List<List<String>> topK(List<String> queries, int k) {
        return search(queries, k).stream()
                .map(hits -> hits.stream().map(Hit::productId).toList())
                .toList();
    }

    /** The {@code k} products closest to each query with their similarities, best first. */
    public List<List<Hit>> search(List<String> queries, int k) {
        return rank(queries, k, java.util.Collections.nCopies(queries.size(), List.<String>of()))
                .stream()
                .map(Ranking::top)
                .toList();
    }

    /** The similarity of {@code query} to each of {@code productIds} that is in the catalog. */
    public Map<String, Float> similarities(String query, java.util.Collection<String> productIds) {
        return rank(List.of(query), 0, List.of(productIds)).get(0).scored();
    }

    /** A query's top hits, and its similarity to each asked-for product that is in the catalog. */
    public record Ranking(List<Hit> top, Map<String, Float> scored) {}

    /**
     * For each query, its {@code k} closest products (best first) and its similarity to each of
     * {@code scoredIds.get(i)}; queries are encoded in chunks, so a round's thousands of queries
     * cost a few batched passes and a bounded score matrix.
     */
    public List<Ranking> rank(
            List<String> queries, int k, List<? extends java.util.Collection<String>> scoredIds) {
        if (scoredIds.size() != queries.size()) {
            throw new IllegalArgumentException(
                    queries.size() + " queries but " + scoredIds.size() + " id sets to score");
        }
        List<Ranking> out = new ArrayList<>(queries.size());
        if (ids.isEmpty()) {
            queries.forEach(q -> out.add(new Ranking(List.of(), Map.of())));
            return out;
        }
        int limit = Math.min(k, ids.size());
        for (int from = 0; from < queries.size(); from += RANK_CHUNK) {
            int to = Math.min(queries.size(), from + RANK_CHUNK);
            try (NDManager scratch = manager.newSubManager()) {
                float[] all =
                        matrix(scratch, model.encode(queries.subList(from, to)))
                                .matMul(embeddings.transpose())
                                .toFloatArray();
                for (int row = 0; row < to - from; row++) {
                    out.add(ranking(all, row * ids.size(), limit, scoredIds.get(from + row)));
                }
            }
            report(progress, to - from);
        }
        return out;
    }

    /** {@code rows} as one [rows, dimension] array of {@code manager}. */
    private NDArray matrix(NDManager manager, float[][] rows) {
        int dim = model.dimension();
        float[] flat = new float[Math.multiplyExact(rows.length, dim)];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * dim, dim);
        }
        return manager.create(flat, new Shape(rows.length, dim));
    }

    private Ranking ranking(
            float[] all, int offset, int limit, java.util.Collection<String> scoredIds) {
        java.util.PriorityQueue<Integer> best =
                new java.util.PriorityQueue<>(
                        java.util.Comparator.<Integer>comparingDouble(c -> all[offset + c])
                                .thenComparing(java.util.Comparator.reverseOrder()));
        for (int c = 0; c < ids.size() && limit > 0; c++) {
            best.add(c);
            if (best.size() > limit) {
                best.poll();
            }
        }
        List<Hit> top = new ArrayList<>(best.size());
        while (!best.isEmpty()) {
            int c = best.poll();
            top.add(0, new Hit(ids.get(c), all[offset + c]));
        }
        Map<String, Float> scored = new java.util.HashMap<>();
        for (String id : scoredIds) {
            Integer c = position.get(id);
            if (c != null) {
                scored.put(id, all[offset + c]);
            }
        }
        return new Ranking(top, scored);
    }

    public int size() {
        return ids.size();
    }

    /** How many items had a known vector and were not encoded. */
    public int reused() {
        return reused;
    }

    @Override
    public void close() {
        manager.close();
    }
}
