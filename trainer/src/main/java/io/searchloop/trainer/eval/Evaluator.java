package io.searchloop.trainer.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mean nDCG@10, MRR@10, Recall@10 and Recall@100 of a catalog index on graded holdout judgements:
 * over the whole catalog ({@link #evaluate}), and over the judged products only ({@link
 * #evaluateJudged}, Sakai's condensed lists). Judgements from clicks are sparse: most relevant
 * products of a query were never clicked, so a better model that ranks them high is penalised by
 * full-catalog metrics; ranking only the judged products asks whether the model puts the
 * known-relevant ones above the known-irrelevant ones, which unlabelled products cannot skew.
 */
public final class Evaluator {
    private Evaluator() {}

    /** Metrics of each query's judged products ranked by the model (condensed lists). */
    public static Evaluation evaluateJudged(
            CatalogIndex index,
            Map<String, Map<String, Double>> judged,
            Map<String, String> queryText) {
        double ndcg = 0;
        double mrr = 0;
        double r10 = 0;
        double r100 = 0;
        int n = 0;
        Map<String, Double> ndcgByQuery = new LinkedHashMap<>();
        Map<String, Double> recallByQuery = new LinkedHashMap<>();
        List<Map.Entry<String, Map<String, Double>>> rows =
                judged.entrySet().stream()
                        .filter(e -> e.getValue().values().stream().anyMatch(g -> g > 0))
                        .toList();
        List<CatalogIndex.Ranking> scored =
                index.rank(
                        rows.stream()
                                .map(e -> queryText.getOrDefault(e.getKey(), e.getKey()))
                                .toList(),
                        0,
                        rows.stream().map(e -> e.getValue().keySet()).toList());
        for (int row = 0; row < rows.size(); row++) {
            Map.Entry<String, Map<String, Double>> e = rows.get(row);
            Map<String, Double> gains = e.getValue();
            Map<String, Float> similarity = scored.get(row).scored();
            List<String> ranked = new ArrayList<>(gains.keySet());
            ranked.sort(
                    java.util.Comparator.<String>comparingDouble(
                                    id -> -similarity.getOrDefault(id, -2f))
                            .thenComparing(id -> id));
            ndcgByQuery.put(e.getKey(), RetrievalMetrics.ndcg(ranked, gains, 10));
            recallByQuery.put(e.getKey(), RetrievalMetrics.recall(ranked, gains, 100));
            ndcg += ndcgByQuery.get(e.getKey());
            mrr += RetrievalMetrics.reciprocalRank(ranked, gains, 10);
            r10 += RetrievalMetrics.recall(ranked, gains, 10);
            r100 += recallByQuery.get(e.getKey());
            n++;
        }
        return n == 0
                ? new Evaluation(0, 0, 0, 0, 0)
                : new Evaluation(
                        ndcg / n, mrr / n, r10 / n, r100 / n, n, ndcgByQuery, recallByQuery);
    }

    /**
     * Retrieves the top 100 of the catalog for each judged query and averages nDCG@10, MRR@10,
     * recall@10 and recall@100 over the queries.
     *
     * @param judgements normalized query → product id → gain
     * @param queryText normalized query → the text to encode for it
     */
    public static Evaluation evaluate(
            CatalogIndex index,
            Map<String, Map<String, Double>> judgements,
            Map<String, String> queryText) {
        List<String> queries = new ArrayList<>(judgements.keySet());
        if (queries.isEmpty()) {
            return new Evaluation(0, 0, 0, 0, 0);
        }
        List<List<String>> ranked =
                index.topK(queries.stream().map(q -> queryText.getOrDefault(q, q)).toList(), 100);
        double ndcg = 0;
        double mrr = 0;
        double r10 = 0;
        double r100 = 0;
        Map<String, Double> ndcgByQuery = new LinkedHashMap<>();
        Map<String, Double> recallByQuery = new LinkedHashMap<>();
        for (int i = 0; i < queries.size(); i++) {
            Map<String, Double> gains = judgements.get(queries.get(i));
            ndcgByQuery.put(queries.get(i), RetrievalMetrics.ndcg(ranked.get(i), gains, 10));
            recallByQuery.put(queries.get(i), RetrievalMetrics.recall(ranked.get(i), gains, 100));
            ndcg += ndcgByQuery.get(queries.get(i));
            mrr += RetrievalMetrics.reciprocalRank(ranked.get(i), gains, 10);
            r10 += RetrievalMetrics.recall(ranked.get(i), gains, 10);
            r100 += recallByQuery.get(queries.get(i));
        }
        int n = queries.size();
        return new Evaluation(ndcg / n, mrr / n, r10 / n, r100 / n, n, ndcgByQuery, recallByQuery);
    }
}
