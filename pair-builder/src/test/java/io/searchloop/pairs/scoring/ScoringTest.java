package io.searchloop.pairs.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.searchloop.events.InteractionType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScoringTest {
    private final ImpressionLabeler labeler =
            new ImpressionLabeler(EvidenceWeights.defaults(), PositionPropensity.defaults());

    private Map<String, Evidence> label(List<String> shown, Engagement... engagements) {
        Map<String, Engagement> byProduct =
                List.of(engagements).stream()
                        .collect(Collectors.toMap(Engagement::productId, e -> e));
        return labeler.label("Q", "q", shown, byProduct, 0).evidence().stream()
                .collect(Collectors.toMap(Evidence::productId, e -> e));
    }

    @Test
    void shouldKeepTheStrongerEngagementWhicheverCameFirst() {
        Engagement click = new Engagement("a", InteractionType.CLICK);
        Engagement cart = new Engagement("a", InteractionType.ADD_TO_CART);
        Engagement purchase = new Engagement("a", InteractionType.PURCHASE);
        assertThat(click.strongest(cart)).isSameAs(cart);
        assertThat(cart.strongest(click)).isSameAs(cart);
        assertThat(cart.strongest(purchase)).isSameAs(purchase);
        assertThat(purchase.strongest(click)).isSameAs(purchase);
        assertThat(click.strongest(new Engagement("a", InteractionType.CLICK))).isSameAs(click);
    }

    @Test
    void shouldLabelSkipsAboveTheLowestEngagedResultOnly() {
        Map<String, Evidence> evidence =
                label(
                        List.of("a", "b", "c", "d", "e"),
                        new Engagement("b", InteractionType.CLICK),
                        new Engagement("d", InteractionType.ADD_TO_CART));
        assertThat(evidence).containsOnlyKeys("a", "b", "c", "d");
        assertThat(evidence.get("a").skip()).isEqualTo(1);
        assertThat(evidence.get("c").skip()).isEqualTo(1);
        assertThat(evidence.get("b").positive()).isEqualTo(2.0); // click 1 × position 2
        assertThat(evidence.get("d").positive()).isEqualTo(8.0); // cart 2 × position 4
    }

    @Test
    void shouldCreditOnlyShownProductsAtTheirLoggedPosition() {
        Map<String, Engagement> engagements =
                Map.of(
                        "c", new Engagement("c", InteractionType.CLICK),
                        "x",
                                new Engagement(
                                        "x",
                                        InteractionType
                                                .PURCHASE)); // never shown: a forged "purchase at
        // position 40"
        ImpressionLabeler.Labelled labelled =
                labeler.label("Q", "q", List.of("a", "b", "c"), engagements, 0);
        Map<String, Evidence> evidence =
                labelled.evidence().stream().collect(Collectors.toMap(Evidence::productId, e -> e));
        assertThat(evidence).containsOnlyKeys("a", "b", "c");
        assertThat(evidence.get("c").positive()).as("click 1 × logged position 3").isEqualTo(3.0);
        assertThat(labelled.notShown()).isEqualTo(1);
    }

    @Test
    void shouldNotLetAnUnshownProductMoveTheSkipBoundary() {
        ImpressionLabeler.Labelled labelled =
                labeler.label(
                        "Q",
                        "q",
                        List.of("a", "b", "c"),
                        Map.of("x", new Engagement("x", InteractionType.CLICK)),
                        0);
        assertThat(labelled.evidence())
                .as("no skips for a, b, c from a click on something never shown")
                .isEmpty();
        assertThat(labelled.notShown()).isEqualTo(1);
    }

    @Test
    void shouldGiveNoEvidenceForASearchWithoutEngagement() {
        assertThat(label(List.of("a", "b"))).isEmpty();
    }

    @Test
    void shouldCapTheInversePropensityWeight() {
        PositionPropensity p = PositionPropensity.defaults();
        assertThat(p.examination(4)).isEqualTo(0.25);
        assertThat(p.inverseWeight(4)).isEqualTo(4);
        assertThat(p.inverseWeight(40)).isEqualTo(10);
        assertThat(new PositionPropensity(0, 10).inverseWeight(7))
                .as("exponent 0 switches the correction off")
                .isEqualTo(1);
    }

    @Test
    void shouldSmoothScoresTowardsThePrior() {
        PairScorer scorer = PairScorer.defaults();
        PairStats none = PairStats.empty("Q", "q", "a");
        assertThat(scorer.score(none)).isEqualTo(0.3, within(1e-12));
        PairStats oneClick = none.add(new Evidence("Q", "q", "a", 1, 0, 0));
        assertThat(scorer.score(oneClick))
                .as("one click is not a certain 1.0")
                .isEqualTo(1.6 / 3, within(1e-12));
        PairStats manyPurchases = none;
        for (int i = 0; i < 50; i++) {
            manyPurchases = manyPurchases.add(new Evidence("Q", "q", "a", 40, 0, 0));
        }
        assertThat(scorer.score(manyPurchases)).isLessThan(1.0).isGreaterThan(0.99);
        PairStats skipped =
                none.add(new Evidence("Q", "q", "a", 0, 1, 0))
                        .add(new Evidence("Q", "q", "a", 0, 1, 0));
        assertThat(scorer.score(skipped)).isEqualTo(0.15, within(1e-12));
    }

    @Test
    void shouldEmitOnceThereIsEnoughEvidenceThenOnlyOnRealMoves() {
        PairScorer scorer = new PairScorer(0.3, 2, 2, 0.05);
        PairStats one = PairStats.empty("Q", "q", "a").add(new Evidence("Q", "q", "a", 1, 0, 0));
        assertThat(scorer.shouldEmit(one, scorer.score(one))).isFalse();
        PairStats two = one.add(new Evidence("Q", "q", "a", 1, 0, 0));
        assertThat(scorer.shouldEmit(two, 0.65)).isTrue();
        PairStats emitted = two.emitted(0.65, false);
        assertThat(scorer.shouldEmit(emitted, 0.69)).isFalse();
        assertThat(scorer.shouldEmit(emitted, 0.71)).isTrue();
        assertThat(scorer.shouldEmit(emitted, 0.59)).isTrue();
    }
}
