package io.searchloop.search.lexical;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostgresLexicalTest {

    @Test
    void shouldTurnAQueryIntoTermsWithoutOperatorsPrefixingOnlyWordsOfThreeOrMore() {
        assertThat(PostgresLexical.steps("дымоход 115/200", false))
                .containsExactly("дымоход:* & 115:* & 200:*", "дымоход:* | 115:* | 200:*");
        assertThat(PostgresLexical.steps("краска 10 л", false))
                .containsExactly("краска:* & 10 & л", "краска:* | 10 | л");
        assertThat(PostgresLexical.steps("a') | (select:* & !x", false))
                .containsExactly("a & select:* & x", "a | select:* | x");
        assertThat(PostgresLexical.steps("!!!", false)).isEmpty();
    }

    @Test
    void shouldAskForOneWordOnceWhenUnbounded() {
        assertThat(PostgresLexical.steps("дымоход", false)).containsExactly("дымоход:*");
    }

    @Test
    void shouldTryExactWordsBeforePrefixesWhenBounded() {
        assertThat(PostgresLexical.steps("дымоход 115", true))
                .containsExactly("дымоход & 115", "дымоход:* & 115:*", "дымоход:* | 115:*");
        // nothing to prefix: the exact step would repeat the next one
        assertThat(PostgresLexical.steps("10 л", true)).containsExactly("10 & л", "10 | л");
    }
}
