package io.searchloop.encoder.train;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Set;

/**
 * The embeddings of one batch as a loss sees them: queries [B, D], their products [B, D], the
 * hard negatives of all queries [N, D] (N may be 0, or null), and per example its score, query
 * text, the ids of other products known relevant to it, its product id and text; the text of
 * each hard negative. These identities keep a query's own positives out of its negatives.
 */
public record TrainingBatch(NDArray queries, NDArray products, NDArray negatives, float[] scores, List<String> queryTexts,
                            List<Set<String>> relatedProductIds, List<String> productIds, List<String> productTexts,
                            List<String> negativeTexts) {

    /** A batch without query identities or known related products (every row a distinct query). */
    public TrainingBatch(NDArray queries, NDArray products, NDArray negatives, float[] scores,
                         List<String> productIds, List<String> productTexts, List<String> negativeTexts) {
        this(queries, products, negatives, scores, distinct(productIds.size()), java.util.Collections.nCopies(productIds.size(), Set.of()),
                productIds, productTexts, negativeTexts);
    }

    private static List<String> distinct(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "\u0000row" + i).toList();
    }

    /** Whether column {@code j}'s product is relevant to row {@code i}'s query, so it must not be one of its negatives. */
    public boolean relevantTo(int i, int j) {
        return productIds.get(j).equals(productIds.get(i)) || queryTexts.get(j).equals(queryTexts.get(i))
                || relatedProductIds.get(i).contains(productIds.get(j));
    }

    /** Whether hard negative {@code n} is in fact a positive of row {@code i}'s query in this batch. */
    public boolean negativeIsPositive(int i, int n) {
        String text = negativeTexts.get(n);
        for (int j = 0; j < productTexts.size(); j++) {
            if (productTexts.get(j).equals(text) && (j == i || queryTexts.get(j).equals(queryTexts.get(i)))) {
                return true;
            }
        }
        return false;
    }
}
