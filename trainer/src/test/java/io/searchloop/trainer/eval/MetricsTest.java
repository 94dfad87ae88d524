package io.searchloop.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final Map<String, Double> GAINS = Map.of("a", 1.0, "b", 0.5, "c", 0.25);

    @Test
    void shouldComputeNdcgWithGradedGainsByHand() {
        // Ranking [x, a, c]: DCG = 0/1 + 1/log2(3) + 0.25/2 = 0.630930 + 0.125 = 0.755930
        // Ideal [a, b, c]: 1 + 0.5/log2(3) + 0.25/2 = 1 + 0.315465 + 0.125 = 1.440465
        assertThat(RetrievalMetrics.ndcg(List.of("x", "a", "c"), GAINS, 10))
                .isCloseTo(0.755930 / 1.440465, within(1e-5));
        assertThat(RetrievalMetrics.ndcg(List.of("a", "b", "c"), GAINS, 10))
                .isCloseTo(1.0, within(1e-12));
        assertThat(RetrievalMetrics.ndcg(List.of("x", "y"), GAINS, 10)).isZero();
        // Cut at k = 1: only the first result counts against the ideal first.
        assertThat(RetrievalMetrics.ndcg(List.of("b", "a"), GAINS, 1))
                .isCloseTo(0.5, within(1e-12));
    }

    @Test
    void shouldComputeReciprocalRankAndRecall() {
        assertThat(RetrievalMetrics.reciprocalRank(List.of("x", "y", "b"), GAINS, 10))
                .isCloseTo(1.0 / 3, within(1e-12));
        assertThat(RetrievalMetrics.reciprocalRank(List.of("x", "y", "b"), GAINS, 2)).isZero();
        assertThat(RetrievalMetrics.recall(List.of("a", "x", "c"), GAINS, 10))
                .isCloseTo(2.0 / 3, within(1e-12));
        assertThat(RetrievalMetrics.recall(List.of("a", "x", "c"), GAINS, 1))
                .isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void shouldRankCorrelateLikeSpearman() {
        assertThat(Spearman.correlation(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40}))
                .isCloseTo(1.0, within(1e-12));
        assertThat(Spearman.correlation(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}))
                .isCloseTo(-1.0, within(1e-12));
        // Ties share their average rank: ranks of [1, 2, 2, 3] are [1, 2.5, 2.5, 4].
        assertThat(Spearman.ranks(new double[] {1, 2, 2, 3})).containsExactly(1, 2.5, 2.5, 4);
        // d = rank differences of [1,2,3,4,5] vs [2,1,4,3,5]: Σd² = 4, ρ = 1 - 6·4/(5·24) = 0.8
        assertThat(Spearman.correlation(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 5}))
                .isCloseTo(0.8, within(1e-12));
    }
}
