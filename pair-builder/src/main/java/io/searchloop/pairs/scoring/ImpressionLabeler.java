package io.searchloop.pairs.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Labels what a shopper saw in one search, once the search's attribution window has closed:
 * <ul>
 *   <li>an engaged product is positive evidence: its engagement weight × the inverse examination
 *       propensity of its position;</li>
 *   <li>a result ranked above the lowest engaged result and not engaged was examined and passed
 *       over: skip-above negative evidence of weight 1 (it was certainly examined, so no
 *       propensity correction);</li>
 *   <li>results below the lowest engaged one carry no evidence (probably never examined), and a
 *       search without engagement carries none at all.</li>
 * </ul>
 */
public final class ImpressionLabeler {
    private final EvidenceWeights weights;
    private final PositionPropensity propensity;

    public ImpressionLabeler(EvidenceWeights weights, PositionPropensity propensity) {
        this.weights = weights;
        this.propensity = propensity;
    }

    /**
     * @param results     product ids as shown, index 0 = position 1
     * @param engagements strongest engagement per product id
     */
    public List<Evidence> label(String rawQuery, String normalizedQuery, List<String> results, Map<String, Engagement> engagements, long timestamp) {
        List<Evidence> out = new ArrayList<>();
        if (engagements.isEmpty()) {
            return out;
        }
        int lowestEngaged = 0;
        for (Engagement e : engagements.values()) {
            int shownAt = results.indexOf(e.productId());
            lowestEngaged = Math.max(lowestEngaged, shownAt >= 0 ? shownAt + 1 : e.position());
        }
        for (Engagement e : engagements.values()) {
            int shownAt = results.indexOf(e.productId());
            int position = shownAt >= 0 ? shownAt + 1 : e.position();
            double positive = weights.of(e.type()) * propensity.inverseWeight(position);
            out.add(new Evidence(rawQuery, normalizedQuery, e.productId(), positive, 0, timestamp));
        }
        for (int i = 0; i < Math.min(results.size(), lowestEngaged - 1); i++) {
            String productId = results.get(i);
            if (!engagements.containsKey(productId)) {
                out.add(new Evidence(rawQuery, normalizedQuery, productId, 0, 1, timestamp));
            }
        }
        return out;
    }
}
