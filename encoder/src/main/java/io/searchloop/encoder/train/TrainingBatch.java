package io.searchloop.encoder.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The embeddings of one batch as a loss sees them: queries [B, D] and products [B, D] of the {@code
 * examples}, in order, and the hard negatives of all examples [N, D] (N may be 0, or null), in the
 * order of {@link #hardNegatives()}. The examples' identities (query text, product id, known
 * related products, positive or not) keep a query's own positives out of its negatives.
 */
public record TrainingBatch(
        NDArray queries, NDArray products, NDArray negatives, List<TrainingExample> examples) {

    public TrainingBatch {
        examples = List.copyOf(examples);
    }

    /** Every example's hard negatives, in batch order: row {@code n} of {@link #negatives()}. */
    public List<HardNegative> hardNegatives() {
        return examples.stream().flatMap(e -> e.hardNegatives().stream()).toList();
    }

    public int size() {
        return examples.size();
    }

    /** The examples' scores, in batch order. */
    public float[] scores() {
        float[] out = new float[examples.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = examples.get(i).score();
        }
        return out;
    }

    /**
     * Whether column {@code j}'s product is relevant to row {@code i}'s query, so it must not be
     * one of its negatives: the same product, a positive of the same query, or a known related
     * product. A scored negative of the same query stays a negative: it is one by evidence.
     */
    public boolean relevantTo(int i, int j) {
        TrainingExample row = examples.get(i);
        TrainingExample column = examples.get(j);
        return column.productId().equals(row.productId())
                || (column.positive() && column.query().equals(row.query()))
                || row.relatedProductIds().contains(column.productId());
    }

    /**
     * Whether hard negative {@code negative} is in fact relevant to row {@code i}'s query: by id
     * the row's own product, a known related product, or a positive of the same query in this
     * batch; or, whatever its id, the very text of the row's product.
     */
    public boolean negativeIsPositive(int i, HardNegative negative) {
        TrainingExample row = examples.get(i);
        if (negative.productId().equals(row.productId())
                || negative.text().equals(row.productText())
                || row.relatedProductIds().contains(negative.productId())) {
            return true;
        }
        for (TrainingExample other : examples) {
            if (other.positive()
                    && other.query().equals(row.query())
                    && other.productId().equals(negative.productId())) {
                return true;
            }
        }
        return false;
    }
}
