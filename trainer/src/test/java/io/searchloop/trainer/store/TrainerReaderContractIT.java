package io.searchloop.trainer.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.schemas.contracts.PublishedVersions;
import io.searchloop.testkit.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trainer's side of its contract with readers of the version history ({@link
 * PublishedVersions}), against its own migrations.
 */
class TrainerReaderContractIT {

    @Test
    void shouldPublishEveryVersionOfAModelInOrderThroughTheDeclaredView() throws SQLException {
        PostgresFixture.Database db = PostgresFixture.newSchema("trainer_contract");
        try (Connection c = db.url().connect()) {
            assertThat(PublishedVersions.read(c, "m")).as("before the trainer migrated").isEmpty();
        }
        new TrainerStore(db.url()).migrate();
        Instant created = Instant.parse("2026-11-30T10:00:00Z");
        try (Connection c = db.url().connect()) {
            insert(
                    c,
                    "m",
                    "v2",
                    2,
                    "PROMOTED",
                    "nDCG@10 +0.08",
                    "{\"ndcg10\": 0.61}",
                    created.plusSeconds(60));
            insert(c, "m", "v1", 1, "REJECTED", "no gain", "{\"ndcg10\": 0.50}", created);
            insert(c, "other", "v1", 1, "PROMOTED", null, "{}", created);

            List<PublishedVersions.Version> versions = PublishedVersions.read(c, "m");
            assertThat(versions)
                    .extracting(PublishedVersions.Version::version)
                    .containsExactly("v1", "v2");
            PublishedVersions.Version v2 = versions.get(1);
            assertThat(v2.status()).isEqualTo("PROMOTED");
            assertThat(v2.reason()).isEqualTo("nDCG@10 +0.08");
            assertThat(v2.metricsJson()).isEqualTo("{\"ndcg10\": 0.61}");
            assertThat(v2.pairCount()).isEqualTo(1200);
            assertThat(v2.createdAt()).isEqualTo(created.plusSeconds(60));
            assertThat(v2.updatedAt()).isEqualTo(created.plusSeconds(120));
        }
    }

    private static void insert(
            Connection c,
            String model,
            String version,
            int number,
            String status,
            String reason,
            String metrics,
            Instant at)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                INSERT INTO model_versions (model_name, version, version_number, base_model, artifact_uri, sha256, status, reason, metrics,
                    pair_count, created_at, updated_at) VALUES (?, ?, ?, 'base', 'file:///models', 'sha', ?, ?, ?::jsonb, 1200, ?, ?)""")) {
            ps.setString(1, model);
            ps.setString(2, version);
            ps.setInt(3, number);
            ps.setString(4, status);
            ps.setString(5, reason);
            ps.setString(6, metrics);
            ps.setTimestamp(7, Timestamp.from(at));
            ps.setTimestamp(8, Timestamp.from(at.plusSeconds(60)));
            ps.executeUpdate();
        }
    }
}
