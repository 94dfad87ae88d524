package io.searchloop.trainer.dataset;

import io.searchloop.events.PairSource;

/** A training pair as the trainer keeps it: the latest score of one (normalized query, product). */
public record PairRow(
        String pairKey,
        String query,
        String normalizedQuery,
        String productId,
        String productText,
        double score,
        PairSource source,
        String augmentedFrom,
        double skips) {}
