package io.searchloop.pairs;

import io.searchloop.pairs.scoring.EvidenceWeights;
import io.searchloop.pairs.scoring.PairScorer;
import io.searchloop.pairs.scoring.PositionPropensity;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The business rules of pair building, independent of where Kafka is: attribution window and grace,
 * evidence weights, position-bias model, scoring and emission thresholds, which catalog attributes
 * go into the product text, typo augmentation, and the limits on evidence and state.
 *
 * <p>{@code emitInterval}: how often the pairs that have become due are emitted, so that a pair's
 * updates in between go out as one record with the latest figures (zero: each at once).
 */
public record PairSettings(
        Duration window,
        Duration grace,
        Duration punctuateInterval,
        Duration emitInterval,
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
                Duration.ofSeconds(1),
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
        return copy(c -> c.limits = newLimits);
    }

    /**
     * Engagements count within {@code attribution} of their search, late records within {@code
     * lateness}; held evidence is looked at every {@code punctuate}.
     */
    public PairSettings withTiming(Duration attribution, Duration lateness, Duration punctuate) {
        return copy(
                c -> {
                    c.window = attribution;
                    c.grace = lateness;
                    c.punctuateInterval = punctuate;
                });
    }

    /** Pairs that have become due are emitted every {@code interval}; zero: each at once. */
    public PairSettings withEmitInterval(Duration interval) {
        return copy(c -> c.emitInterval = interval);
    }

    public PairSettings withScorer(PairScorer pairScorer) {
        return copy(c -> c.scorer = pairScorer);
    }

    public PairSettings withTypoAugmentation(boolean on) {
        return copy(c -> c.augmentTypos = on);
    }

    /** A copy of this record with the components {@code change} sets. */
    private PairSettings copy(Consumer<Components> change) {
        Components c = new Components(this);
        change.accept(c);
        return new PairSettings(
                c.window,
                c.grace,
                c.punctuateInterval,
                c.emitInterval,
                c.weights,
                c.propensity,
                c.scorer,
                c.productAttributes,
                c.augmentTypos,
                c.typoVariants,
                c.typoMinScore,
                c.limits);
    }

    /** The components of a record being copied, to be changed one by one. */
    private static final class Components {
        private Duration window;
        private Duration grace;
        private Duration punctuateInterval;
        private Duration emitInterval;
        private EvidenceWeights weights;
        private PositionPropensity propensity;
        private PairScorer scorer;
        private List<String> productAttributes;
        private boolean augmentTypos;
        private int typoVariants;
        private double typoMinScore;
        private EvidenceLimits limits;

        Components(PairSettings from) {
            window = from.window;
            grace = from.grace;
            punctuateInterval = from.punctuateInterval;
            emitInterval = from.emitInterval;
            weights = from.weights;
            propensity = from.propensity;
            scorer = from.scorer;
            productAttributes = from.productAttributes;
            augmentTypos = from.augmentTypos;
            typoVariants = from.typoVariants;
            typoMinScore = from.typoMinScore;
            limits = from.limits;
        }
    }
}
