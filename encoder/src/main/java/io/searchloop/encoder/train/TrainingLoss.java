package io.searchloop.encoder.train;

import ai.djl.ndarray.NDArray;

/** A scalar loss over one batch of unit-length embeddings; differentiable through them. */
public interface TrainingLoss {
    NDArray compute(TrainingBatch batch);

    /**
     * The loss named in configuration: {@code mnrl}, {@code cosine} or {@code both} (their sum: the
     * ranking term over the batch's positives, the regression term over every row, scored negatives
     * included).
     */
    static TrainingLoss named(String name) {
        return switch (name) {
            case "mnrl" -> new MultipleNegativesRankingLoss(20f);
            case "cosine" -> new CosineSimilarityLoss();
            case "both" ->
                    batch ->
                            new MultipleNegativesRankingLoss(20f)
                                    .compute(batch)
                                    .add(new CosineSimilarityLoss().compute(batch));
            default ->
                    throw new IllegalArgumentException(
                            "unknown loss '" + name + "' (mnrl, cosine or both)");
        };
    }
}
