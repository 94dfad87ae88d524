package io.searchloop.pairs.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TypoAugmenterTest {

    @Test
    void shouldTypeAQueryWithTheWrongLayoutBothWays() {
        assertThat(KeyboardLayouts.switchLayout("дымоход")).isEqualTo("lsvj[jl");
        assertThat(KeyboardLayouts.switchLayout("шуруповерт")).isEqualTo("iehegjdthn");
        assertThat(KeyboardLayouts.switchLayout("lhtkm")).isEqualTo("дрель");
        assertThat(KeyboardLayouts.switchLayout("115/200")).isEqualTo("115/200");
    }

    @Test
    void shouldKnowKeyboardNeighbours() {
        assertThat(KeyboardLayouts.neighbours('ы')).contains("ф", "в", "ц", "ч");
        assertThat(KeyboardLayouts.neighbours('s')).contains("a", "d", "w", "x");
        assertThat(KeyboardLayouts.neighbours('7')).isEmpty();
    }

    @Test
    void shouldSplitAWordAtAnInteriorPoint() {
        String split = TypoAugmenter.splitWord("дымоход", new Random(1));
        assertThat(split).contains(" ");
        assertThat(split.replace(" ", "")).isEqualTo("дымоход");
        assertThat(split).doesNotStartWith("д ").doesNotEndWith(" д");
    }

    @Test
    void shouldMergeTwoAdjacentWords() {
        assertThat(TypoAugmenter.mergeWords("дымоход сэндвич", new Random(1)))
                .isEqualTo("дымоходсэндвич");
        assertThat(TypoAugmenter.mergeWords("дымоход", new Random(1))).isNull();
    }

    @Test
    void shouldSwapDropAndDoubleLetters() {
        String swapped = TypoAugmenter.transpose("дымоход", new Random(3));
        assertThat(swapped).hasSize(7).isNotEqualTo("дымоход");
        assertThat(swapped.chars().sorted().toArray())
                .isEqualTo("дымоход".chars().sorted().toArray());
        assertThat(TypoAugmenter.dropLetter("дымоход", new Random(3))).hasSize(6);
        String doubled = TypoAugmenter.doubleLetter("дымоход", new Random(3));
        assertThat(doubled).hasSize(8);
        assertThat(TypoAugmenter.dropLetter("115/200", new Random(3)))
                .as("numbers are never corrupted")
                .isNull();
    }

    @Test
    void shouldReplaceALetterWithAKeyboardNeighbour() {
        String typo = TypoAugmenter.neighbourKey("дымоход", new Random(5));
        assertThat(typo).hasSize(7).isNotEqualTo("дымоход");
        int at = 0;
        while (typo.charAt(at) == "дымоход".charAt(at)) {
            at++;
        }
        assertThat(KeyboardLayouts.neighbours("дымоход".charAt(at)))
                .contains(String.valueOf(typo.charAt(at)));
    }

    @Test
    void shouldGiveTheSameBoundedVariantsForTheSameQuery() {
        TypoAugmenter augmenter = new TypoAugmenter(4);
        List<String> first = augmenter.variants("сэндвич дымоход 115/200");
        assertThat(first)
                .hasSize(4)
                .doesNotHaveDuplicates()
                .doesNotContain("сэндвич дымоход 115/200");
        assertThat(augmenter.variants("сэндвич дымоход 115/200")).isEqualTo(first);
        assertThat(first.get(0))
                .isEqualTo(
                        "c'yldbx lsvj jl 115/200"
                                .replace("'", " ")
                                .replace("[", " ")
                                .replaceAll(" +", " "));
        assertThat(new TypoAugmenter(0).variants("дымоход")).isEmpty();
        assertThat(augmenter.variants("115/200")).as("nothing to misspell").isEmpty();
    }
}
