package io.searchloop.encoder.train;

/**
 * The learning rate at each step: linear warm-up to the peak over {@code warmupSteps}, then linear
 * decay towards 0 (BERT's and sentence-transformers' WarmupLinear). Steps are 1-based and every
 * step of the schedule trains: the first warm-up step gets {@code peak / warmupSteps}, the last
 * warm-up step the peak, then it falls by equal steps to {@code peak / (totalSteps - warmupSteps +
 * 1)} at the last step; 0 only after {@code totalSteps}.
 */
public record LinearSchedule(float peak, int warmupSteps, int totalSteps) {
    public LinearSchedule {
        if (!(peak > 0) || warmupSteps < 0 || totalSteps < 1 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException(
                    "invalid schedule: peak "
                            + peak
                            + ", warmup "
                            + warmupSteps
                            + ", total "
                            + totalSteps);
        }
    }

    /** The rate for step {@code step} (1-based). */
    public float rate(int step) {
        if (step <= warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        return peak
                * Math.max(0f, (float) (totalSteps - step + 1) / (totalSteps - warmupSteps + 1));
    }
}
