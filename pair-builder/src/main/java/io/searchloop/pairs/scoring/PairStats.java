package io.searchloop.pairs.scoring;

/**
 * Accumulated evidence of one (normalized query, product): weighted positives and skips, the number
 * of searches that contributed, the last raw query seen, and the score last emitted (NaN before the
 * first emission). {@code augmented} records that typo variants were emitted, so that they follow
 * the pair's later score changes.
 */
public record PairStats(
        String rawQuery,
        String normalizedQuery,
        String productId,
        double positives,
        double skips,
        long observations,
        double lastEmittedScore,
        boolean augmented,
        long updatedAt) {

    public static PairStats empty(String rawQuery, String normalizedQuery, String productId) {
        return new PairStats(rawQuery, normalizedQuery, productId, 0, 0, 0, Double.NaN, false, 0);
    }

    public PairStats add(Evidence e) {
        return new PairStats(
                e.rawQuery(),
                normalizedQuery,
                productId,
                positives + e.positive(),
                skips + e.skip(),
                observations + 1,
                lastEmittedScore,
                augmented,
                Math.max(updatedAt, e.timestamp()));
    }

    public PairStats emitted(double score, boolean withAugmentation) {
        return new PairStats(
                rawQuery,
                normalizedQuery,
                productId,
                positives,
                skips,
                observations,
                score,
                augmented || withAugmentation,
                updatedAt);
    }
}
