package io.searchloop.trainer.eval;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Ranking metrics for one query, averaged by {@link Evaluation}: nDCG@k with graded gains, MRR@k
 * (reciprocal rank of the first relevant result) and Recall@k.
 */
public final class RetrievalMetrics {
    private RetrievalMetrics() {}

    /**
     * DCG of the ranking over its top k, divided by the DCG of the ideal ordering of all judged
     * gains.
     */
    public static double ndcg(List<String> ranked, Map<String, Double> gains, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            dcg += gains.getOrDefault(ranked.get(i), 0.0) / log2(i + 2);
        }
        List<Double> ideal = gains.values().stream().sorted(Comparator.reverseOrder()).toList();
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.size()); i++) {
            idcg += ideal.get(i) / log2(i + 2);
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    public static double reciprocalRank(List<String> ranked, Map<String, Double> gains, int k) {
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (gains.getOrDefault(ranked.get(i), 0.0) > 0) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    public static double recall(List<String> ranked, Map<String, Double> gains, int k) {
        long relevant = gains.values().stream().filter(g -> g > 0).count();
        if (relevant == 0) {
            return 0;
        }
        long found = ranked.stream().limit(k).filter(id -> gains.getOrDefault(id, 0.0) > 0).count();
        return (double) found / relevant;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
