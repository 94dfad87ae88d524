package io.searchloop.pairs.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Labels what a shopper saw in one search, once the search's attribution window has closed. The
 * logged result list is the truth: only products in it can become evidence, and only at the
 * position it was shown at.
 *
 * <ul>
 *   <li>an engaged product that was shown is positive evidence: its engagement weight × the inverse
 *       examination propensity of its logged position;
 *   <li>an engagement with a product that was not shown is dropped and counted, never credited, and
 *       it does not move the skip boundary;
 *   <li>a result ranked above the lowest engaged result and not engaged was examined and passed
 *       over: skip-above negative evidence of weight 1 (it was certainly examined, so no propensity
 *       correction);
 *   <li>results below the lowest engaged one carry no evidence (probably never examined), and a
 *       search without engagement carries none at all.
 * </ul>
 */
public final class ImpressionLabeler {
    private final EvidenceWeights weights;
    private final PositionPropensity propensity;

    /**
     * The evidence of one search, and the engagements that were not credited because their product
     * was not shown.
     */
    public record Labelled(List<Evidence> evidence, int notShown) {}

    public ImpressionLabeler(EvidenceWeights weights, PositionPropensity propensity) {
        this.weights = weights;
        this.propensity = propensity;
    }

    /**
     * Labels one search's logged results with its shopper's engagements, by the rules above.
     *
     * @param results product ids as shown, index 0 = position 1
     * @param engagements strongest engagement per product id
     */
    public Labelled label(
            String rawQuery,
            String normalizedQuery,
            List<String> results,
            Map<String, Engagement> engagements,
            long timestamp) {
        Map<String, Integer> shownAt = new HashMap<>();
        for (int i = results.size() - 1; i >= 0; i--) {
            shownAt.put(
                    results.get(i), i + 1); // a product listed twice counts at its best position
        }
        List<Evidence> out = new ArrayList<>();
        int notShown = 0;
        int lowestEngaged = 0;
        for (Engagement e : engagements.values()) {
            Integer position = shownAt.get(e.productId());
            if (position == null) {
                notShown++;
                continue;
            }
            lowestEngaged = Math.max(lowestEngaged, position);
            out.add(
                    new Evidence(
                            rawQuery,
                            normalizedQuery,
                            e.productId(),
                            weights.of(e.type()) * propensity.inverseWeight(position),
                            0,
                            timestamp));
        }
        for (int i = 0; i < lowestEngaged - 1; i++) {
            String productId = results.get(i);
            if (!engagements.containsKey(productId) && shownAt.get(productId) == i + 1) {
                out.add(new Evidence(rawQuery, normalizedQuery, productId, 0, 1, timestamp));
            }
        }
        return new Labelled(out, notShown);
    }
}
