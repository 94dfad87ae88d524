package io.searchloop.bench;

import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.embedder.EmbedderService;
import io.searchloop.embedder.catalog.CatalogRepository;
import io.searchloop.embedder.index.IndexRequest;
import io.searchloop.encoder.BaseModel;
import io.searchloop.encoder.weights.ModelChecksum;
import io.searchloop.events.CatalogItem;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.keys.ProductText;
import io.searchloop.testkit.PostgresFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generated catalog written straight into a fresh embedder schema (no Kafka in between: the
 * figures that use it measure encoding, loading and searching, not ingestion).
 */
final class BenchCatalog {
    private BenchCatalog() {}

    /**
     * A new schema with the embedder's tables and {@code items} catalog rows, ids p000000…, and the
     * embedder's default settings for it (these benchmarks read no topic).
     */
    static EmbedderConfig create(String schemaPrefix, int items) throws SQLException {
        List<String> titles = CatalogTitles.generate(items, 11);
        Instant at = Instant.parse("2026-11-01T00:00:00Z");
        List<CatalogItem> generated = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            generated.add(
                    CatalogItem.newBuilder()
                            .setId(String.format("p%06d", i))
                            .setTitle(titles.get(i))
                            .setCategory(titles.get(i).split(" ", -1)[0])
                            .setUpdatedAt(at)
                            .build());
        }
        return create(schemaPrefix, generated);
    }

    /**
     * A new schema with the embedder's tables holding {@code items}, as the embedder stores them.
     */
    static EmbedderConfig create(String schemaPrefix, List<CatalogItem> items) throws SQLException {
        PostgresFixture.Database db = PostgresFixture.newSchema(schemaPrefix);
        EmbedderConfig config =
                EmbedderConfig.defaults(Connections.of("localhost:9092", "mock://bench", db.url()));
        EmbedderService.migrate(config);
        CatalogRepository catalog = new CatalogRepository();
        try (Connection c = config.connections().database().connect()) {
            c.setAutoCommit(false);
            for (int from = 0; from < items.size(); from += 1_000) {
                Map<String, CatalogItem> upserts = new LinkedHashMap<>();
                Map<String, String> texts = new LinkedHashMap<>();
                for (CatalogItem item : items.subList(from, Math.min(items.size(), from + 1_000))) {
                    upserts.put(item.getId(), item);
                    texts.put(item.getId(), ProductText.of(item, List.of()));
                }
                catalog.apply(c, upserts, texts, Map.of(), new ArrayList<>());
                c.commit();
            }
        }
        return config;
    }

    /**
     * The request the embedder makes for the bundled base model (the search API verifies the
     * checksum before serving it).
     */
    static IndexRequest baseModel(EmbedderConfig config) throws IOException {
        Path dir = BaseModel.directory();
        return new IndexRequest(
                config.modelName(), "base", dir.toUri().toString(), ModelChecksum.sha256(dir));
    }
}
