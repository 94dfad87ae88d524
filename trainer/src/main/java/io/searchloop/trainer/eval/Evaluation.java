package io.searchloop.trainer.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/** Mean retrieval metrics of one model over the holdout queries. */
public record Evaluation(double ndcg10, double mrr10, double recall10, double recall100, int queries) {

    public Map<String, Double> asMap(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "ndcg@10", ndcg10);
        m.put(prefix + "mrr@10", mrr10);
        m.put(prefix + "recall@10", recall10);
        m.put(prefix + "recall@100", recall100);
        return m;
    }
}
