package io.searchloop.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {
    private static Map<String, Double> values(int n, java.util.function.IntToDoubleFunction f) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put("q" + i, f.applyAsDouble(i));
        }
        return m;
    }

    @Test
    void shouldCollapseToTheDifferenceWhenEveryQueryMovesAlike() {
        // Very different queries, each improved by exactly 0.1: pairing removes the between-query
        // spread.
        PairedBootstrap.Interval i =
                PairedBootstrap.meanDifference(
                        values(30, q -> q / 30.0 + 0.1), values(30, q -> q / 30.0), 0.95, 1000, 1);
        assertThat(i.mean()).isCloseTo(0.1, within(1e-12));
        assertThat(i.lower()).isCloseTo(0.1, within(1e-12));
        assertThat(i.upper()).isCloseTo(0.1, within(1e-12));
        assertThat(i.queries()).isEqualTo(30);
    }

    @Test
    void shouldSpanZeroForAGainSmallerThanItsNoise() {
        PairedBootstrap.Interval i =
                PairedBootstrap.meanDifference(
                        values(40, q -> q % 2 == 0 ? 0.8 : 0.2),
                        values(40, q -> 0.49),
                        0.95,
                        2000,
                        7);
        assertThat(i.mean()).isCloseTo(0.01, within(1e-12));
        assertThat(i.lower()).isLessThan(-0.05);
        assertThat(i.upper()).isGreaterThan(0.05);
        // Roughly mean ± 1.96 × sd/√n = 0.01 ± 0.093.
        assertThat(i.upper() - i.lower()).isCloseTo(0.186, within(0.03));
    }

    @Test
    void shouldBeDeterministicAndIndependentOfMapOrder() {
        Map<String, Double> candidate = values(25, q -> Math.sin(q) * 0.3 + 0.5);
        Map<String, Double> production = values(25, q -> 0.45);
        Map<String, Double> shuffled = new HashMap<>(candidate);
        PairedBootstrap.Interval a =
                PairedBootstrap.meanDifference(candidate, production, 0.9, 500, 42);
        PairedBootstrap.Interval b =
                PairedBootstrap.meanDifference(shuffled, production, 0.9, 500, 42);
        assertThat(b).isEqualTo(a);
    }

    @Test
    void shouldPairOnlyQueriesMeasuredForBothModels() {
        Map<String, Double> candidate =
                new LinkedHashMap<>(Map.of("a", 1.0, "b", 1.0, "only-candidate", 0.0));
        PairedBootstrap.Interval i =
                PairedBootstrap.meanDifference(candidate, Map.of("a", 0.5, "b", 0.5), 0.95, 100, 3);
        assertThat(i.queries()).isEqualTo(2);
        assertThat(i.mean()).isEqualTo(0.5);
    }
}
