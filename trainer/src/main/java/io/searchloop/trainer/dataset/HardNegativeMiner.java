package io.searchloop.trainer.dataset;

import io.searchloop.trainer.eval.CatalogIndex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mines hard negatives with the current model: for each training query, the top-ranked catalog
 * products that are not among its known positives. A candidate whose similarity comes within
 * {@code margin} of the query's best positive (or above it) is passed over: a product the
 * current model ranks that close is likely relevant but unlabelled, and punishing it would
 * teach the model the wrong thing.
 */
public final class HardNegativeMiner {
    private static final int CANDIDATES = 30;
    private final int perQuery;
    private final double margin;

    public HardNegativeMiner(int perQuery, double margin) {
        this.perQuery = perQuery;
        this.margin = margin;
    }

    /**
     * @param positives normalized query → ids of its positive products
     * @param queryText normalized query → raw query to encode
     * @param catalog   product id → product text
     * @return normalized query → mined negative product texts
     */
    public Map<String, List<String>> mine(CatalogIndex index, Map<String, Set<String>> positives, Map<String, String> queryText,
                                          Map<String, String> catalog) {
        List<String> queries = new ArrayList<>(positives.keySet());
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (perQuery == 0 || queries.isEmpty()) {
            return out;
        }
        List<String> texts = queries.stream().map(q -> queryText.getOrDefault(q, q)).toList();
        List<List<CatalogIndex.Hit>> ranked = index.search(texts, CANDIDATES);
        for (int i = 0; i < queries.size(); i++) {
            Set<String> known = positives.get(queries.get(i));
            double best = index.similarities(texts.get(i), known).values().stream().mapToDouble(Float::doubleValue).max().orElse(1.0);
            List<String> negatives = new ArrayList<>();
            for (CatalogIndex.Hit hit : ranked.get(i)) {
                if (negatives.size() >= perQuery) {
                    break;
                }
                if (!known.contains(hit.productId()) && hit.score() < best - margin && catalog.containsKey(hit.productId())) {
                    negatives.add(catalog.get(hit.productId()));
                }
            }
            out.put(queries.get(i), negatives);
        }
        return out;
    }
}
