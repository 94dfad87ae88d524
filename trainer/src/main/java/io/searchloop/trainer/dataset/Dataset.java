package io.searchloop.trainer.dataset;

import io.searchloop.encoder.train.TrainingExample;
import java.util.List;
import java.util.Map;

/**
 * One round's data: training examples (positives with their hard negatives, and for the cosine loss
 * also the scored negatives), and the holdout as graded relevance judgements: normalized query →
 * product id → gain in (0, 1], with one raw query text per holdout query. {@code judged} adds the
 * holdout's known non-relevant products (gain 0), for metrics over judged products only.
 */
public record Dataset(
        List<TrainingExample> train,
        Map<String, Map<String, Double>> holdout,
        Map<String, Map<String, Double>> judged,
        Map<String, String> holdoutQueryText,
        List<String> trainPairKeys,
        List<String> holdoutPairKeys) {}
