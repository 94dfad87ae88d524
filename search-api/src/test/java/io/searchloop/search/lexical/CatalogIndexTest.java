package io.searchloop.search.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.search.query.Hit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CatalogIndexTest {
    private static final List<CatalogIndex.Row> CATALOG =
            List.of(
                    new CatalogIndex.Row(
                            "p1", "Дымоход сэндвич из нержавеющей стали 115/200 мм", "Дымоходы"),
                    new CatalogIndex.Row("p2", "Труба дымохода оцинкованная 150 мм", "Дымоходы"),
                    new CatalogIndex.Row(
                            "p3", "Шуруповерт аккумуляторный 18В", "Электроинструмент"),
                    new CatalogIndex.Row("p4", "Дрель ударная 750 Вт", "Электроинструмент"),
                    new CatalogIndex.Row("p5", "Труба водопроводная ПНД 32 мм", "Водопровод"),
                    new CatalogIndex.Row("p6", "Cordless drill 18V", "Электроинструмент"),
                    new CatalogIndex.Row("p7", "Ёлочная гирлянда", null));

    private CatalogIndex index;

    @BeforeEach
    void load() throws IOException {
        index = new CatalogIndex();
        assertThat(index.replaceAll(CATALOG)).isEqualTo(CATALOG.size());
    }

    @AfterEach
    void close() throws IOException {
        index.close();
    }

    private List<String> ids(String query, String category) throws IOException {
        return index.search(query, category, 10).stream().map(Hit::productId).toList();
    }

    @Test
    void shouldCutEqualScoresAtTheKthPlaceByProductIdWhateverOrderTheItemsWereLoadedIn()
            throws IOException {
        List<CatalogIndex.Row> rows = new ArrayList<>();
        // The shortest title scores highest, whatever its id.
        rows.add(new CatalogIndex.Row("z99", "Саморез", "Крепеж"));
        for (int i = 0; i < 20; i++) {
            rows.add(
                    new CatalogIndex.Row(
                            String.format(Locale.ROOT, "s%02d", i),
                            "Саморез кровельный оцинкованный",
                            "Крепеж"));
        }
        List<CatalogIndex.Row> reversed = new ArrayList<>(rows);
        Collections.reverse(reversed);
        try (CatalogIndex forward = new CatalogIndex();
                CatalogIndex backward = new CatalogIndex()) {
            forward.replaceAll(rows);
            backward.replaceAll(reversed);

            List<Hit> first = forward.search("саморез", null, 5);
            assertThat(first)
                    .extracting(Hit::productId)
                    .containsExactly("z99", "s00", "s01", "s02", "s03");
            assertThat(first.get(0).score()).isGreaterThan(first.get(1).score());
            assertThat(first.get(1).score()).isEqualTo(first.get(4).score());
            assertThat(backward.search("саморез", null, 5)).isEqualTo(first);
        }
    }

    @Test
    void shouldMatchOtherFormsOfARussianWord() throws IOException {
        // "трубы", "трубу" share the stem of "труба"
        assertThat(ids("трубы", null)).containsExactlyInAnyOrder("p2", "p5");
        assertThat(ids("трубу", null)).containsExactlyInAnyOrder("p2", "p5");
    }

    @Test
    void shouldRankItemsWithMoreOfTheWordsFirstAndStillReturnThoseWithSome() throws IOException {
        List<String> ids = ids("труба дымохода", null);
        assertThat(ids.get(0)).isEqualTo("p2");
        assertThat(ids).contains("p5", "p1");
    }

    @Test
    void shouldMatchTheStartOfAWord() throws IOException {
        assertThat(ids("шуруп", null)).containsExactly("p3");
        // two letters are too few to be a prefix
        assertThat(ids("шу", null)).isEmpty();
    }

    @Test
    void shouldForgiveOneTypo() throws IOException {
        assertThat(ids("шуруповрет", null)).containsExactly("p3");
        assertThat(ids("дрелъ", null)).containsExactly("p4");
    }

    @Test
    void shouldMatchLatinWordsAndSizesAndTreatYoAsYe() throws IOException {
        assertThat(ids("drill", null)).containsExactly("p6");
        assertThat(ids("115/200", null)).containsExactly("p1");
        assertThat(ids("елочная", null)).containsExactly("p7");
    }

    @Test
    void shouldKeepToTheCategoryAskedFor() throws IOException {
        assertThat(ids("труба", "Водопровод")).containsExactly("p5");
        assertThat(ids("18в", "Электроинструмент")).contains("p3").doesNotContain("p1");
    }

    @Test
    void shouldAnswerNothingForAQueryWithoutWords() throws IOException {
        assertThat(ids("", null)).isEmpty();
        assertThat(ids("и", null)).isEmpty(); // a stop word, shorter than a prefix
    }

    @Test
    void shouldMatchExactlyTheRowsOfTheLastReplacement() throws IOException {
        List<CatalogIndex.Row> next = new ArrayList<>(CATALOG);
        next.removeIf(r -> r.id().equals("p4"));
        next.replaceAll(
                r ->
                        r.id().equals("p3")
                                ? new CatalogIndex.Row("p3", "Гайковерт ударный", r.category())
                                : r);
        next.add(new CatalogIndex.Row("p8", "Дрель-миксер 1200 Вт", "Электроинструмент"));

        assertThat(index.replaceAll(next)).isEqualTo(3);

        assertThat(index.size()).isEqualTo(CATALOG.size());
        assertThat(ids("дрель", null)).containsExactly("p8");
        assertThat(ids("шуруповерт", null)).isEmpty();
        assertThat(ids("гайковерт", null)).containsExactly("p3");
        assertThat(index.replaceAll(next)).isZero();
    }

    @Test
    void shouldOrderEqualScoresByProductId() throws IOException {
        CatalogIndex twins = new CatalogIndex();
        try {
            twins.replaceAll(
                    List.of(
                            new CatalogIndex.Row("b", "Кран шаровой", null),
                            new CatalogIndex.Row("a", "Кран шаровой", null)));
            assertThat(twins.search("кран", null, 2))
                    .extracting(Hit::productId)
                    .containsExactly("a", "b");
        } finally {
            twins.close();
        }
    }

    @Test
    void shouldLeaveOutARowLuceneCannotHoldAndKeepEveryOtherChange() throws IOException {
        // A category over Lucene's 32,766-byte term limit would fail the whole refresh as an exact
        // filter term; the row is indexed without it, and an immense id leaves only that row out.
        String hugeCategory = "Категория ".repeat(4_000);
        String hugeId = "p".repeat(40_000);
        List<CatalogIndex.Row> next = new java.util.ArrayList<>(CATALOG);
        next.add(new CatalogIndex.Row("p9", "Стремянка алюминиевая", hugeCategory));
        next.add(new CatalogIndex.Row(hugeId, "Перфоратор сетевой", "Электроинструмент"));
        next.add(new CatalogIndex.Row("p10", "Перфоратор аккумуляторный", "Электроинструмент"));
        index.replaceAll(next);
        assertThat(ids("стремянка", null)).containsExactly("p9");
        assertThat(ids("перфоратор", null)).containsExactly("p10");
        assertThat(index.size()).isEqualTo(CATALOG.size() + 2);
    }

    @Test
    void shouldAnswerAQueryOfManyMisspelledWordsWithinLucenesClauseLimit() throws IOException {
        // Many title words close to each query word: at Lucene's default of 50 fuzzy expansions
        // per word, 32 unknown words would need more than its 1,024 clauses.
        String letters = "абвгдеж";
        List<CatalogIndex.Row> rows = new java.util.ArrayList<>();
        for (int n = 0; n < 7 * 7 * 7; n++) {
            String suffix =
                    "" + letters.charAt(n / 49) + letters.charAt(n / 7 % 7) + letters.charAt(n % 7);
            rows.add(new CatalogIndex.Row("s" + suffix, "шуруп" + suffix, "Крепёж"));
        }
        index.replaceAll(rows);
        List<String> words = new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
            words.add("шуруп" + letters.charAt(i % 7) + "ю" + letters.charAt(i / 7));
        }
        assertThat(index.search(String.join(" ", words), null, 10)).hasSize(10);
    }
}
