package io.searchloop.encoder.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LossesTest {
    private final NDManager manager = NDManager.newBaseManager("PyTorch");

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray rows(float... values) {
        return manager.create(values, new Shape(values.length / 2, 2));
    }

    /**
     * A batch of positives, row i with product ids.get(i) and text texts.get(i), each its own
     * query; hard negatives are (id, text) = (text, text).
     */
    private TrainingBatch batch(
            NDArray q,
            NDArray p,
            NDArray n,
            float[] scores,
            List<String> ids,
            List<String> texts,
            List<String> negTexts) {
        List<TrainingExample> examples = new java.util.ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            List<HardNegative> negatives =
                    i == 0
                            ? negTexts.stream().map(t -> new HardNegative(t, t)).toList()
                            : List.of();
            examples.add(
                    new TrainingExample(
                            "query " + i, ids.get(i), texts.get(i), scores[i], negatives));
        }
        return new TrainingBatch(q, p, n, examples);
    }

    private static TrainingExample positive(
            String query, String id, Set<String> related, HardNegative... negatives) {
        return new TrainingExample(query, id, "text " + id, 1f, List.of(negatives), related, true);
    }

    @Test
    void shouldComputeTheMeanSquaredErrorBetweenCosineAndScore() {
        // cos = [1, 0] against scores [1, 0.5]: ((1-1)² + (0-0.5)²) / 2 = 0.125
        TrainingBatch b =
                batch(
                        rows(1, 0, 0, 1),
                        rows(1, 0, 1, 0),
                        null,
                        new float[] {1f, 0.5f},
                        List.of("a", "b"),
                        List.of("A", "B"),
                        List.of());
        assertThat(new CosineSimilarityLoss().compute(b).getFloat())
                .isCloseTo(0.125f, within(1e-6f));
    }

    @Test
    void shouldRankEachQueryOwnProductAboveTheOthersInTheBatch() {
        // scale 1, logits [[1,0],[0,1]]: each row -log(e/(e+1)) = log(1 + e^-1) = 0.3132617
        TrainingBatch b =
                batch(
                        rows(1, 0, 0, 1),
                        rows(1, 0, 0, 1),
                        null,
                        new float[] {1, 1},
                        List.of("a", "b"),
                        List.of("A", "B"),
                        List.of());
        assertThat(new MultipleNegativesRankingLoss(1f).compute(b).getFloat())
                .isCloseTo(0.3132617f, within(1e-6f));
        // Swapped products: the target cosine is 0 and the negative's 1: log(1 + e) = 1.3132617
        TrainingBatch swapped =
                batch(
                        rows(1, 0, 0, 1),
                        rows(0, 1, 1, 0),
                        null,
                        new float[] {1, 1},
                        List.of("a", "b"),
                        List.of("A", "B"),
                        List.of());
        assertThat(new MultipleNegativesRankingLoss(1f).compute(swapped).getFloat())
                .isCloseTo(1.3132617f, within(1e-6f));
    }

    @Test
    void shouldNotTreatADuplicateProductAsANegative() {
        // Both rows show product "a": with the duplicate masked each row has only its own column,
        // so the loss is 0.
        TrainingBatch b =
                batch(
                        rows(1, 0, 0, 1),
                        rows(1, 0, 0, 1),
                        null,
                        new float[] {1, 1},
                        List.of("a", "a"),
                        List.of("A", "A"),
                        List.of());
        assertThat(new MultipleNegativesRankingLoss(1f).compute(b).getFloat())
                .isCloseTo(0f, within(1e-6f));
    }

    @Test
    void shouldNotTreatAnotherPositiveOfTheSameQueryOrAKnownRelevantProductAsANegative() {
        NDArray q = rows(1, 0, 0, 1);
        NDArray p = rows(1, 0, 0, 1);
        // Same query text in both rows: each row's other product is also one of its positives.
        TrainingBatch sameQuery =
                new TrainingBatch(
                        q,
                        p,
                        null,
                        List.of(positive("q", "a", Set.of()), positive("q", "b", Set.of())));
        assertThat(new MultipleNegativesRankingLoss(1f).compute(sameQuery).getFloat())
                .isCloseTo(0f, within(1e-6f));
        // Different queries, but "b" is known relevant to row 0's query: only row 1 keeps a
        // negative.
        TrainingBatch related =
                new TrainingBatch(
                        q,
                        p,
                        null,
                        List.of(positive("q1", "a", Set.of("b")), positive("q2", "b", Set.of())));
        assertThat(new MultipleNegativesRankingLoss(1f).compute(related).getFloat())
                .isCloseTo(0.3132617f / 2, within(1e-6f));
    }

    @Test
    void shouldAddHardNegativesAsExtraColumnsExceptAQueryOwnPositive() {
        NDArray q = rows(1, 0, 0, 1);
        NDArray p = rows(1, 0, 0, 1);
        NDArray negatives = rows(0, 1, 1, 0);
        // Row 0's hard negatives: product b (row 1's product, not relevant to row 0) and x; row 1
        // has none,
        // but the batch's hard negatives are columns for every row, and b is row 1's own product.
        TrainingBatch b =
                new TrainingBatch(
                        q,
                        p,
                        negatives,
                        List.of(
                                positive(
                                        "q1",
                                        "a",
                                        Set.of(),
                                        new HardNegative("b", "text b"),
                                        new HardNegative("x", "text x")),
                                positive("q2", "b", Set.of())));
        // Row 0 logits [1, 0, 0(b), 1(x)] → -log(e/(2e+2)); row 1 logits [0, 1, 1(b)→masked, 0(x)]
        // → -log(e/(e+2)).
        double row0 = -Math.log(Math.E / (2 * Math.E + 2));
        double row1 = -Math.log(Math.E / (Math.E + 2));
        assertThat(new MultipleNegativesRankingLoss(1f).compute(b).getFloat())
                .isCloseTo((float) ((row0 + row1) / 2), within(1e-5f));
    }

    @Test
    void shouldMaskAHardNegativeThatIsAKnownPositiveOfTheQueryById() {
        // Row 0's query is known to find product "k" relevant (a click the batch does not hold); a
        // hard negative
        // with k's id but another text (a re-titled listing, a typo variant's view of it) must not
        // be pushed away.
        NDArray q = rows(1, 0, 0, 1);
        NDArray p = rows(1, 0, 0, 1);
        NDArray negatives = rows(1, 0);
        TrainingBatch b =
                new TrainingBatch(
                        q,
                        p,
                        negatives,
                        List.of(
                                positive(
                                        "q1",
                                        "a",
                                        Set.of("k"),
                                        new HardNegative("k", "new title of k")),
                                positive("q2", "b", Set.of())));
        // Row 0 logits [1, 0, 1(k)→masked] → log(1 + e^-1); row 1 logits [0, 1, 0(k)] →
        // -log(e/(e+2)).
        double row0 = Math.log(1 + Math.exp(-1));
        double row1 = -Math.log(Math.E / (Math.E + 2));
        assertThat(new MultipleNegativesRankingLoss(1f).compute(b).getFloat())
                .isCloseTo((float) ((row0 + row1) / 2), within(1e-5f));
        // The same negative id, positive of the same query in another row of the batch, is masked
        // too.
        TrainingBatch sameQuery =
                new TrainingBatch(
                        q,
                        p,
                        negatives,
                        List.of(
                                positive(
                                        "q1",
                                        "a",
                                        Set.of(),
                                        new HardNegative("b", "old title of b")),
                                positive("q1", "b", Set.of())));
        assertThat(new MultipleNegativesRankingLoss(1f).compute(sameQuery).getFloat())
                .isCloseTo(0f, within(1e-6f));
    }

    @Test
    void shouldRankOnlyPositiveRowsAndKeepScoredNegativesAsColumns() {
        // Row 0: positive (q, a); row 1: scored negative (q, n) at 0.1; row 2: positive (r, c).
        NDArray q = rows(1, 0, 1, 0, 0, 1);
        NDArray p = rows(1, 0, 0, 1, 0, 1);
        TrainingBatch b =
                new TrainingBatch(
                        q,
                        p,
                        null,
                        List.of(
                                positive("q", "a", Set.of()),
                                TrainingExample.scoredNegative("q", "n", "text n", 0.1f),
                                positive("r", "c", Set.of())));
        // Row 0 logits [1, 0(n, a negative of the same query: kept), 0(c)] → -log(e/(e+2));
        // row 2 logits [0, 1(n), 1] → -log(e/(1+2e)); row 1 is no target: mean over the two
        // positives.
        double row0 = -Math.log(Math.E / (Math.E + 2));
        double row2 = -Math.log(Math.E / (1 + 2 * Math.E));
        float mnrl = new MultipleNegativesRankingLoss(1f).compute(b).getFloat();
        assertThat(mnrl).isCloseTo((float) ((row0 + row2) / 2), within(1e-5f));
        // both = the ranking term over positives + the regression term over every row: cos [1, 0,
        // 1] vs [1, 0.1, 1].
        float both = new MultipleNegativesRankingLoss(20f).compute(b).getFloat() + 0.01f / 3;
        assertThat(TrainingLoss.named("both").compute(b).getFloat()).isCloseTo(both, within(1e-5f));
        // A batch of scored negatives only has no ranking term.
        TrainingBatch none =
                new TrainingBatch(
                        rows(1, 0),
                        rows(0, 1),
                        null,
                        List.of(TrainingExample.scoredNegative("q", "n", "text n", 0f)));
        assertThat(new MultipleNegativesRankingLoss(1f).compute(none).getFloat()).isZero();
    }

    @Test
    void shouldPickLossesByName() {
        TrainingBatch b =
                batch(
                        rows(1, 0, 0, 1),
                        rows(1, 0, 0, 1),
                        null,
                        new float[] {1, 0},
                        List.of("a", "b"),
                        List.of("A", "B"),
                        List.of());
        float both = TrainingLoss.named("both").compute(b).getFloat();
        float sum =
                TrainingLoss.named("mnrl").compute(b).getFloat()
                        + TrainingLoss.named("cosine").compute(b).getFloat();
        assertThat(both).isCloseTo(sum, within(1e-6f));
        assertThatThrownBy(() -> TrainingLoss.named("triplet"))
                .hasMessageContaining("unknown loss 'triplet'");
    }

    @Test
    void shouldWarmUpThenDecayLinearly() {
        LinearSchedule s = new LinearSchedule(1f, 4, 12);
        assertThat(s.rate(1)).isEqualTo(0.25f);
        assertThat(s.rate(4)).isEqualTo(1f);
        assertThat(s.rate(5)).isEqualTo(8f / 9);
        assertThat(s.rate(8)).isEqualTo(5f / 9);
        assertThat(s.rate(12)).as("the last step still trains").isEqualTo(1f / 9);
        assertThat(s.rate(13)).isEqualTo(0f);
        assertThat(s.rate(20)).isEqualTo(0f);
    }
}
