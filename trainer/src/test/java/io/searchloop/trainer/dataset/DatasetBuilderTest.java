package io.searchloop.trainer.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.encoder.train.HardNegative;
import io.searchloop.encoder.train.TrainingExample;
import io.searchloop.events.PairSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    private static PairRow pair(
            String query,
            String product,
            double score,
            PairSource source,
            String from,
            double skips) {
        return new PairRow(
                query + "|" + product,
                query.toUpperCase(Locale.ROOT),
                query,
                product,
                "text " + product,
                score,
                source,
                from,
                skips);
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
        List<PairRow> pairs =
                List.of(
                        pair(h, "a", 0.9, PairSource.INTERACTIONS, null, 0),
                        pair(h, "b", 0.2, PairSource.INTERACTIONS, null, 1),
                        pair(
                                t + "x",
                                "a",
                                0.9,
                                PairSource.AUGMENTED_TYPO,
                                h,
                                0), // variant of a holdout query
                        pair(t, "c", 0.8, PairSource.INTERACTIONS, null, 0),
                        pair(
                                t + "y",
                                "c",
                                0.8,
                                PairSource.AUGMENTED_TYPO,
                                t,
                                0)); // variant of a training query
        Dataset d = new DatasetBuilder(split, 0.5, 2, false).build(pairs, Map.of());

        assertThat(d.train()).extracting(TrainingExample::productId).containsExactly("c", "c");
        assertThat(d.train())
                .extracting(TrainingExample::query)
                .doesNotContain(h.toUpperCase(Locale.ROOT));
        assertThat(d.holdout()).containsOnlyKeys(h);
        assertThat(d.holdout().get(h)).containsExactly(Map.entry("a", 0.9));
        assertThat(d.judged().get(h))
                .as("known non-relevant products are judged with gain 0")
                .containsExactly(Map.entry("a", 0.9), Map.entry("b", 0.0));
        assertThat(d.holdoutPairKeys()).containsExactly(h + "|a");
    }

    private static HardNegative negative(String id) {
        return new HardNegative(id, "text " + id);
    }

    @Test
    void shouldAttachSkipAndMinedNegativesToPositives() {
        String t = trainQuery();
        List<PairRow> pairs =
                new ArrayList<>(
                        List.of(
                                pair(t, "pos", 0.9, PairSource.INTERACTIONS, null, 0),
                                pair(t, "skipped", 0.1, PairSource.INTERACTIONS, null, 2),
                                pair(t, "weak", 0.3, PairSource.INTERACTIONS, null, 0)));
        Dataset d =
                new DatasetBuilder(split, 0.5, 3, false)
                        .build(
                                pairs,
                                Map.of(
                                        t,
                                        Map.of(
                                                "pos",
                                                List.of(
                                                        negative("m1"),
                                                        negative("pos"),
                                                        negative("m2")))));
        assertThat(d.train()).hasSize(1);
        assertThat(d.train().get(0).hardNegatives())
                .containsExactly(negative("skipped"), negative("m1"), negative("m2"));
        assertThat(d.train().get(0).positive()).isTrue();

        Dataset withScores = new DatasetBuilder(split, 0.5, 1, true).build(pairs, Map.of());
        assertThat(withScores.train())
                .extracting(TrainingExample::productId)
                .containsExactly("pos", "skipped", "weak");
        assertThat(withScores.train().get(0).hardNegatives()).containsExactly(negative("skipped"));
        assertThat(withScores.train())
                .as("scored negatives are regression targets, not ranking targets")
                .extracting(TrainingExample::positive)
                .containsExactly(true, false, false);
    }

    @Test
    void shouldNeverGiveAnExampleAKnownPositiveOfItsQueryAsNegativeAndMineForItsOwnPositive() {
        String t = trainQuery();
        List<PairRow> pairs =
                List.of(
                        pair(t, "a", 0.9, PairSource.INTERACTIONS, null, 0),
                        pair(t, "b", 0.7, PairSource.INTERACTIONS, null, 0),
                        pair(t + "y", "b", 0.7, PairSource.AUGMENTED_TYPO, t, 0),
                        new PairRow(
                                t + "|dup",
                                t,
                                t,
                                "dup",
                                "text a",
                                0.1,
                                PairSource.INTERACTIONS,
                                null,
                                3)); // another listing, a's very text
        // Mined per positive: for a the miner found b (a positive of the same query, under another
        // title) and c; for b, d.
        Map<String, Map<String, List<HardNegative>>> mined =
                Map.of(
                        t,
                        Map.of(
                                "a", List.of(new HardNegative("b", "b renamed"), negative("c")),
                                "b", List.of(negative("d"))));
        Dataset d = new DatasetBuilder(split, 0.5, 4, false).build(pairs, mined);
        assertThat(d.train()).extracting(TrainingExample::productId).containsExactly("a", "b", "b");
        assertThat(d.train().get(0).hardNegatives())
                .as("b is a known positive of the query, dup has a's text")
                .containsExactly(negative("c"));
        assertThat(d.train().get(1).hardNegatives())
                .containsExactly(new HardNegative("dup", "text a"), negative("d"));
        assertThat(d.train().get(2).hardNegatives())
                .as("a typo variant gets its source query's negatives")
                .containsExactly(new HardNegative("dup", "text a"), negative("d"));
        assertThat(d.train().get(2).relatedProductIds()).containsExactlyInAnyOrder("a", "b");
    }
}
