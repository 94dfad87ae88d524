package io.searchloop.encoder.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The embeddings of one batch as a loss sees them: queries [B, D], their products [B, D], the
 * hard negatives of all queries [N, D] (N may be 0), and per example its score and product id.
 * {@code negativeIds} names the product text of each hard negative, to keep a query's own
 * positive out of its negatives.
 */
public record TrainingBatch(NDArray queries, NDArray products, NDArray negatives, float[] scores,
                            List<String> productIds, List<String> productTexts, List<String> negativeTexts) {}
