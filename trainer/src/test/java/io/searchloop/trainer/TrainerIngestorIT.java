package io.searchloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.TrainingPair;
import io.searchloop.schemas.keys.PairKey;
import io.searchloop.schemas.registry.InMemorySchemaRegistry;
import io.searchloop.schemas.registry.LocalRegistryServer;
import io.searchloop.schemas.registry.RegistryConfig;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.DeadLetters;
import io.searchloop.schemas.topics.IngestLoop;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.testkit.CheckedSends;
import io.searchloop.testkit.KafkaFixture;
import io.searchloop.testkit.PostgresFixture;
import io.searchloop.testkit.TopicContents;
import io.searchloop.trainer.dataset.HoldoutSplit;
import io.searchloop.trainer.ingest.TrainerIngestor;
import io.searchloop.trainer.store.TrainerStore;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The trainer's ingestion under the failure policy, against the real broker and PostgreSQL: a
 * schema registry that refuses connections dead-letters nothing and commits nothing, and once it
 * answers every record lands; a record that can never be read is dead-lettered with its reason; a
 * failure the loop cannot get past hands the loop to its {@code Fatal}.
 */
class TrainerIngestorIT {
    private static final IngestLoop.Timing FAST =
            new IngestLoop.Timing(
                    Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(200));

    @Test
    void shouldWaitForAnUnreachableRegistryInsteadOfDeadLetteringGoodRecords() throws Exception {
        String prefix = KafkaFixture.uniqueName("ingest") + ".";
        KafkaFixture.provision(prefix, 2);
        InMemorySchemaRegistry schemas = InMemorySchemaRegistry.scope(prefix);
        Topics producing =
                Topics.autoRegistering(SchemaRegistries.connect("mock://" + prefix), prefix);
        List<CatalogItem> catalog = SyntheticTask.catalog();
        List<TrainingPair> pairs = SyntheticTask.pairs(false, new HoldoutSplit(0.3));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            CheckedSends<byte[], byte[]> sends = new CheckedSends<>(producer);
            for (CatalogItem item : catalog) {
                sends.send(
                        new ProducerRecord<>(
                                producing.catalog().name(),
                                bytes(item.getId()),
                                producing
                                        .catalog()
                                        .valueSerde()
                                        .serializer()
                                        .serialize(producing.catalog().name(), item)));
            }
            for (TrainingPair p : pairs) {
                sends.send(
                        new ProducerRecord<>(
                                producing.trainingPairs().name(),
                                bytes(PairKey.of(p.getNormalizedQuery(), p.getProductId())),
                                producing
                                        .trainingPairs()
                                        .valueSerde()
                                        .serializer()
                                        .serialize(producing.trainingPairs().name(), p)));
            }
            sends.send(
                    new ProducerRecord<>(
                            producing.trainingPairs().name(),
                            bytes("garbage"),
                            new byte[] {0, 0, 0, 0, 99, 1, 2}));
            sends.flush();
        }

        int port = freePort();
        Topics consuming =
                Topics.lookingUp(
                        SchemaRegistries.connect(
                                RegistryConfig.of("http://127.0.0.1:" + port)
                                        .withRetries(1, Duration.ofMillis(50))),
                        prefix);
        TrainerStore store = new TrainerStore(PostgresFixture.newSchema("ingest").url());
        store.migrate();
        TrainerIngestor handler =
                new TrainerIngestor(consuming, store, "catalog-encoder", List.of(), (v, r) -> {});
        List<Throwable> fatal = new CopyOnWriteArrayList<>();
        String group = prefix + "trainer";
        try (IngestLoop loop =
                new IngestLoop(
                        "test ingestion",
                        KafkaFixture.bootstrapServers(),
                        group,
                        handler.topics(),
                        500,
                        handler,
                        FAST,
                        (who, cause) -> fatal.add(cause))) {
            loop.start("test-ingest");
            await().atMost(Duration.ofSeconds(60)).until(() -> loop.retries() >= 3);
            assertThat(deadLetters(producing.trainingPairs().name())).isEmpty();
            assertThat(deadLetters(producing.catalog().name())).isEmpty();
            assertThat(committed(group))
                    .as("nothing committed while the registry is down")
                    .isEmpty();
            assertThat(store.pairs().counts(0).total()).isZero();

            try (LocalRegistryServer registry = LocalRegistryServer.start(port, schemas)) {
                assertThat(registry.url())
                        .as("back at the address the loop retries")
                        .endsWith(":" + port);
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(
                                () -> {
                                    assertThat(store.pairs().counts(0).total())
                                            .isEqualTo(
                                                    pairs.stream()
                                                            .map(
                                                                    p ->
                                                                            PairKey.of(
                                                                                    p
                                                                                            .getNormalizedQuery(),
                                                                                    p
                                                                                            .getProductId()))
                                                            .distinct()
                                                            .count());
                                    assertThat(store.catalog().texts()).hasSize(catalog.size());
                                    assertThat(
                                                    committed(group).values().stream()
                                                            .mapToLong(OffsetAndMetadata::offset)
                                                            .sum())
                                            .isEqualTo(catalog.size() + pairs.size() + 1);
                                });
            }
            List<ConsumerRecord<byte[], byte[]>> dead =
                    deadLetters(producing.trainingPairs().name());
            assertThat(dead).hasSize(1);
            assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("garbage");
            assertThat(
                            new String(
                                    dead.get(0).headers().lastHeader(DeadLetters.ERROR).value(),
                                    StandardCharsets.UTF_8))
                    .contains("schema id");
            assertThat(deadLetters(producing.catalog().name())).isEmpty();
            assertThat(loop.isAlive()).isTrue();
            assertThat(fatal).isEmpty();
        }
    }

    @Test
    void shouldHandTheLoopToItsFatalHandlerWhenItCannotContinue() throws Exception {
        String prefix = KafkaFixture.uniqueName("fatal") + ".";
        KafkaFixture.provision(prefix, 1);
        String topic = prefix + Topics.CATALOG;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, bytes("p1"), bytes("anything"))).get();
        }
        List<Throwable> fatal = new CopyOnWriteArrayList<>();
        String group = prefix + "g";
        IngestLoop.Handler broken =
                (records, deadLetter) -> {
                    throw new IllegalStateException("model artifact /models/v9 is missing");
                };
        try (IngestLoop loop =
                new IngestLoop(
                        "broken ingestion",
                        KafkaFixture.bootstrapServers(),
                        group,
                        List.of(topic),
                        10,
                        broken,
                        FAST,
                        (who, cause) -> fatal.add(cause))) {
            loop.start("broken-ingest");
            await().atMost(Duration.ofSeconds(60)).until(() -> !fatal.isEmpty());
            assertThat(fatal.get(0)).hasMessageContaining("v9 is missing");
            await().atMost(Duration.ofSeconds(10)).until(() -> !loop.isAlive());
        }
        try (Admin admin = KafkaFixture.admin()) {
            assertThat(
                            admin.listConsumerGroupOffsets(group)
                                    .partitionsToOffsetAndMetadata()
                                    .get()
                                    .values())
                    .allMatch(o -> o == null);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        try (Admin admin = KafkaFixture.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    new java.util.HashMap<>(
                            admin.listConsumerGroupOffsets(group)
                                    .partitionsToOffsetAndMetadata()
                                    .get());
            offsets.values().removeIf(o -> o == null);
            return offsets;
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(String topic) {
        return TopicContents.read(
                Topics.dlq(topic), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
