package io.searchloop.trainer.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.encoder.train.HardNegative;
import io.searchloop.trainer.eval.CatalogIndex;
import io.searchloop.trainer.eval.CatalogIndex.Hit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HardNegativeMinerTest {
    private static final Map<String, String> CATALOG =
            Map.of(
                    "top", "top", "near", "near", "mid", "mid", "low", "low", "clicked", "clicked",
                    "rare", "rare", "floor", "floor");
    // One query with a well-matched positive (clicked, 0.80) and a weakly matched one (rare, 0.50).
    private static final CatalogIndex.Ranking RANKING =
            new CatalogIndex.Ranking(
                    List.of(
                            new Hit("top", 0.90f),
                            new Hit("clicked", 0.80f),
                            new Hit("near", 0.78f),
                            new Hit("mid", 0.60f),
                            new Hit("low", 0.45f),
                            new Hit("floor", 0.20f)),
                    Map.of("clicked", 0.80f, "rare", 0.50f));

    private static Map<String, List<String>> mine(HardNegativeMiner miner) {
        Map<String, Map<String, List<HardNegative>>> out =
                miner.select(
                        List.of("q"),
                        List.of(RANKING),
                        Map.of("q", Set.of("clicked", "rare")),
                        CATALOG);
        Map<String, List<String>> ids = new LinkedHashMap<>();
        out.get("q")
                .forEach(
                        (positive, negatives) ->
                                ids.put(
                                        positive,
                                        negatives.stream().map(HardNegative::productId).toList()));
        return ids;
    }

    @Test
    void shouldCompareEachCandidateWithTheExampleOwnPositiveUnderARelativeMargin() {
        Map<String, List<String>> mined = mine(new HardNegativeMiner(2, 0.95, 0));
        // clicked (0.80): top and near score above 0.95 × 0.80 = 0.76, so they are likely
        // unlabelled positives; mid and low are not.
        assertThat(mined.get("clicked")).containsExactly("mid", "low");
        // rare (0.50): only products under 0.475. Measured against the query's best positive (0.80)
        // instead, mid (0.60),
        // which the model ranks above rare itself, would have been pushed away from the query.
        assertThat(mined.get("rare")).containsExactly("low", "floor");
    }

    @Test
    void shouldSkipTheTopRanksWhenConfigured() {
        Map<String, List<String>> mined = mine(new HardNegativeMiner(3, 1.0, 3));
        assertThat(mined.get("clicked"))
                .as("ranks 1-3 (top, clicked, near) are never mined")
                .containsExactly("mid", "low", "floor");
        assertThat(mine(new HardNegativeMiner(3, 1.0, 0)).get("clicked"))
                .containsExactly("near", "mid", "low");
    }

    @Test
    void shouldRefuseSettingsOutOfRange() {
        assertThatThrownBy(() -> new HardNegativeMiner(2, 0, 0)).hasMessageContaining("ratio 0.0");
        assertThatThrownBy(() -> new HardNegativeMiner(2, 1.5, 0))
                .hasMessageContaining("ratio 1.5");
        assertThatThrownBy(() -> new HardNegativeMiner(2, 0.9, -1)).hasMessageContaining("skip -1");
    }
}
