package io.searchloop.trainer.finetune;

import io.searchloop.encoder.train.TrainingLoss;
import java.util.Objects;

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

    /** Scored negatives are examples only for losses that learn from scores. */
    public boolean usesScores() {
        return loss != TrainingLoss.Kind.MNRL;
    }
}
