package io.searchloop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.PairSource;
import io.searchloop.events.TrainingPair;
import io.searchloop.testkit.simulator.Catalog;
import io.searchloop.testkit.simulator.ShopperQueries;
import io.searchloop.testkit.simulator.Shoppers;
import io.searchloop.trainer.dataset.PairRow;
import io.searchloop.trainer.offline.OfflineData;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShopperPairsTest {
    private final Catalog catalog = Catalog.generate(210, 2026);
    private final Shoppers shoppers = new Shoppers(catalog, 7);
    private final List<CatalogItem> items =
            catalog.items().stream().map(LoopBenchmark::item).toList();
    private final Map<String, ShopperQueries.Query> byText =
            shoppers.issued().stream()
                    .collect(Collectors.toMap(ShopperQueries.Query::text, q -> q, (a, b) -> a));

    /**
     * A search that shows, for each query, five items the oracle grades best and five unrelated
     * ones, interleaved.
     */
    private List<String> ranking(String text) {
        var intent = byText.get(text).intent();
        List<String> best =
                catalog.items().stream()
                        .sorted(
                                Comparator.comparingInt((Catalog.Item i) -> -intent.grade(i))
                                        .thenComparing(Catalog.Item::id))
                        .limit(5)
                        .map(Catalog.Item::id)
                        .toList();
        List<String> unrelated =
                catalog.items().stream()
                        .filter(i -> intent.grade(i) == 0)
                        .limit(5)
                        .map(Catalog.Item::id)
                        .toList();
        return List.of(
                unrelated.get(0),
                best.get(0),
                unrelated.get(1),
                best.get(1),
                unrelated.get(2),
                best.get(2),
                unrelated.get(3),
                best.get(3),
                unrelated.get(4),
                best.get(4));
    }

    @Test
    void shouldTurnSimulatedSearchesAndClicksIntoScoredPairsThroughThePairBuilder()
            throws Exception {
        ShopperPairs.Outcome outcome =
                ShopperPairs.simulate(shoppers, items, this::ranking, 2_000, 0, 2_000, 7);

        List<TrainingPair> pairs =
                outcome.pairs().stream()
                        .filter(p -> p.getSource() == PairSource.INTERACTIONS)
                        .toList();
        assertThat(outcome.searches()).isEqualTo(2_000);
        assertThat(outcome.interactions()).isPositive();
        assertThat(pairs).hasSizeGreaterThan(100);
        Map<String, Catalog.Item> byId = catalog.byId();
        // Clicked products score high, the unrelated ones passed over score low: the oracle agrees
        // with the scores.
        List<TrainingPair> high = pairs.stream().filter(p -> p.getScore() >= 0.5).toList();
        List<TrainingPair> low = pairs.stream().filter(p -> p.getScore() < 0.5).toList();
        assertThat(high).isNotEmpty();
        assertThat(low).isNotEmpty();
        assertThat(
                        high.stream()
                                .filter(
                                        p ->
                                                byText.get(p.getQuery())
                                                                .intent()
                                                                .grade(byId.get(p.getProductId()))
                                                        >= 2)
                                .count())
                .isGreaterThan(high.size() * 9L / 10);
        assertThat(
                        low.stream()
                                .filter(
                                        p ->
                                                byText.get(p.getQuery())
                                                                .intent()
                                                                .grade(byId.get(p.getProductId()))
                                                        == 0)
                                .count())
                .isGreaterThan(low.size() * 8L / 10);
    }

    @Test
    void shouldWritePairsAndCatalogThatTheOfflineToolsReadBack(@TempDir Path dir) throws Exception {
        List<TrainingPair> pairs =
                ShopperPairs.simulate(shoppers, items, this::ranking, 600, 0, 600, 3)
                        .pairs()
                        .stream()
                        .filter(p -> p.getSource() == PairSource.INTERACTIONS)
                        .toList();
        QualityBenchmark.writeCatalog(dir.resolve("catalog.csv"), catalog);
        QualityBenchmark.writePairs(dir.resolve("pairs.csv"), pairs);

        Map<String, String> texts = OfflineData.catalog(dir.resolve("catalog.csv"));
        List<PairRow> rows = OfflineData.pairs(dir.resolve("pairs.csv"), texts);

        assertThat(texts).hasSize(catalog.items().size());
        Catalog.Item first = catalog.items().get(0);
        assertThat(texts.get(first.id()))
                .isEqualTo(first.title() + " | " + first.type().category());
        assertThat(pairs).isNotEmpty();
        assertThat(rows).hasSameSizeAs(pairs);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).query()).isEqualTo(pairs.get(i).getQuery());
            assertThat(rows.get(i).productId()).isEqualTo(pairs.get(i).getProductId());
            assertThat(rows.get(i).productText()).isEqualTo(pairs.get(i).getProductText());
            assertThat(rows.get(i).score())
                    .isEqualTo(
                            pairs.get(i).getScore(), org.assertj.core.api.Assertions.within(1e-6));
        }
    }
}
