package io.searchloop.embedder.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.embedder.EmbedderService;
import io.searchloop.embedder.catalog.CatalogRepository;
import io.searchloop.encoder.CatalogVectors;
import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.TinyModels;
import io.searchloop.encoder.weights.ModelChecksum;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.contracts.ActiveIndexView;
import io.searchloop.schemas.keys.TextHash;
import io.searchloop.testkit.PostgresFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index built for an artifact that carries the trainer's catalog embeddings takes them for every
 * item whose text is the one they were computed from, and encodes the others.
 */
class ShippedVectorsIT {
    private static final Map<String, String> CATALOG =
            Map.of(
                    "p1", "Дымоход утепленный 115 мм | Дымоходы",
                    "p2", "Шуруповерт аккумуляторный | Инструмент",
                    "p3", "Минеральная вата 50 мм | Утеплители");

    @Test
    void shouldIndexShippedVectorsForUnchangedTextsAndEncodeTheRest(@TempDir Path tmp)
            throws Exception {
        PostgresFixture.Database db = PostgresFixture.newSchema("shipped");
        EmbedderConfig config =
                EmbedderConfig.defaults(
                        Connections.of("localhost:9092", "mock://shipped", db.url()));
        EmbedderService.migrate(config);
        try (Connection c = config.connections().database().connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO catalog_items (id, title, category, product_text, updated_at) VALUES (?, ?, '', ?, ?)")) {
            for (Map.Entry<String, String> item : CATALOG.entrySet()) {
                ps.setString(1, item.getKey());
                ps.setString(2, item.getValue());
                ps.setString(3, item.getValue());
                ps.setTimestamp(4, Timestamp.from(Instant.now()));
                ps.executeUpdate();
            }
        }
        Path artifact = TinyModels.write(tmp.resolve("v7"), 7);
        try (SentenceEncoder model =
                SentenceEncoder.load(
                        artifact,
                        EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU))) {
            float[] shipped = new float[model.dimension()];
            shipped[0] = 1;
            CatalogVectors vectors = new CatalogVectors(model.dimension());
            vectors.put("p1", TextHash.of(CATALOG.get("p1")), shipped);
            vectors.put("p2", TextHash.of("Шуруповерт сетевой | Инструмент"), shipped);
            vectors.write(artifact);

            IndexBuilder.BuildResult build =
                    new IndexBuilder(
                                    config.connections().database(),
                                    new CatalogRepository(),
                                    new IndexRepository(),
                                    100,
                                    16,
                                    64)
                            .build(
                                    new IndexRequest(
                                            "shipped",
                                            "v7",
                                            artifact.toUri().toString(),
                                            ModelChecksum.sha256(artifact)),
                                    model);

            Map<String, float[]> indexed = new HashMap<>();
            try (Connection c = config.connections().database().connect()) {
                ActiveIndexView.forEachVector(
                        c, build.index().tableName(), v -> indexed.put(v.productId(), v.vector()));
            }
            assertThat(indexed).containsOnlyKeys("p1", "p2", "p3");
            assertThat(indexed.get("p1")).as("shipped for this text").containsExactly(shipped);
            float[][] encoded = model.encode(List.of(CATALOG.get("p2"), CATALOG.get("p3")));
            assertThat(indexed.get("p2"))
                    .as("shipped for an older text: encoded")
                    .containsExactly(encoded[0], org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(indexed.get("p3"))
                    .as("not shipped: encoded")
                    .containsExactly(encoded[1], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }
}
