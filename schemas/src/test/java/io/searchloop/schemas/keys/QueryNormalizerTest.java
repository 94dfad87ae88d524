package io.searchloop.schemas.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.events.PairSource;
import io.searchloop.events.TrainingPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryNormalizerTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(
            delimiter = '|',
            value = {
                "  Дымоход   СЭНДВИЧ  | дымоход сэндвич",
                "Шуруповёрт Makita!!! | шуруповерт makita",
                "труба 115/200 мм | труба 115/200 мм",
                "лист 0,5 мм; цвет: RAL-3005 | лист 0,5 мм цвет ral-3005",
                "кран 3/4\" латунь | кран 3/4\" латунь",
                "кран 1/2” | кран 1/2\"",
                "шуруповерт 18В | шуруповерт 18в",
                "саморез 4.8х35 | саморез 4.8х35",
                "перфоратор SDS-plus, 800 Вт | перфоратор sds-plus 800 вт",
                "ｆｕｌｌｗｉｄｔｈ　ｄｒｉｌｌ | fullwidth drill",
                "кабель 3х2,5 мм² | кабель 3х2,5 мм2",
                "- дымоход - | дымоход",
                "дрель / перфоратор | дрель перфоратор",
                "Cordless DRILL 18V, 2 batteries. | cordless drill 18v 2 batteries",
                "\"дымоход\" | дымоход",
                "sds+ | sds+",
            })
    void shouldNormalize(String raw, String expected) {
        assertThat(QueryNormalizer.normalize(raw)).isEqualTo(expected);
    }

    @Test
    void shouldTurnNothingIntoNothing() {
        assertThat(QueryNormalizer.normalize(null)).isEmpty();
        assertThat(QueryNormalizer.normalize(" ?!… ")).isEmpty();
    }

    @Test
    void shouldKeyPairsStablyAndDistinctly() {
        assertThat(PairKey.of("дымоход", "p1")).isEqualTo(PairKey.of("дымоход", "p1")).hasSize(32);
        assertThat(PairKey.of("дымоход", "p1")).isNotEqualTo(PairKey.of("дымоход", "p2"));
        assertThat(PairKey.of("a", "bc"))
                .as("the separator keeps (a, bc) and (ab, c) apart")
                .isNotEqualTo(PairKey.of("ab", "c"));
    }

    @Test
    void shouldKeyAGeneratedTypoVariantApartFromAnObservedPairWithTheSameText() {
        TrainingPair observed =
                TrainingPair.newBuilder()
                        .setQuery("дымо ход")
                        .setNormalizedQuery("дымо ход")
                        .setProductId("p1")
                        .setProductText("Дымоход")
                        .setScore(0.9)
                        .setSource(PairSource.INTERACTIONS)
                        .setImpressions(3)
                        .setPositives(2)
                        .setSkips(0)
                        .setUpdatedAt(java.time.Instant.EPOCH)
                        .build();
        TrainingPair variant =
                TrainingPair.newBuilder(observed)
                        .setSource(PairSource.AUGMENTED_TYPO)
                        .setAugmentedFrom("дымоход")
                        .build();
        assertThat(PairKey.of(observed)).isEqualTo(PairKey.of("дымо ход", "p1"));
        assertThat(PairKey.of(variant))
                .isEqualTo(PairKey.ofVariant("дымо ход", "дымоход", "p1"))
                .hasSize(32)
                .isNotEqualTo(PairKey.of(observed));
        assertThat(PairKey.ofVariant("дымо ход", "дымоход", "p1"))
                .as("variants of different source queries are different pairs")
                .isNotEqualTo(PairKey.ofVariant("дымо ход", "дымо-ход", "p1"));
    }
}
