package io.searchloop.trainer.trigger;

import java.time.Duration;
import java.time.Instant;

/**
 * When to retrain: once the pairs that are new or changed since the last training reach {@code
 * minNewPairs} and at least {@code minInterval} has passed since it, or at once when a retrain was
 * requested (and there is anything to train on).
 */
public record RetrainTrigger(long minNewPairs, Duration minInterval) {

    /** The verdict with its reason, for logs and the version record. */
    public record Verdict(boolean fire, String reason) {}

    public Verdict evaluate(
            long newPairs, long totalPairs, Instant lastTrainedAt, Instant now, boolean requested) {
        if (totalPairs == 0) {
            return new Verdict(false, "no training pairs yet");
        }
        if (requested) {
            return new Verdict(true, "retrain requested");
        }
        if (newPairs < minNewPairs) {
            return new Verdict(
                    false, newPairs + " new or changed pairs, waiting for " + minNewPairs);
        }
        if (lastTrainedAt != null
                && Duration.between(lastTrainedAt, now).compareTo(minInterval) < 0) {
            return new Verdict(
                    false,
                    "last training "
                            + Duration.between(lastTrainedAt, now).toSeconds()
                            + " s ago, minimum interval "
                            + minInterval);
        }
        return new Verdict(
                true, newPairs + " new or changed pairs (threshold " + minNewPairs + ")");
    }
}
