package io.searchloop.testkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShoppersTest {
    private final Catalog catalog = Catalog.generate(420, 2026);
    private final Shoppers shoppers = new Shoppers(catalog, 7);

    @Test
    void shouldKeepNeverIssuedPhrasingsApartFromEveryIssuedText() {
        Set<String> issued =
                shoppers.issued().stream()
                        .map(ShopperQueries.Query::text)
                        .collect(Collectors.toSet());
        Set<String> heldOutTexts =
                shoppers.heldOut().stream()
                        .map(ShopperQueries.Query::text)
                        .collect(Collectors.toSet());

        assertThat(heldOutTexts)
                .as("a synonym can be held out for one intent and issued for the other")
                .containsAnyElementsOf(issued);
        assertThat(shoppers.neverIssued()).isNotEmpty().noneMatch(q -> issued.contains(q.text()));
        assertThat(shoppers.neverIssued().stream().map(ShopperQueries.Query::family).distinct())
                .hasSize(QueryFamily.values().length);
    }

    @Test
    void shouldReactOnlyToShownResultsTopDown() {
        ShopperQueries.Query query = shoppers.issued().get(0);
        List<String> shown = ranking(query.intent(), true);
        Random random = new Random(1);
        for (int session = 0; session < 500; session++) {
            List<Shoppers.Reaction> reactions = shoppers.react(query, shown, random);
            for (int i = 0; i < reactions.size(); i++) {
                Shoppers.Reaction r = reactions.get(i);
                assertThat(r.productId()).isEqualTo(shown.get(r.position() - 1));
                assertThat(r.type()).isIn("CLICK", "ADD_TO_CART", "PURCHASE");
                if (i > 0) {
                    Shoppers.Reaction previous = reactions.get(i - 1);
                    if (r.type().equals("PURCHASE")) {
                        // a purchase follows its own add-to-cart, as a real shopper's does
                        assertThat(previous)
                                .isEqualTo(
                                        new Shoppers.Reaction(
                                                r.position(), r.productId(), "ADD_TO_CART"));
                    } else {
                        assertThat(r.position()).isGreaterThan(previous.position());
                    }
                } else {
                    assertThat(r.type()).isNotEqualTo("PURCHASE");
                }
            }
        }
    }

    @Test
    void shouldClickRelevantResultsFarMoreOftenThanUnrelatedOnes() {
        ShopperQueries.Query query = shoppers.issued().get(0);
        Random random = new Random(2);
        int relevant = 0;
        int unrelated = 0;
        for (int session = 0; session < 2_000; session++) {
            relevant += shoppers.react(query, ranking(query.intent(), true), random).size();
            unrelated += shoppers.react(query, ranking(query.intent(), false), random).size();
        }
        assertThat(relevant).isGreaterThan(10 * Math.max(unrelated, 1));
    }

    @Test
    void shouldScoreTheOraclesOwnRankingAsPerfectAndAnUnrelatedOneAsZero() {
        Intent intent = shoppers.issued().get(0).intent();
        assertThat(shoppers.metrics(intent, shoppers.grades(intent, ranking(intent, true)))[0])
                .isCloseTo(1.0, within(1e-9));
        assertThat(shoppers.metrics(intent, shoppers.grades(intent, ranking(intent, false)))[0])
                .isZero();
        assertThat(shoppers.grades(intent, List.of("no-such-product"))).containsExactly(0);
    }

    /** Ten product ids: the best for the intent by the oracle, or ten it grades 0. */
    private List<String> ranking(Intent intent, boolean best) {
        return catalog.items().stream()
                .filter(i -> best || intent.grade(i) == 0)
                .sorted(
                        Comparator.comparingInt((Catalog.Item i) -> -intent.grade(i))
                                .thenComparing(Catalog.Item::id))
                .limit(10)
                .map(Catalog.Item::id)
                .toList();
    }
}
