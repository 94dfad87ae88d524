package io.searchloop.trainer.dataset;

import io.searchloop.encoder.train.HardNegative;
import io.searchloop.encoder.train.TrainingExample;
import io.searchloop.events.PairSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles a round's dataset from the accumulated pairs:
 *
 * <ul>
 *   <li>pairs of holdout queries become relevance judgements (score ≥ threshold, gain = score) and
 *       are never trained on;
 *   <li>typo variants ({@code AUGMENTED_TYPO}) go to training only, and never when their source
 *       query — or the variant itself — is a holdout query;
 *   <li>a positive (score ≥ threshold) becomes a training example whose hard negatives are the
 *       query's skip-above products (scored below the threshold with skips) plus those mined with
 *       the current model for that very positive; never a product known positive for the query
 *       (compared by id), nor one with the positive's own text;
 *   <li>with {@code includeScoredNegatives} (the cosine loss learns from scores) the sub-threshold
 *       pairs are training examples too, marked as not positive: regression targets, never ranking
 *       targets.
 * </ul>
 */
public final class DatasetBuilder {
    private final HoldoutSplit split;
    private final double positiveThreshold;
    private final int maxNegativesPerExample;
    private final boolean includeScoredNegatives;

    public DatasetBuilder(
            HoldoutSplit split,
            double positiveThreshold,
            int maxNegativesPerExample,
            boolean includeScoredNegatives) {
        this.split = split;
        this.positiveThreshold = positiveThreshold;
        this.maxNegativesPerExample = maxNegativesPerExample;
        this.includeScoredNegatives = includeScoredNegatives;
    }

    /**
     * Splits {@code pairs} into training examples and holdout judgements, by the rules above.
     *
     * @param minedNegatives hard negatives mined by normalized query, then positive product id (may
     *     be empty)
     */
    public Dataset build(
            List<PairRow> pairs, Map<String, Map<String, List<HardNegative>>> minedNegatives) {
        Map<String, List<HardNegative>> skipNegatives = new LinkedHashMap<>();
        Map<String, java.util.Set<String>> positivesByQuery = new LinkedHashMap<>();
        for (PairRow p : pairs) {
            if (p.score() >= positiveThreshold) {
                positivesByQuery
                        .computeIfAbsent(origin(p), q -> new java.util.HashSet<>())
                        .add(p.productId());
            }
            if (p.source() != PairSource.AUGMENTED_TYPO
                    && p.score() < positiveThreshold
                    && p.skips() > 0) {
                skipNegatives
                        .computeIfAbsent(p.normalizedQuery(), q -> new ArrayList<>())
                        .add(new HardNegative(p.productId(), p.productText()));
            }
        }
        List<TrainingExample> train = new ArrayList<>();
        List<String> trainKeys = new ArrayList<>();
        List<String> holdoutKeys = new ArrayList<>();
        Map<String, Map<String, Double>> holdout = new LinkedHashMap<>();
        Map<String, Map<String, Double>> judged = new LinkedHashMap<>();
        Map<String, String> holdoutText = new LinkedHashMap<>();
        for (PairRow p : pairs) {
            boolean augmented = p.source() == PairSource.AUGMENTED_TYPO;
            if (split.isHoldout(p.normalizedQuery())
                    || (augmented
                            && p.augmentedFrom() != null
                            && split.isHoldout(p.augmentedFrom()))) {
                if (!augmented) {
                    boolean relevant = p.score() >= positiveThreshold;
                    judged.computeIfAbsent(p.normalizedQuery(), q -> new LinkedHashMap<>())
                            .put(p.productId(), relevant ? p.score() : 0.0);
                    if (relevant) {
                        holdout.computeIfAbsent(p.normalizedQuery(), q -> new LinkedHashMap<>())
                                .put(p.productId(), p.score());
                        holdoutText.putIfAbsent(p.normalizedQuery(), p.query());
                        holdoutKeys.add(p.pairKey());
                    }
                }
                continue;
            }
            float score = (float) Math.max(0, Math.min(1, p.score()));
            if (p.score() >= positiveThreshold) {
                String origin = origin(p);
                java.util.Set<String> related =
                        positivesByQuery.getOrDefault(origin, java.util.Set.of());
                List<HardNegative> mined =
                        minedNegatives
                                .getOrDefault(origin, Map.of())
                                .getOrDefault(p.productId(), List.of());
                train.add(
                        new TrainingExample(
                                p.query(),
                                p.productId(),
                                p.productText(),
                                score,
                                negativesFor(
                                        p,
                                        related,
                                        skipNegatives.getOrDefault(origin, List.of()),
                                        mined),
                                related,
                                true));
                trainKeys.add(p.pairKey());
            } else if (includeScoredNegatives) {
                train.add(
                        TrainingExample.scoredNegative(
                                p.query(), p.productId(), p.productText(), score));
                trainKeys.add(p.pairKey());
            }
        }
        judged.keySet().retainAll(holdout.keySet());
        return new Dataset(train, holdout, judged, holdoutText, trainKeys, holdoutKeys);
    }

    /** The query a pair speaks for: a typo variant's source query, else its own. */
    private static String origin(PairRow p) {
        return p.source() == PairSource.AUGMENTED_TYPO && p.augmentedFrom() != null
                ? p.augmentedFrom()
                : p.normalizedQuery();
    }

    private List<HardNegative> negativesFor(
            PairRow positive,
            java.util.Set<String> knownPositives,
            List<HardNegative> skips,
            List<HardNegative> mined) {
        List<HardNegative> out = new ArrayList<>();
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (List<HardNegative> source : List.of(skips, mined)) {
            for (HardNegative n : source) {
                if (out.size() >= maxNegativesPerExample) {
                    return out;
                }
                if (!knownPositives.contains(n.productId())
                        && !n.productId().equals(positive.productId())
                        && !n.text().equals(positive.productText())
                        && taken.add(n.productId())) {
                    out.add(n);
                }
            }
        }
        return out;
    }
}
