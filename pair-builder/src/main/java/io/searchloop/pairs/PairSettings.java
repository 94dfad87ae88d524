package io.searchloop.pairs;

import io.searchloop.pairs.scoring.EvidenceWeights;
import io.searchloop.pairs.scoring.PairScorer;
import io.searchloop.pairs.scoring.PositionPropensity;
import java.time.Duration;
import java.util.List;

/**
 * The business rules of pair building, independent of where Kafka is: attribution window and grace,
 * evidence weights, position-bias model, scoring and emission thresholds, which catalog attributes
 * go into the product text, typo augmentation, and the limits on evidence and state.
 */
public record PairSettings(
        Duration window,
        Duration grace,
        Duration punctuateInterval,
        EvidenceWeights weights,
        PositionPropensity propensity,
        PairScorer scorer,
        List<String> productAttributes,
        boolean augmentTypos,
        int typoVariants,
        double typoMinScore,
        EvidenceLimits limits) {

    public static PairSettings defaults() {
        return new PairSettings(
                Duration.ofMinutes(30),
                Duration.ofMinutes(5),
                Duration.ofSeconds(10),
                EvidenceWeights.defaults(),
                PositionPropensity.defaults(),
                PairScorer.defaults(),
                List.of(),
                true,
                3,
                0.6,
                EvidenceLimits.defaults());
    }

    public PairSettings withLimits(EvidenceLimits newLimits) {
        return new PairSettings(
                window,
                grace,
                punctuateInterval,
                weights,
                propensity,
                scorer,
                productAttributes,
                augmentTypos,
                typoVariants,
                typoMinScore,
                newLimits);
    }

    /**
     * Engagements count within {@code attribution} of their search, late records within {@code
     * lateness}; held evidence is looked at every {@code punctuate}.
     */
    public PairSettings withTiming(Duration attribution, Duration lateness, Duration punctuate) {
        return new PairSettings(
                attribution,
                lateness,
                punctuate,
                weights,
                propensity,
                scorer,
                productAttributes,
                augmentTypos,
                typoVariants,
                typoMinScore,
                limits);
    }

    public PairSettings withScorer(PairScorer pairScorer) {
        return new PairSettings(
                window,
                grace,
                punctuateInterval,
                weights,
                propensity,
                pairScorer,
                productAttributes,
                augmentTypos,
                typoVariants,
                typoMinScore,
                limits);
    }

    public PairSettings withTypoAugmentation(boolean on) {
        return new PairSettings(
                window,
                grace,
                punctuateInterval,
                weights,
                propensity,
                scorer,
                productAttributes,
                on,
                typoVariants,
                typoMinScore,
                limits);
    }
}
