package io.searchloop.schemas.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QueryNormalizerTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
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
        assertThat(PairKey.of("a", "bc")).as("the separator keeps (a, bc) and (ab, c) apart").isNotEqualTo(PairKey.of("ab", "c"));
    }
}
