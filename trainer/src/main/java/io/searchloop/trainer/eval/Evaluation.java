package io.searchloop.trainer.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mean retrieval metrics of one model over the holdout queries, and each query's nDCG@10 and
 * Recall@100 (normalized query → value), so that two models can be compared query by query.
 */
public record Evaluation(
        double ndcg10,
        double mrr10,
        double recall10,
        double recall100,
        int queries,
        Map<String, Double> ndcg10ByQuery,
        Map<String, Double> recall100ByQuery) {

    public Evaluation {
        ndcg10ByQuery = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ndcg10ByQuery));
        recall100ByQuery =
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(recall100ByQuery));
    }

    /** Means without per-query values. */
    public Evaluation(double ndcg10, double mrr10, double recall10, double recall100, int queries) {
        this(ndcg10, mrr10, recall10, recall100, queries, Map.of(), Map.of());
    }

    public Map<String, Double> asMap(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "ndcg@10", ndcg10);
        m.put(prefix + "mrr@10", mrr10);
        m.put(prefix + "recall@10", recall10);
        m.put(prefix + "recall@100", recall100);
        return m;
    }
}
