package io.searchloop.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.keys.QueryNormalizer;
import io.searchloop.search.lexical.LexicalEngine;
import io.searchloop.search.lexical.LexicalRetrieval;
import io.searchloop.search.lexical.LuceneLexical;
import io.searchloop.search.lexical.PostgresLexical;
import io.searchloop.search.query.Hit;
import io.searchloop.search.query.SearchMode;
import io.searchloop.search.query.Searcher;
import io.searchloop.testkit.simulator.Catalog;
import io.searchloop.testkit.simulator.ShopperQueries;
import io.searchloop.testkit.simulator.Shoppers;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lexical quality per {@link LexicalEngine}: the simulator's catalog (the quality figure's seed, at
 * the size asked for: bounding the candidates only changes results when a step matches more items
 * than the bound) stored by the embedder's own repository in a fresh schema, each held-out phrasing
 * normalized as the API does and ranked by the search API's lexical path ({@link Searcher} with
 * that engine's retrieval over the real catalog view), scored by the oracle: nDCG@10 with gain
 * grade/3, per query family and overall.
 */
final class LexicalQuality {
    private static final long CATALOG_SEED = 2026;
    private static final long SHOPPER_SEED = 7;

    private LexicalQuality() {}

    /**
     * family (and "all") → [nDCG@10, queries], per engine, over a simulator catalog of {@code
     * items} items.
     */
    static Map<LexicalEngine, Map<String, double[]>> measure(int items, int candidates)
            throws Exception {
        Catalog catalog = Catalog.generate(items, CATALOG_SEED);
        Shoppers shoppers = new Shoppers(catalog, SHOPPER_SEED);
        List<ShopperQueries.Query> heldOut = shoppers.neverIssued();
        EmbedderConfig stored =
                BenchCatalog.create(
                        "bench_lexical_quality",
                        catalog.items().stream().map(LoopBenchmark::item).toList());
        DatabaseUrl database = stored.connections().database();
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(database.jdbcUrl());
        pool.setDataSourceProperties(database.connectionProperties());
        pool.setMaximumPoolSize(2);
        Map<LexicalEngine, Map<String, double[]>> out = new LinkedHashMap<>();
        try (HikariDataSource db = new HikariDataSource(pool);
                LuceneLexical lucene = new LuceneLexical(database::connect)) {
            lucene.refresh();
            for (LexicalEngine engine : LexicalEngine.values()) {
                LexicalRetrieval retrieval =
                        switch (engine) {
                            case LUCENE -> lucene;
                            case POSTGRES -> new PostgresLexical(db, false, candidates);
                            case POSTGRES_BOUNDED -> new PostgresLexical(db, true, candidates);
                        };
                try (Searcher searcher = new Searcher(db, retrieval, 60, 50, 0)) {
                    List<List<String>> ranked = new ArrayList<>(heldOut.size());
                    for (ShopperQueries.Query q : heldOut) {
                        ranked.add(top10(searcher, q.text()));
                    }
                    out.put(engine, QualityBenchmark.ndcgByFamily(heldOut, shoppers, ranked::get));
                }
            }
        }
        return out;
    }

    private static List<String> top10(Searcher searcher, String query) throws SQLException {
        String normalized = QueryNormalizer.normalize(query);
        if (normalized.isEmpty()) {
            return List.of();
        }
        return searcher.search(SearchMode.LEXICAL, null, normalized, null, 10).stream()
                .map(Hit::productId)
                .toList();
    }

    /** The table rows: family, queries, then each engine's nDCG@10. */
    static List<List<Object>> rows(Map<LexicalEngine, Map<String, double[]>> scores) {
        List<List<Object>> rows = new ArrayList<>();
        Map<String, double[]> first = scores.values().iterator().next();
        for (String family : first.keySet()) {
            List<Object> row = new ArrayList<>(List.of(family, (int) first.get(family)[1]));
            scores.values()
                    .forEach(s -> row.add(String.format(Locale.ROOT, "%.4f", s.get(family)[0])));
            rows.add(row);
        }
        return rows;
    }
}
