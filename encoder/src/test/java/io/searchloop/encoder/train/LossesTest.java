package io.searchloop.encoder.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
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

    private TrainingBatch batch(NDArray q, NDArray p, NDArray n, float[] scores, List<String> ids, List<String> texts, List<String> negTexts) {
        return new TrainingBatch(q, p, n, scores, ids, texts, negTexts);
    }

    @Test
    void shouldComputeTheMeanSquaredErrorBetweenCosineAndScore() {
        // cos = [1, 0] against scores [1, 0.5]: ((1-1)² + (0-0.5)²) / 2 = 0.125
        TrainingBatch b = batch(rows(1, 0, 0, 1), rows(1, 0, 1, 0), null, new float[] {1f, 0.5f}, List.of("a", "b"), List.of("A", "B"), List.of());
        assertThat(new CosineSimilarityLoss().compute(b).getFloat()).isCloseTo(0.125f, within(1e-6f));
    }

    @Test
    void shouldRankEachQueryOwnProductAboveTheOthersInTheBatch() {
        // scale 1, logits [[1,0],[0,1]]: each row -log(e/(e+1)) = log(1 + e^-1) = 0.3132617
        TrainingBatch b = batch(rows(1, 0, 0, 1), rows(1, 0, 0, 1), null, new float[] {1, 1}, List.of("a", "b"), List.of("A", "B"), List.of());
        assertThat(new MultipleNegativesRankingLoss(1f).compute(b).getFloat()).isCloseTo(0.3132617f, within(1e-6f));
        // Swapped products: the target cosine is 0 and the negative's 1: log(1 + e) = 1.3132617
        TrainingBatch swapped = batch(rows(1, 0, 0, 1), rows(0, 1, 1, 0), null, new float[] {1, 1}, List.of("a", "b"), List.of("A", "B"), List.of());
        assertThat(new MultipleNegativesRankingLoss(1f).compute(swapped).getFloat()).isCloseTo(1.3132617f, within(1e-6f));
    }

    @Test
    void shouldNotTreatADuplicateProductAsANegative() {
        // Both rows show product "a": with the duplicate masked each row has only its own column, so the loss is 0.
        TrainingBatch b = batch(rows(1, 0, 0, 1), rows(1, 0, 0, 1), null, new float[] {1, 1}, List.of("a", "a"), List.of("A", "A"), List.of());
        assertThat(new MultipleNegativesRankingLoss(1f).compute(b).getFloat()).isCloseTo(0f, within(1e-6f));
    }

    @Test
    void shouldNotTreatAnotherPositiveOfTheSameQueryOrAKnownRelevantProductAsANegative() {
        NDArray q = rows(1, 0, 0, 1);
        NDArray p = rows(1, 0, 0, 1);
        // Same query text in both rows: each row's other product is also one of its positives.
        TrainingBatch sameQuery = new TrainingBatch(q, p, null, new float[] {1, 1}, List.of("q", "q"), List.of(java.util.Set.of(), java.util.Set.of()),
                List.of("a", "b"), List.of("A", "B"), List.of());
        assertThat(new MultipleNegativesRankingLoss(1f).compute(sameQuery).getFloat()).isCloseTo(0f, within(1e-6f));
        // Different queries, but "b" is known relevant to row 0's query: only row 1 keeps a negative.
        TrainingBatch related = new TrainingBatch(q, p, null, new float[] {1, 1}, List.of("q1", "q2"),
                List.of(java.util.Set.of("b"), java.util.Set.of()), List.of("a", "b"), List.of("A", "B"), List.of());
        assertThat(new MultipleNegativesRankingLoss(1f).compute(related).getFloat()).isCloseTo(0.3132617f / 2, within(1e-6f));
    }

    @Test
    void shouldAddHardNegativesAsExtraColumnsExceptAQueryOwnPositive() {
        NDArray q = rows(1, 0, 0, 1);
        NDArray p = rows(1, 0, 0, 1);
        NDArray negatives = rows(0, 1, 1, 0); // hard negatives: "B" (row 0's product text is "A") and "X"
        TrainingBatch b = batch(q, p, negatives, new float[] {1, 1}, List.of("a", "b"), List.of("A", "B"), List.of("B", "X"));
        // Row 0 logits [1, 0, 0(B), 1(X)] → -log(e/(2e+2)); row 1 logits [0, 1, 1(B)→masked, 0(X)] → -log(e/(e+2)).
        double row0 = -Math.log(Math.E / (2 * Math.E + 2));
        double row1 = -Math.log(Math.E / (Math.E + 2));
        assertThat(new MultipleNegativesRankingLoss(1f).compute(b).getFloat()).isCloseTo((float) ((row0 + row1) / 2), within(1e-5f));
    }

    @Test
    void shouldPickLossesByName() {
        TrainingBatch b = batch(rows(1, 0, 0, 1), rows(1, 0, 0, 1), null, new float[] {1, 0}, List.of("a", "b"), List.of("A", "B"), List.of());
        float both = TrainingLoss.named("both").compute(b).getFloat();
        float sum = TrainingLoss.named("mnrl").compute(b).getFloat() + TrainingLoss.named("cosine").compute(b).getFloat();
        assertThat(both).isCloseTo(sum, within(1e-6f));
        assertThatThrownBy(() -> TrainingLoss.named("triplet")).hasMessageContaining("unknown loss 'triplet'");
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
