package io.searchloop.encoder.train;

/**
 * The learning rate at each step: linear warm-up from 0 to the peak over {@code warmupSteps},
 * then linear decay to 0 at {@code totalSteps} (BERT's and sentence-transformers' WarmupLinear).
 */
public record LinearSchedule(float peak, int warmupSteps, int totalSteps) {
    public LinearSchedule {
        if (!(peak > 0) || warmupSteps < 0 || totalSteps < 1 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("invalid schedule: peak " + peak + ", warmup " + warmupSteps + ", total " + totalSteps);
        }
    }

    /** The rate for step {@code step} (1-based). */
    public float rate(int step) {
        if (step <= warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        return peak * Math.max(0f, (float) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    }
}
