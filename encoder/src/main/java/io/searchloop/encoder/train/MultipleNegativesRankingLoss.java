package io.searchloop.encoder.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import io.searchloop.encoder.model.Scalars;
import java.util.List;

/**
 * sentence-transformers' MultipleNegativesRankingLoss: for each positive row, softmax cross-entropy
 * over its query's scaled cosines to every product in the batch (its own product is the target, the
 * others are in-batch negatives) plus every hard negative in the batch, averaged over the positive
 * rows. A scored negative (a row that is not a positive) is no target, but its product stays a
 * column for the other rows. A column that is not really a negative of the row is masked out: the
 * same product again (a duplicate id), a positive of the same query in another row, a product known
 * relevant to the query, or a hard negative that is, by id, one of these (or has the text of the
 * row's own product).
 */
public final class MultipleNegativesRankingLoss implements TrainingLoss {
    private static final float MASKED = -1e4f;
    private final float scale;

    public MultipleNegativesRankingLoss(float scale) {
        this.scale = scale;
    }

    @Override
    public NDArray compute(TrainingBatch batch) {
        int b = batch.size();
        NDArray candidates =
                batch.negatives() == null || batch.negatives().getShape().get(0) == 0
                        ? batch.products()
                        : NDArrays.concat(new NDList(batch.products(), batch.negatives()));
        int columns = (int) candidates.getShape().get(0);
        List<HardNegative> negatives = batch.hardNegatives();
        if (negatives.size() != columns - b) {
            throw new IllegalArgumentException(
                    "batch has "
                            + (columns - b)
                            + " hard-negative embeddings for "
                            + negatives.size()
                            + " hard negatives");
        }
        float[] mask = new float[b * columns];
        float[] rowWeights = new float[b];
        long positives = batch.examples().stream().filter(TrainingExample::positive).count();
        for (int i = 0; i < b; i++) {
            if (!batch.examples().get(i).positive()) {
                continue; // not a target: its row is weighted 0, its product stays a column for the
                // others
            }
            rowWeights[i] = 1f / positives;
            for (int j = 0; j < b; j++) {
                if (j != i && batch.relevantTo(i, j)) {
                    mask[i * columns + j] = MASKED;
                }
            }
            for (int n = 0; n < negatives.size(); n++) {
                if (batch.negativeIsPositive(i, negatives.get(n))) {
                    mask[i * columns + b + n] = MASKED;
                }
            }
        }
        NDArray cosines = batch.queries().matMul(candidates.transpose());
        NDArray logits =
                cosines.mul(Scalars.of(cosines, scale))
                        .add(
                                batch.queries()
                                        .getManager()
                                        .create(mask, new ai.djl.ndarray.types.Shape(b, columns)));
        NDArray logProbs = logits.logSoftmax(1);
        NDArray diagonal =
                logProbs.get(new NDIndex(":, :{}", b))
                        .mul(batch.queries().getManager().eye(b))
                        .sum(new int[] {1});
        // The weights live on the batch's manager until after backward (MulBackward keeps them); no
        // positive row gives 0.
        return diagonal.mul(batch.queries().getManager().create(rowWeights)).sum().neg();
    }
}
