package io.searchloop.encoder.train;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One (query, product) training pair: the product's id (products with the same id are never each
 * other's in-batch negatives), its text, the relevance score in [0,1], optional hard negative
 * products for this query, the ids of other products known to be relevant to this query (never
 * treated as its negatives either), and whether the pair is a positive. Only positives are ranking
 * targets; a scored negative ({@code positive} false) only teaches the score-regression loss and
 * serves the others as an in-batch negative.
 */
public record TrainingExample(
        String query,
        String productId,
        String productText,
        float score,
        List<HardNegative> hardNegatives,
        Set<String> relatedProductIds,
        boolean positive) {
    public TrainingExample {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(productText, "productText");
        if (!(score >= 0f && score <= 1f)) {
            throw new IllegalArgumentException(
                    "score of pair ("
                            + query
                            + ", "
                            + productId
                            + ") must be in [0,1], got "
                            + score);
        }
        hardNegatives = List.copyOf(hardNegatives);
        relatedProductIds = Set.copyOf(relatedProductIds);
    }

    /** A positive with hard negatives. */
    public TrainingExample(
            String query,
            String productId,
            String productText,
            float score,
            List<HardNegative> hardNegatives) {
        this(query, productId, productText, score, hardNegatives, Set.of(), true);
    }

    /** A positive without hard negatives. */
    public TrainingExample(String query, String productId, String productText, float score) {
        this(query, productId, productText, score, List.of(), Set.of(), true);
    }

    /** A scored negative: a regression target for the cosine loss, never a ranking target. */
    public static TrainingExample scoredNegative(
            String query, String productId, String productText, float score) {
        return new TrainingExample(
                query, productId, productText, score, List.of(), Set.of(), false);
    }
}
