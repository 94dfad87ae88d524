package io.searchloop.trainer.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.encoder.train.TrainingExample;
import io.searchloop.events.PairSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetBuilderTest {
    private final HoldoutSplit split = new HoldoutSplit(0.5);

    /** Queries known to fall on each side of the 50 % split. */
    private String holdoutQuery() {
        for (int i = 0; ; i++) {
            if (split.isHoldout("q" + i)) {
                return "q" + i;
            }
        }
    }

    private String trainQuery() {
        for (int i = 0; ; i++) {
            if (!split.isHoldout("q" + i)) {
                return "q" + i;
            }
        }
    }

    private static PairRow pair(String query, String product, double score, PairSource source, String from, double skips) {
        return new PairRow(query + "|" + product, query.toUpperCase(), query, product, "text " + product, score, source, from, skips);
    }

    @Test
    void shouldSplitStablyByQuery() {
        HoldoutSplit tenPercent = new HoldoutSplit(0.1);
        long holdout = 0;
        for (int i = 0; i < 10_000; i++) {
            boolean first = tenPercent.isHoldout("query " + i);
            assertThat(new HoldoutSplit(0.1).isHoldout("query " + i)).isEqualTo(first);
            holdout += first ? 1 : 0;
        }
        assertThat(holdout).isBetween(900L, 1100L);
        assertThat(new HoldoutSplit(0).isHoldout("anything")).isFalse();
    }

    @Test
    void shouldNeverTrainOnAHoldoutQueryOrItsTypoVariants() {
        String h = holdoutQuery();
        String t = trainQuery();
        List<PairRow> pairs = List.of(
                pair(h, "a", 0.9, PairSource.INTERACTIONS, null, 0),
                pair(h, "b", 0.2, PairSource.INTERACTIONS, null, 1),
                pair(t + "x", "a", 0.9, PairSource.AUGMENTED_TYPO, h, 0),   // variant of a holdout query
                pair(t, "c", 0.8, PairSource.INTERACTIONS, null, 0),
                pair(t + "y", "c", 0.8, PairSource.AUGMENTED_TYPO, t, 0));  // variant of a training query
        Dataset d = new DatasetBuilder(split, 0.5, 2, false).build(pairs, Map.of());

        assertThat(d.train()).extracting(TrainingExample::productId).containsExactly("c", "c");
        assertThat(d.train()).extracting(TrainingExample::query).doesNotContain(h.toUpperCase());
        assertThat(d.holdout()).containsOnlyKeys(h);
        assertThat(d.holdout().get(h)).containsExactly(Map.entry("a", 0.9));
        assertThat(d.judged().get(h)).as("known non-relevant products are judged with gain 0").containsExactly(Map.entry("a", 0.9), Map.entry("b", 0.0));
        assertThat(d.holdoutPairKeys()).containsExactly(h + "|a");
    }

    @Test
    void shouldAttachSkipAndMinedNegativesToPositives() {
        String t = trainQuery();
        List<PairRow> pairs = new ArrayList<>(List.of(
                pair(t, "pos", 0.9, PairSource.INTERACTIONS, null, 0),
                pair(t, "skipped", 0.1, PairSource.INTERACTIONS, null, 2),
                pair(t, "weak", 0.3, PairSource.INTERACTIONS, null, 0)));
        Dataset d = new DatasetBuilder(split, 0.5, 3, false).build(pairs, Map.of(t, List.of("mined 1", "text pos", "mined 2")));
        assertThat(d.train()).hasSize(1);
        assertThat(d.train().get(0).hardNegatives()).containsExactly("text skipped", "mined 1", "mined 2");

        Dataset withScores = new DatasetBuilder(split, 0.5, 1, true).build(pairs, Map.of());
        assertThat(withScores.train()).extracting(TrainingExample::productId).containsExactly("pos", "skipped", "weak");
        assertThat(withScores.train().get(0).hardNegatives()).containsExactly("text skipped");
    }
}
