package io.searchloop.trainer.dataset;

import io.searchloop.encoder.train.HardNegative;
import io.searchloop.trainer.eval.CatalogIndex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mines hard negatives with the current model, per training example: for a query and one of its
 * positives, the top-ranked catalog products that are not among the query's known positives and
 * that the model scores clearly below that positive, under {@code ratio} × its similarity. With
 * sparse click labels the products ranked level with (or above) a positive are the likeliest
 * unlabelled relevant ones; pushing them away would teach the model the wrong thing. For the same
 * reason the first {@code skipTopRanks} ranks can be passed over altogether. All queries are
 * encoded in batches, once each.
 */
public final class HardNegativeMiner {
    private static final int CANDIDATES = 30;
    private final int perExample;
    private final double ratio;
    private final int skipTopRanks;

    /**
     * @param perExample negatives to mine per (query, positive); 0 mines nothing
     * @param ratio a candidate must score below this fraction of the positive's similarity, in (0,
     *     1]
     * @param skipTopRanks ranks at the top of each query's ranking that are never mined
     */
    public HardNegativeMiner(int perExample, double ratio, int skipTopRanks) {
        if (perExample < 0 || !(ratio > 0 && ratio <= 1) || skipTopRanks < 0) {
            throw new IllegalArgumentException(
                    "invalid mining settings: per example "
                            + perExample
                            + ", ratio "
                            + ratio
                            + ", skip "
                            + skipTopRanks);
        }
        this.perExample = perExample;
        this.ratio = ratio;
        this.skipTopRanks = skipTopRanks;
    }

    /**
     * Mines negatives for every (query, positive) in {@code positives}.
     *
     * @param positives normalized query → ids of its positive products
     * @param queryText normalized query → raw query to encode
     * @param catalog product id → product text
     * @return normalized query → positive product id → mined negatives for that (query, positive)
     */
    public Map<String, Map<String, List<HardNegative>>> mine(
            CatalogIndex index,
            Map<String, Set<String>> positives,
            Map<String, String> queryText,
            Map<String, String> catalog) {
        if (perExample == 0 || positives.isEmpty()) {
            return Map.of();
        }
        List<String> queries = new ArrayList<>(positives.keySet());
        List<CatalogIndex.Ranking> rankings =
                index.rank(
                        queries.stream().map(q -> queryText.getOrDefault(q, q)).toList(),
                        skipTopRanks + CANDIDATES,
                        queries.stream().map(positives::get).toList());
        return select(queries, rankings, positives, catalog);
    }

    /**
     * The choice itself, given each query's ranking (top hits, and its similarity to each of its
     * positives).
     */
    Map<String, Map<String, List<HardNegative>>> select(
            List<String> queries,
            List<CatalogIndex.Ranking> rankings,
            Map<String, Set<String>> positives,
            Map<String, String> catalog) {
        Map<String, Map<String, List<HardNegative>>> out = new LinkedHashMap<>();
        for (int i = 0; i < queries.size(); i++) {
            Set<String> known = positives.get(queries.get(i));
            CatalogIndex.Ranking ranking = rankings.get(i);
            List<CatalogIndex.Hit> candidates =
                    ranking.top()
                            .subList(
                                    Math.min(skipTopRanks, ranking.top().size()),
                                    ranking.top().size());
            Map<String, List<HardNegative>> byPositive = new LinkedHashMap<>();
            for (String positive : known) {
                Float similarity = ranking.scored().get(positive);
                if (similarity != null) {
                    byPositive.put(positive, below(similarity, candidates, known, catalog));
                }
            }
            out.put(queries.get(i), byPositive);
        }
        return out;
    }

    /**
     * Up to {@code perExample} candidates, best first, scoring under the ratio of {@code
     * positive}'s similarity.
     */
    private List<HardNegative> below(
            float positive,
            List<CatalogIndex.Hit> candidates,
            Set<String> known,
            Map<String, String> catalog) {
        // ratio × s for a positive similarity; for a negative one the same relative distance below
        // it.
        double ceiling = positive - (1 - ratio) * Math.abs(positive);
        List<HardNegative> negatives = new ArrayList<>();
        for (CatalogIndex.Hit hit : candidates) {
            if (negatives.size() >= perExample) {
                break;
            }
            if (!known.contains(hit.productId())
                    && hit.score() < ceiling
                    && catalog.containsKey(hit.productId())) {
                negatives.add(new HardNegative(hit.productId(), catalog.get(hit.productId())));
            }
        }
        return negatives;
    }
}
