package io.searchloop.trainer.finetune;

import io.searchloop.encoder.train.TrainingLoss;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to fine-tune: loss ({@code mnrl}, {@code cosine} or {@code both}), epochs over the training
 * examples, peak learning rate, warm-up as a fraction of the steps, batch size, an optional cap on
 * steps (0 = none), the seed of shuffling and dropout, and in how many micro-batches each batch's
 * gradient is computed (1 = none; the step and its in-batch negatives stay the whole batch's, only
 * the memory for activations shrinks).
 */
public record TrainingOptions(
        TrainingLoss.Kind loss,
        int epochs,
        float learningRate,
        double warmupFraction,
        int batchSize,
        int maxSteps,
        long seed,
        int gradientAccumulation) {
    public TrainingOptions(
            TrainingLoss.Kind loss,
            int epochs,
            float learningRate,
            double warmupFraction,
            int batchSize,
            int maxSteps,
            long seed) {
        this(loss, epochs, learningRate, warmupFraction, batchSize, maxSteps, seed, 1);
    }

    public TrainingOptions {
        Objects.requireNonNull(loss, "loss");
        if (gradientAccumulation < 1 || gradientAccumulation > batchSize) {
            throw new IllegalArgumentException(
                    "gradient accumulation "
                            + gradientAccumulation
                            + " must be between 1 and the batch size "
                            + batchSize);
        }
        if (epochs < 1
                || !(learningRate > 0)
                || warmupFraction < 0
                || warmupFraction > 1
                || batchSize < 2
                || maxSteps < 0) {
            throw new IllegalArgumentException(
                    "invalid training options: epochs "
                            + epochs
                            + ", lr "
                            + learningRate
                            + ", warmup "
                            + warmupFraction
                            + ", batch "
                            + batchSize
                            + ", max steps "
                            + maxSteps);
        }
    }

    public static TrainingOptions defaults() {
        return new TrainingOptions(TrainingLoss.Kind.MNRL, 3, 2e-5f, 0.1, 32, 0, 42L);
    }

    public TrainingOptions withLoss(TrainingLoss.Kind kind) {
        return copy(c -> c.loss = kind);
    }

    public TrainingOptions withEpochs(int count) {
        return copy(c -> c.epochs = count);
    }

    public TrainingOptions withLearningRate(float rate) {
        return copy(c -> c.learningRate = rate);
    }

    /** A batch of {@code size}; gradient accumulation is capped at it. */
    public TrainingOptions withBatchSize(int size) {
        return copy(
                c -> {
                    c.batchSize = size;
                    c.gradientAccumulation = Math.min(gradientAccumulation, size);
                });
    }

    public TrainingOptions withMaxSteps(int steps) {
        return copy(c -> c.maxSteps = steps);
    }

    /** Scored negatives are examples only for losses that learn from scores. */
    public boolean usesScores() {
        return loss != TrainingLoss.Kind.MNRL;
    }

    /** A copy of this record with the components {@code change} sets. */
    private TrainingOptions copy(Consumer<Components> change) {
        Components c = new Components(this);
        change.accept(c);
        return new TrainingOptions(
                c.loss,
                c.epochs,
                c.learningRate,
                c.warmupFraction,
                c.batchSize,
                c.maxSteps,
                c.seed,
                c.gradientAccumulation);
    }

    /** The components of a record being copied, to be changed one by one. */
    private static final class Components {
        private TrainingLoss.Kind loss;
        private int epochs;
        private float learningRate;
        private double warmupFraction;
        private int batchSize;
        private int maxSteps;
        private long seed;
        private int gradientAccumulation;

        Components(TrainingOptions from) {
            loss = from.loss;
            epochs = from.epochs;
            learningRate = from.learningRate;
            warmupFraction = from.warmupFraction;
            batchSize = from.batchSize;
            maxSteps = from.maxSteps;
            seed = from.seed;
            gradientAccumulation = from.gradientAccumulation;
        }
    }
}
