package io.searchloop.encoder.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import io.searchloop.encoder.model.Scalars;

/**
 * sentence-transformers' MultipleNegativesRankingLoss: for each query, softmax cross-entropy over
 * its scaled cosines to every product in the batch (its own product is the target, the others
 * are in-batch negatives) plus every hard negative in the batch. A column that is not really a
 * negative of the row is masked out: the same product again (a duplicate id), a positive of the
 * same query in another row, a product known relevant to the query, or a hard negative whose text
 * is one of the query's positives.
 */
public final class MultipleNegativesRankingLoss implements TrainingLoss {
    private static final float MASKED = -1e4f;
    private final float scale;

    public MultipleNegativesRankingLoss(float scale) {
        this.scale = scale;
    }

    @Override
    public NDArray compute(TrainingBatch batch) {
        int b = batch.productIds().size();
        NDArray candidates = batch.negatives() == null || batch.negatives().getShape().get(0) == 0
                ? batch.products()
                : NDArrays.concat(new NDList(batch.products(), batch.negatives()));
        int columns = (int) candidates.getShape().get(0);
        float[] mask = new float[b * columns];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                if (j != i && batch.relevantTo(i, j)) {
                    mask[i * columns + j] = MASKED;
                }
            }
            for (int n = 0; n < columns - b; n++) {
                if (batch.negativeIsPositive(i, n)) {
                    mask[i * columns + b + n] = MASKED;
                }
            }
        }
        NDArray cosines = batch.queries().matMul(candidates.transpose());
        NDArray logits = cosines.mul(Scalars.of(cosines, scale))
                .add(batch.queries().getManager().create(mask, new ai.djl.ndarray.types.Shape(b, columns)));
        NDArray logProbs = logits.logSoftmax(1);
        NDArray diagonal = logProbs.get(new NDIndex(":, :{}", b)).mul(batch.queries().getManager().eye(b)).sum(new int[] {1});
        return diagonal.neg().mean();
    }
}
