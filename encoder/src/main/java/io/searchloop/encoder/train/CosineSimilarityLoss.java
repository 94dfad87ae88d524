package io.searchloop.encoder.train;

import ai.djl.ndarray.NDArray;

/**
 * sentence-transformers' CosineSimilarityLoss: the mean squared error between cos(query, product)
 * and the pair's score. Embeddings are unit length, so the cosine is their dot product.
 */
public final class CosineSimilarityLoss implements TrainingLoss {
    @Override
    public NDArray compute(TrainingBatch batch) {
        NDArray cosine = batch.queries().mul(batch.products()).sum(new int[] {1});
        NDArray target = batch.queries().getManager().create(batch.scores());
        return cosine.sub(target).square().mean();
    }
}
