package io.searchloop.trainer.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Mean nDCG@10, MRR@10, Recall@10 and Recall@100 of a catalog index on graded holdout judgements. */
public final class Evaluator {
    private Evaluator() {}

    /**
     * @param judgements normalized query → product id → gain
     * @param queryText  normalized query → the text to encode for it
     */
    public static Evaluation evaluate(CatalogIndex index, Map<String, Map<String, Double>> judgements, Map<String, String> queryText) {
        List<String> queries = new ArrayList<>(judgements.keySet());
        if (queries.isEmpty()) {
            return new Evaluation(0, 0, 0, 0, 0);
        }
        List<List<String>> ranked = index.topK(queries.stream().map(q -> queryText.getOrDefault(q, q)).toList(), 100);
        double ndcg = 0;
        double mrr = 0;
        double r10 = 0;
        double r100 = 0;
        for (int i = 0; i < queries.size(); i++) {
            Map<String, Double> gains = judgements.get(queries.get(i));
            ndcg += RetrievalMetrics.ndcg(ranked.get(i), gains, 10);
            mrr += RetrievalMetrics.reciprocalRank(ranked.get(i), gains, 10);
            r10 += RetrievalMetrics.recall(ranked.get(i), gains, 10);
            r100 += RetrievalMetrics.recall(ranked.get(i), gains, 100);
        }
        int n = queries.size();
        return new Evaluation(ndcg / n, mrr / n, r10 / n, r100 / n, n);
    }
}
