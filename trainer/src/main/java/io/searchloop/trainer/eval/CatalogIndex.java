package io.searchloop.trainer.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.searchloop.encoder.SentenceEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole catalog encoded by one model, for exact cosine top-k retrieval (no ANN: evaluation
 * must not depend on index recall). Owns its embeddings until {@link #close()}.
 */
public final class CatalogIndex implements AutoCloseable {
    private final SentenceEncoder model;
    private final List<String> ids;
    private final NDManager manager;
    private final NDArray embeddings;

    private CatalogIndex(SentenceEncoder model, List<String> ids, NDManager manager, NDArray embeddings) {
        this.model = model;
        this.ids = ids;
        this.manager = manager;
        this.embeddings = embeddings;
    }

    /** Encodes {@code catalog} (product id → product text) with {@code model}. */
    public static CatalogIndex build(SentenceEncoder model, Map<String, String> catalog) {
        List<String> ids = new ArrayList<>(catalog.keySet());
        NDManager manager = model.model().manager().newSubManager();
        NDArray embeddings = model.encode(ids.stream().map(catalog::get).toList(), manager);
        return new CatalogIndex(model, ids, manager, embeddings);
    }

    /** A retrieved product and its cosine similarity to the query. */
    public record Hit(String productId, float score) {}

    /** The ids of the {@code k} products closest to each query, best first. */
    public List<List<String>> topK(List<String> queries, int k) {
        return search(queries, k).stream().map(hits -> hits.stream().map(Hit::productId).toList()).toList();
    }

    /** The {@code k} products closest to each query with their similarities, best first. */
    public List<List<Hit>> search(List<String> queries, int k) {
        List<List<Hit>> out = new ArrayList<>();
        if (queries.isEmpty() || ids.isEmpty()) {
            queries.forEach(q -> out.add(List.of()));
            return out;
        }
        int limit = Math.min(k, ids.size());
        try (NDManager scratch = manager.newSubManager()) {
            NDArray scores = model.encode(queries, scratch).matMul(embeddings.transpose());
            NDArray order = scores.argSort(1, false).get(new NDIndex(":, :{}", limit));
            long[] flat = order.toLongArray();
            float[] all = scores.toFloatArray();
            for (int row = 0; row < queries.size(); row++) {
                List<Hit> ranked = new ArrayList<>(limit);
                for (int i = 0; i < limit; i++) {
                    int column = (int) flat[row * limit + i];
                    ranked.add(new Hit(ids.get(column), all[row * ids.size() + column]));
                }
                out.add(ranked);
            }
        }
        return out;
    }

    /** The similarity of {@code query} to each of {@code productIds} that is in the catalog. */
    public Map<String, Float> similarities(String query, java.util.Collection<String> productIds) {
        Map<String, Float> out = new java.util.HashMap<>();
        try (NDManager scratch = manager.newSubManager()) {
            float[] scores = model.encode(List.of(query), scratch).matMul(embeddings.transpose()).toFloatArray();
            for (int i = 0; i < ids.size(); i++) {
                if (productIds.contains(ids.get(i))) {
                    out.put(ids.get(i), scores[i]);
                }
            }
        }
        return out;
    }

    public int size() {
        return ids.size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
