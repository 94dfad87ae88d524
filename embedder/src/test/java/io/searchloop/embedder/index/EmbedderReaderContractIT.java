package io.searchloop.embedder.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.embedder.EmbedderService;
import io.searchloop.schemas.contracts.ActiveIndexView;
import io.searchloop.schemas.contracts.ActiveIndexView.ActiveIndex;
import io.searchloop.testkit.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedder's side of its contract with search-api ({@link ActiveIndexView}), checked against
 * the embedder's own migrations: what the readers read is what the embedder writes, and the queries
 * search-api runs over the index table and the catalog view work on it.
 */
class EmbedderReaderContractIT {
    private static final String MODEL = "contract-model";

    @Test
    void shouldServeTheActiveIndexCatalogAndReaderHeartbeatsThroughTheDeclaredViews()
            throws SQLException {
        PostgresFixture.Database db = PostgresFixture.newSchema("contract");
        EmbedderConfig config =
                EmbedderConfig.fromEnv(
                        Map.of(
                                "DATABASE_URL",
                                db.url().withCredentialsInUrl(),
                                "SCHEMA_REGISTRY_URL",
                                "mock://contract"));
        try (Connection c = config.connections().database().connect()) {
            assertThat(ActiveIndexView.read(c, MODEL)).as("before the embedder migrated").isEmpty();
            assertThat(ActiveIndexView.reportReading(c, "reader-1", MODEL, "emb_x"))
                    .as("nothing to protect before the embedder migrated")
                    .isFalse();
        }
        EmbedderService.migrate(config);
        IndexRepository indexes = new IndexRepository();
        String table = IndexRepository.tableName(MODEL, "v1");
        try (Connection c = config.connections().database().connect()) {
            assertThat(ActiveIndexView.read(c, MODEL)).as("no index yet").isEmpty();
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO catalog_items (id, title, category, product_text, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, "p1");
                ps.setString(2, "Дымоход утепленный 115 мм");
                ps.setString(3, "Дымоходы");
                ps.setString(4, "Дымоход утепленный 115 мм | Дымоходы");
                ps.setTimestamp(5, Timestamp.from(Instant.now()));
                ps.executeUpdate();
            }
            indexes.createTable(c, table, 3);
            indexes.insertRows(
                    c,
                    table,
                    List.of(new IndexRepository.Row("p1", new float[] {1, 0, 0}, "hash-1")));
            IndexRequest request =
                    new IndexRequest(MODEL, "v1", "file:///models/contract-model/v1", "sha-1");
            indexes.register(c, request, table, 3);
            Instant activated =
                    indexes.activate(
                            c,
                            new IndexInfo(
                                    MODEL,
                                    "v1",
                                    table,
                                    3,
                                    request.artifactUri(),
                                    request.sha256(),
                                    IndexStatus.BUILDING,
                                    0,
                                    null,
                                    null),
                            1,
                            true,
                            1234);

            ActiveIndex active = ActiveIndexView.read(c, MODEL).orElseThrow();
            assertThat(active.version()).isEqualTo("v1");
            assertThat(active.table()).isEqualTo(table);
            assertThat(active.dimension()).isEqualTo(3);
            assertThat(active.artifactUri()).isEqualTo(request.artifactUri());
            assertThat(active.sha256()).isEqualTo("sha-1");
            assertThat(Duration.between(activated, active.activatedAt()).toMillis())
                    .isCloseTo(0L, within(1L));

            // What search-api runs: the index table the view names, joined with the catalog view;
            // full text over the view.
            assertThat(
                            rows(
                                    c,
                                    "SELECT e.product_id, i.title, i.category FROM "
                                            + active.table()
                                            + " e JOIN "
                                            + ActiveIndexView.CATALOG
                                            + " i ON i.id = e.product_id ORDER BY e.embedding <=> '[1,0,0]' LIMIT 1"))
                    .containsExactly("p1 | Дымоход утепленный 115 мм | Дымоходы");
            assertThat(
                            rows(
                                    c,
                                    "SELECT id, title, category FROM "
                                            + ActiveIndexView.CATALOG
                                            + " WHERE search_text @@ (to_tsquery('russian', 'дымоходы') || to_tsquery('simple', 'дымоходы'))"))
                    .containsExactly("p1 | Дымоход утепленный 115 мм | Дымоходы");

            // What the trainer reads to reuse production's embeddings.
            List<ActiveIndexView.IndexedVector> vectors = new ArrayList<>();
            ActiveIndexView.forEachVector(c, active.table(), vectors::add);
            assertThat(vectors).hasSize(1);
            assertThat(vectors.get(0).productId()).isEqualTo("p1");
            assertThat(vectors.get(0).textHash()).isEqualTo("hash-1");
            assertThat(vectors.get(0).vector()).containsExactly(1, 0, 0);
            assertThat(c.getAutoCommit()).as("left as it was").isTrue();

            assertThat(ActiveIndexView.reportReading(c, "reader-1", MODEL, table)).isTrue();
            assertThat(indexes.tablesReadSince(c, MODEL, Instant.now().minusSeconds(60)))
                    .as("what the embedder consults before dropping")
                    .contains(table);
        }
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1) + " | " + rs.getString(2) + " | " + rs.getString(3));
            }
        }
        return out;
    }
}
