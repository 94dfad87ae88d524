package io.searchloop.encoder.train;

import ai.djl.ndarray.NDArray;

/** A scalar loss over one batch of unit-length embeddings; differentiable through them. */
public interface TrainingLoss {
    NDArray compute(TrainingBatch batch);

    /** The losses configuration can name: {@code mnrl}, {@code cosine} or {@code both}. */
    enum Kind {
        /** Multiple-negatives ranking over the batch's positives (scale 20). */
        MNRL,
        /** Regression of the cosine onto every row's score, scored negatives included. */
        COSINE,
        /** Their sum. */
        BOTH;

        /** The kind named {@code name} (any case), or a clear error listing the three. */
        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(name.trim())) {
                    return k;
                }
            }
            throw new IllegalArgumentException(
                    "unknown loss '" + name + "' (mnrl, cosine or both)");
        }

        public TrainingLoss create() {
            return switch (this) {
                case MNRL -> new MultipleNegativesRankingLoss(20f);
                case COSINE -> new CosineSimilarityLoss();
                case BOTH ->
                        batch ->
                                new MultipleNegativesRankingLoss(20f)
                                        .compute(batch)
                                        .add(new CosineSimilarityLoss().compute(batch));
            };
        }
    }

    /** The loss named in configuration: {@code mnrl}, {@code cosine} or {@code both}. */
    static TrainingLoss named(String name) {
        return Kind.parse(name).create();
    }
}
