package io.searchloop.trainer.store;

/**
 * What the retrain trigger counts: pairs new or changed since a change sequence, all pairs, and the
 * highest change sequence (what a round started now trains through).
 */
public record PairCounts(long changed, long total, long highestSeq) {}
