package io.searchloop.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.pgvector.PGvector;
import io.searchloop.testkit.PostgresFixture.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PostgresVectorIT {

    @Test
    void shouldHaveThePgvectorExtension() throws SQLException {
        try (Connection c = PostgresFixture.database().connect();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
            assertThat(rs.next()).as("vector extension installed").isTrue();
            assertThat(rs.getString(1)).matches("\\d+\\.\\d+\\.\\d+");
        }
    }

    @Test
    void shouldAnswerTopKFromAnHnswCosineIndex() throws SQLException {
        Database db = PostgresFixture.newSchema("hnsw");
        int dims = 32;
        int rows = 4000;
        Random random = new Random(42);
        List<float[]> vectors = new ArrayList<>();
        try (Connection c = db.connect()) {
            PGvector.addVectorType(c);
            try (Statement s = c.createStatement()) {
                s.execute(
                        "CREATE TABLE items (id int PRIMARY KEY, embedding vector("
                                + dims
                                + ") NOT NULL)");
            }
            c.setAutoCommit(false);
            try (PreparedStatement insert =
                    c.prepareStatement("INSERT INTO items (id, embedding) VALUES (?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    float[] v = new float[dims];
                    for (int d = 0; d < dims; d++) {
                        v[d] = (float) random.nextGaussian();
                    }
                    vectors.add(v);
                    insert.setInt(1, i);
                    insert.setObject(2, new PGvector(v));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute(
                        "CREATE INDEX items_embedding_hnsw ON items USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)");
                s.execute("ANALYZE items");
            }

            float[] query = vectors.get(123);
            String topK = "SELECT id FROM items ORDER BY embedding <=> ? LIMIT 10";
            try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + topK)) {
                explain.setObject(1, new PGvector(query));
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = explain.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                assertThat(plan.toString()).contains("Index Scan using items_embedding_hnsw");
            }
            try (PreparedStatement search = c.prepareStatement(topK)) {
                search.setObject(1, new PGvector(query));
                try (ResultSet rs = search.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1))
                            .as("a vector's nearest neighbour is itself")
                            .isEqualTo(123);
                }
            }
        }
    }
}
