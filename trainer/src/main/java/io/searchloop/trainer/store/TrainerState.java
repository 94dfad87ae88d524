package io.searchloop.trainer.store;

import java.time.Instant;

/**
 * The retrain trigger's memory: how far the pairs were trained on, when, and any pending request.
 */
public record TrainerState(
        long trainedThroughSeq,
        Instant lastTrainedAt,
        Instant retrainRequestedAt,
        String retrainReason) {}
