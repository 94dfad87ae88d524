package io.searchloop.pairs.scoring;

/**
 * What one finished search says about one (query, product): weighted positive evidence, weighted
 * skip-above negative evidence, or (rarely) both are zero and nothing is emitted.
 */
public record Evidence(
        String rawQuery,
        String normalizedQuery,
        String productId,
        double positive,
        double skip,
        long timestamp) {}
