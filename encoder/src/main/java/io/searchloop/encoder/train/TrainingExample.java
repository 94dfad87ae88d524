package io.searchloop.encoder.train;

import java.util.List;
import java.util.Objects;

/**
 * One (query, product) training pair: the product's id (products with the same id are never
 * each other's in-batch negatives), its text, the relevance score in [0,1], optional hard
 * negative product texts for this query, and the ids of other products known to be relevant to
 * this query (never treated as its negatives either).
 */
public record TrainingExample(String query, String productId, String productText, float score, List<String> hardNegatives,
                              java.util.Set<String> relatedProductIds) {
    public TrainingExample {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(productText, "productText");
        if (!(score >= 0f && score <= 1f)) {
            throw new IllegalArgumentException("score of pair (" + query + ", " + productId + ") must be in [0,1], got " + score);
        }
        hardNegatives = List.copyOf(hardNegatives);
        relatedProductIds = java.util.Set.copyOf(relatedProductIds);
    }

    public TrainingExample(String query, String productId, String productText, float score, List<String> hardNegatives) {
        this(query, productId, productText, score, hardNegatives, java.util.Set.of());
    }

    public TrainingExample(String query, String productId, String productText, float score) {
        this(query, productId, productText, score, List.of(), java.util.Set.of());
    }
}
