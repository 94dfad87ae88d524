package io.searchloop.pairs.scoring;

/**
 * Turns a pair's evidence into a relevance score in [0,1] and decides when it is worth emitting.
 *
 * <p>The score is a Beta-smoothed engagement rate:
 *
 * <pre>
 *   score = (P + α·μ) / (P + S + α)
 * </pre>
 *
 * where P is the position-bias-corrected positive evidence (engagement weight × inverse examination
 * propensity), S the skip-above evidence, μ the prior mean relevance and α the prior strength in
 * pseudo-observations. With no evidence the score is μ; one click at position 1 gives (1 + αμ)/(1 +
 * α) — 0.53 with the defaults μ = 0.3, α = 2 — not a certain 1.0; it tends to 1 only as positive
 * evidence outweighs the prior and the skips. Because μ ≤ 1, the score never exceeds 1, whatever
 * the weights.
 *
 * <p>A pair is emitted once it has at least {@code minObservations} contributing searches, and
 * afterwards whenever its score has moved by more than {@code epsilon} since the last emission.
 */
public record PairScorer(
        double priorMean, double priorStrength, int minObservations, double epsilon) {
    public PairScorer {
        if (priorMean < 0
                || priorMean > 1
                || priorStrength <= 0
                || minObservations < 1
                || epsilon < 0) {
            throw new IllegalArgumentException(
                    "invalid scoring settings: mean "
                            + priorMean
                            + ", strength "
                            + priorStrength
                            + ", min observations "
                            + minObservations
                            + ", epsilon "
                            + epsilon);
        }
    }

    public static PairScorer defaults() {
        return new PairScorer(0.3, 2.0, 2, 0.05);
    }

    /** Emit a pair once it has {@code count} observations. */
    public PairScorer withMinObservations(int count) {
        return new PairScorer(priorMean, priorStrength, count, epsilon);
    }

    /** Emit again only when the score moved by more than {@code delta}. */
    public PairScorer withEmitEpsilon(double delta) {
        return new PairScorer(priorMean, priorStrength, minObservations, delta);
    }

    public double score(PairStats stats) {
        return (stats.positives() + priorStrength * priorMean)
                / (stats.positives() + stats.skips() + priorStrength);
    }

    public boolean shouldEmit(PairStats stats, double score) {
        if (stats.observations() < minObservations) {
            return false;
        }
        return Double.isNaN(stats.lastEmittedScore())
                || Math.abs(score - stats.lastEmittedScore()) > epsilon;
    }
}
