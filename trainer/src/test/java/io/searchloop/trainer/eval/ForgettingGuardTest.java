package io.searchloop.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ForgettingGuardTest {
    @Test
    void shouldShipAGradedSetInEnglishAndRussianWithSpreadGoldScores() {
        List<ForgettingGuard.GradedPair> pairs = ForgettingGuard.loadPairs();
        Map<String, List<ForgettingGuard.GradedPair>> byLanguage =
                pairs.stream().collect(Collectors.groupingBy(ForgettingGuard.GradedPair::language));
        assertThat(byLanguage).containsOnlyKeys("en", "ru");
        for (List<ForgettingGuard.GradedPair> language : byLanguage.values()) {
            assertThat(language).hasSizeGreaterThanOrEqualTo(40);
            assertThat(language).allSatisfy(p -> assertThat(p.gold()).isBetween(0.0, 5.0));
            // Every band of the scale is represented, so a rank correlation with the gold scores
            // means something.
            for (int band = 0; band < 5; band++) {
                int low = band;
                assertThat(language)
                        .as("gold scores in [%d, %d)", low, low + 1)
                        .anyMatch(p -> p.gold() >= low && p.gold() < low + 1);
            }
            assertThat(language)
                    .allSatisfy(p -> assertThat(p.first()).isNotBlank().isNotEqualTo(p.second()));
        }
    }
}
