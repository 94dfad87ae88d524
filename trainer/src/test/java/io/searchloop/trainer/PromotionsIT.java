package io.searchloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.events.ModelStatus;
import io.searchloop.events.ModelVersion;
import io.searchloop.schemas.outbox.OutboxRelay;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.testkit.KafkaFixture;
import io.searchloop.testkit.PostgresFixture;
import io.searchloop.testkit.TopicContents;
import io.searchloop.trainer.artifacts.ArtifactStore;
import io.searchloop.trainer.store.TrainerStore;
import io.searchloop.trainer.store.VersionRow;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback against real PostgreSQL and Kafka: the current version becomes ROLLED_BACK, the earlier
 * one PROMOTED, in both places; and scenario 5 of issue 15, the broker unreachable during a
 * promotion and a rollback, after which the outbox brings the topic level with the database.
 */
class PromotionsIT {

    @Test
    void shouldRollBackToAnEarlierIntactVersion(@TempDir Path root) throws Exception {
        TrainerStore store = new TrainerStore(PostgresFixture.newSchema("promotions").url());
        store.migrate();
        String prefix = KafkaFixture.uniqueName("promotions") + ".";
        Topics topics =
                Topics.autoRegistering(SchemaRegistries.connect("mock://" + prefix), prefix);
        ArtifactStore artifacts = new ArtifactStore(root);
        try (ModelEvents events =
                new ModelEvents(KafkaFixture.bootstrapServers(), topics.modelVersions())) {
            Promotions promotions =
                    new Promotions(
                            store.versions(),
                            new OutboxRelay<>(
                                    "model-version events", store.outbox(), events::publish),
                            "m");
            VersionRow v1 = version(artifacts, 1);
            VersionRow v2 = version(artifacts, 2);
            promotions.candidate(v1);
            promotions.change(v1, ModelStatus.PROMOTED, "better");
            promotions.candidate(v2);
            promotions.change(v2, ModelStatus.PROMOTED, "better still");
            assertThat(store.versions().production("m").orElseThrow().version()).isEqualTo("v2");

            promotions.rollback("v1", "v2 hurts conversions");

            assertThat(store.versions().production("m").orElseThrow().version()).isEqualTo("v1");
            assertThat(store.versions().find("m", "v2").orElseThrow().status())
                    .isEqualTo(ModelStatus.ROLLED_BACK);
            assertThatThrownBy(() -> promotions.rollback("v1", "again"))
                    .hasMessageContaining("already the production version");
            assertThatThrownBy(() -> promotions.rollback("v9", "nope"))
                    .hasMessageContaining("has no version v9");
            Files.writeString(
                    Path.of(java.net.URI.create(v2.artifactUri())).resolve("model.safetensors"),
                    "tampered");
            assertThatThrownBy(() -> promotions.rollback("v2", "back"))
                    .hasMessageContaining("refusing to load");
        }
        List<ModelVersion> published =
                published(topics).stream().map(ConsumerRecord::value).toList();
        assertThat(published)
                .extracting(e -> e.getVersion() + " " + e.getStatus())
                .containsExactly(
                        "v1 CANDIDATE",
                        "v1 PROMOTED",
                        "v2 CANDIDATE",
                        "v2 PROMOTED",
                        "v2 ROLLED_BACK",
                        "v1 PROMOTED");
    }

    @Test
    void shouldLetTheTopicCatchUpWithTheDatabaseAfterPublishFailedDuringPromotionAndRollback(
            @TempDir Path root) throws Exception {
        TrainerStore store = new TrainerStore(PostgresFixture.newSchema("outbox").url());
        store.migrate();
        String prefix = KafkaFixture.uniqueName("outbox") + ".";
        KafkaFixture.provision(prefix, 1);
        Topics topics =
                Topics.autoRegistering(SchemaRegistries.connect("mock://" + prefix), prefix);
        ArtifactStore artifacts = new ArtifactStore(root);

        try (ModelEvents unreachable =
                new ModelEvents(
                        "127.0.0.1:" + freePort(), topics.modelVersions(), Duration.ofSeconds(2))) {
            Promotions promotions =
                    new Promotions(
                            store.versions(),
                            new OutboxRelay<>(
                                    "model-version events", store.outbox(), unreachable::publish),
                            "m");
            VersionRow v1 = version(artifacts, 1);
            VersionRow v2 = version(artifacts, 2);
            promotions.candidate(v1);
            promotions.change(v1, ModelStatus.PROMOTED, "better");
            promotions.candidate(v2);
            promotions.change(v2, ModelStatus.PROMOTED, "better still");
            promotions.rollback("v1", "v2 hurts conversions");
        }
        assertThat(store.versions().production("m").orElseThrow().version()).isEqualTo("v1");
        assertThat(published(topics)).as("nothing reached the topic").isEmpty();
        assertThat(store.outbox().unsent(100)).hasSize(6);

        try (ModelEvents events =
                new ModelEvents(KafkaFixture.bootstrapServers(), topics.modelVersions())) {
            OutboxRelay<VersionRow> restarted =
                    new OutboxRelay<>("model-version events", store.outbox(), events::publish);
            assertThat(restarted.publishPending()).isEqualTo(6);
            assertThat(restarted.publishPending()).as("sent ones are not sent again").isZero();
        }
        List<ConsumerRecord<String, ModelVersion>> records = published(topics);
        assertThat(records)
                .extracting(r -> r.key() + " " + r.value().getStatus())
                .containsExactly(
                        "m:v1 CANDIDATE",
                        "m:v1 PROMOTED",
                        "m:v2 CANDIDATE",
                        "m:v2 PROMOTED",
                        "m:v2 ROLLED_BACK",
                        "m:v1 PROMOTED");
        Map<String, ModelStatus> latestOnTopic = new LinkedHashMap<>();
        records.forEach(r -> latestOnTopic.put(r.value().getVersion(), r.value().getStatus()));
        Map<String, ModelStatus> inDatabase = new LinkedHashMap<>();
        store.versions().all("m").forEach(v -> inDatabase.put(v.version(), v.status()));
        assertThat(latestOnTopic)
                .isEqualTo(inDatabase)
                .containsEntry("v1", ModelStatus.PROMOTED)
                .containsEntry("v2", ModelStatus.ROLLED_BACK);
    }

    @Test
    void shouldNeverReuseAVersionNumberOnceReserved() throws Exception {
        TrainerStore store = new TrainerStore(PostgresFixture.newSchema("reserve").url());
        store.migrate();
        assertThat(store.versions().reserveNumber("m")).isEqualTo(1);
        // The round that reserved 1 died before recording it: the next round gets 2, not 1 again.
        assertThat(store.versions().reserveNumber("m")).isEqualTo(2);
    }

    private static List<ConsumerRecord<String, ModelVersion>> published(Topics topics) {
        return TopicContents.read(
                topics.modelVersions().name(),
                new StringDeserializer(),
                topics.modelVersions().valueSerde().deserializer());
    }

    private static VersionRow version(ArtifactStore artifacts, int n) throws Exception {
        ArtifactStore.Artifact a =
                artifacts.store(
                        "m",
                        "v" + n,
                        dir -> Files.writeString(dir.resolve("model.safetensors"), "weights " + n));
        Instant now = Instant.now();
        return new VersionRow(
                "m",
                "v" + n,
                n,
                n == 1 ? null : "v" + (n - 1),
                "all-MiniLM-L6-v2",
                a.uri(),
                a.sha256(),
                ModelStatus.CANDIDATE,
                "test",
                Map.of("ndcg@10", 0.5 + n / 10.0),
                100,
                now,
                now);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
