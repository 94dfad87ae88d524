package io.searchloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.searchloop.encoder.CatalogVectors;
import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.events.CatalogItem;
import io.searchloop.events.ModelStatus;
import io.searchloop.events.ModelVersion;
import io.searchloop.events.TrainingPair;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.keys.PairKey;
import io.searchloop.schemas.keys.ProductText;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.testkit.CheckedSends;
import io.searchloop.testkit.KafkaFixture;
import io.searchloop.testkit.PostgresFixture;
import io.searchloop.trainer.artifacts.ArtifactStore;
import io.searchloop.trainer.dataset.HoldoutSplit;
import io.searchloop.trainer.store.VersionRow;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer against real Kafka and PostgreSQL: pairs arrive through the topic, the volume trigger
 * fires, the bundled MiniLM is really fine-tuned, and CANDIDATE then PROMOTED appear with an
 * artifact that loads back with a matching sha256; a poisoned pair set is REJECTED.
 */
class TrainerServiceIT {
    private static final double HOLDOUT = 0.3;

    @Test
    void shouldTrainAndPromoteWhenEnoughPairsArrive(@TempDir Path store) throws Exception {
        Run run = new Run(store, false);
        List<Path> candidateCopiesBefore = candidateCopies();
        try (TrainerService service = new TrainerService(run.config)) {
            service.start();
            run.produce();
            List<ModelVersion> events = run.awaitEvents(2);
            assertThat(events)
                    .extracting(ModelVersion::getStatus)
                    .containsExactly(ModelStatus.CANDIDATE, ModelStatus.PROMOTED);
            ModelVersion promoted = events.get(1);
            assertThat(promoted.getVersion()).isEqualTo("v1");
            assertThat(promoted.getMetrics().get("ndcg@10"))
                    .isGreaterThan(promoted.getMetrics().get("production_ndcg@10"));
            assertThat(promoted.getMetrics().get("judged_ndcg@10"))
                    .isGreaterThan(promoted.getMetrics().get("production_judged_ndcg@10"));
            // Promoted beyond noise: the lower end of the judged gain's bootstrap interval clears
            // the configured minimum.
            assertThat(promoted.getMetrics().get("gate_judged_ndcg@10_gain_lower"))
                    .isGreaterThan(0.001);
            assertThat(promoted.getMetrics())
                    .containsKeys(
                            "gate_catalog_ndcg@10_change_lower",
                            "gate_catalog_recall@100_change_lower",
                            "forgetting_gold_spearman",
                            "forgetting_production_gold_spearman",
                            "forgetting_base_gold_spearman");
            assertThat(promoted.getMetrics().get("seconds_save"))
                    .as("saving the candidate is timed apart from its training")
                    .isPositive();
            assertThat(promoted.getMetrics().get("forgetting_production_gold_spearman"))
                    .as("first round: production is the base")
                    .isEqualTo(promoted.getMetrics().get("forgetting_base_gold_spearman"));
            assertThat(promoted.getReason()).contains("90% CI");

            Path dir = Path.of(URI.create(promoted.getArtifactUri()));
            assertThat(ArtifactStore.sha256(dir)).isEqualTo(promoted.getSha256());
            assertThat(dir.resolve("metrics.json")).exists();
            // The round publishes its events, then closes its outcome.
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () ->
                                    assertThat(candidateCopies())
                                            .as(
                                                    "the candidate's temporary files are gone once the artifact is written")
                                            .isEqualTo(candidateCopiesBefore));
            // CATALOG_ENGINE=auto: the saved candidate was measured on ONNX Runtime, and the
            // vectors it ships are the artifact's own (PyTorch gives the same within parity).
            assertThat(
                            new ObjectMapper()
                                    .readTree(dir.resolve("training-config.json").toFile())
                                    .path("evaluationEngine")
                                    .asText())
                    .isEqualTo("onnx");
            CatalogItem item = SyntheticTask.catalog().get(0);
            String text = ProductText.of(item, List.of());
            float[] shipped = CatalogVectors.read(dir).find(item.getId(), text);
            assertThat(shipped).isNotNull();
            try (SentenceEncoder model =
                    SentenceEncoder.load(
                            dir,
                            EncoderOptions.defaults()
                                    .withDevice(EncoderOptions.DeviceChoice.CPU))) {
                assertThat(model.encode(List.of("труба для отвода дыма"))[0]).hasSize(384);
                float[] encoded = model.encode(List.of(text))[0];
                double dot = 0;
                for (int d = 0; d < encoded.length; d++) {
                    dot += encoded[d] * shipped[d];
                }
                assertThat(dot).isGreaterThan(0.9999);
            }
            VersionRow row =
                    service.store().versions().production(run.config.modelName()).orElseThrow();
            assertThat(row.version()).isEqualTo("v1");
            assertThat(service.checkAndTrain())
                    .as("the same pairs do not trigger a second round")
                    .isFalse();
            assertThat(service.ops().readiness().evaluate().ready())
                    .as("ingesting, PostgreSQL and Kafka reachable")
                    .isTrue();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    series(
                                                            service,
                                                            "searchloop_trainer_production_version{"))
                                            .isEqualTo(1));
            assertThat(
                            series(
                                    service,
                                    "searchloop_trainer_rounds_total{service=\"trainer\",verdict=\"PROMOTED\"}"))
                    .isEqualTo(1);
            assertThat(series(service, "searchloop_trainer_step{"))
                    .isPositive()
                    .isEqualTo(series(service, "searchloop_trainer_steps_planned{"));
            assertThat(series(service, "searchloop_trainer_loss{")).isFinite();
            assertThat(series(service, "searchloop_trainer_phase{phase=\"idle\"")).isEqualTo(1);
            assertThat(series(service, "searchloop_ingest_alive{")).isEqualTo(1);
            assertThat(
                            series(
                                    service,
                                    "searchloop_ingest_records_applied_total{loop=\"trainer-ingest\",service=\"trainer\",topic=\""
                                            + run.prefix
                                            + "training-pairs\"}"))
                    .isPositive();

            // A replay of the same records changes nothing either, once the trainer has applied it.
            String applied =
                    "searchloop_ingest_records_applied_total{loop=\"trainer-ingest\",service=\"trainer\",topic=\""
                            + run.prefix
                            + "training-pairs\"}";
            double before = series(service, applied);
            run.produce();
            int replayed = SyntheticTask.pairs(run.poisoned, new HoldoutSplit(HOLDOUT)).size();
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> series(service, applied) >= before + replayed);
            assertThat(service.checkAndTrain()).isFalse();
        }
    }

    @Test
    void shouldRejectAPoisonedPairSet(@TempDir Path store) throws Exception {
        Run run = new Run(store, true);
        try (TrainerService service = new TrainerService(run.config)) {
            service.start();
            run.produce();
            List<ModelVersion> events = run.awaitEvents(2);
            assertThat(events)
                    .extracting(ModelVersion::getStatus)
                    .containsExactly(ModelStatus.CANDIDATE, ModelStatus.REJECTED);
            assertThat(events.get(1).getReason()).isNotBlank();
            assertThat(service.store().versions().production(run.config.modelName())).isEmpty();
        }
    }

    /** The value of the one scraped series whose line starts with {@code prefix}. */
    private static double series(TrainerService service, String prefix) {
        List<String> lines =
                service.ops().metrics().scrape().lines().filter(l -> l.startsWith(prefix)).toList();
        assertThat(lines).as(prefix).hasSize(1);
        return Double.parseDouble(lines.get(0).substring(lines.get(0).lastIndexOf(' ') + 1));
    }

    /** One isolated trainer setup: its own topics, schema, registry scope and model name. */
    private static final class Run {
        final String prefix = KafkaFixture.uniqueName("trainer") + ".";
        final Topics topics;
        final TrainerConfig config;
        final boolean poisoned;

        Run(Path store, boolean poisoned) throws Exception {
            this.poisoned = poisoned;
            String registry = "mock://" + prefix;
            topics = Topics.autoRegistering(SchemaRegistries.connect(registry), prefix);
            KafkaFixture.provision(prefix, 2);
            TrainingRound.Settings round = TrainingRound.Settings.defaults();
            config =
                    TrainerConfig.defaults(
                                    Connections.of(
                                                    KafkaFixture.bootstrapServers(),
                                                    registry,
                                                    PostgresFixture.newSchema("trainer").url())
                                            .withTopicPrefix(prefix))
                            .withGroupId(prefix + "trainer")
                            .withModelStore(store)
                            .withModelName(poisoned ? "poisoned" : "catalog-encoder")
                            .withTrigger(250, Duration.ZERO)
                            .withCheckInterval(Duration.ofSeconds(1))
                            .withRound(
                                    round.withHoldoutFraction(HOLDOUT)
                                            .withTraining(
                                                    round.training()
                                                            .withEpochs(1)
                                                            .withBatchSize(16)
                                                            .withMaxSteps(16)
                                                            .withLearningRate(5e-5f))
                                            .withGate(round.gate().withMinJudgedNdcgGain(0.001))
                                            .withEncoder(
                                                    EncoderOptions.defaults()
                                                            .withDevice(
                                                                    EncoderOptions.DeviceChoice
                                                                            .CPU)));
        }

        void produce() {
            try (KafkaProducer<String, CatalogItem> catalog =
                            new KafkaProducer<>(
                                    producerProps(),
                                    new StringSerializer(),
                                    topics.catalog().valueSerde().serializer());
                    KafkaProducer<String, TrainingPair> pairs =
                            new KafkaProducer<>(
                                    producerProps(),
                                    new StringSerializer(),
                                    topics.trainingPairs().valueSerde().serializer())) {
                CheckedSends<String, CatalogItem> catalogSends = new CheckedSends<>(catalog);
                for (CatalogItem item : SyntheticTask.catalog()) {
                    catalogSends.send(
                            new ProducerRecord<>(topics.catalog().name(), item.getId(), item));
                }
                catalogSends.flush();
                CheckedSends<String, TrainingPair> pairSends = new CheckedSends<>(pairs);
                for (TrainingPair p : SyntheticTask.pairs(poisoned, new HoldoutSplit(HOLDOUT))) {
                    pairSends.send(
                            new ProducerRecord<>(topics.trainingPairs().name(), PairKey.of(p), p));
                }
                pairSends.flush();
            }
        }

        private static Map<String, Object> producerProps() {
            return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers());
        }

        List<ModelVersion> awaitEvents(int count) {
            List<ModelVersion> seen = new ArrayList<>();
            try (KafkaConsumer<String, ModelVersion> consumer =
                    new KafkaConsumer<>(
                            Map.of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    KafkaFixture.bootstrapServers(),
                                    ConsumerConfig.GROUP_ID_CONFIG,
                                    UUID.randomUUID().toString(),
                                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                    "earliest"),
                            new StringDeserializer(),
                            topics.modelVersions().valueSerde().deserializer())) {
                consumer.subscribe(List.of(topics.modelVersions().name()));
                await().atMost(Duration.ofMinutes(10))
                        .pollInterval(Duration.ZERO)
                        .until(
                                () -> {
                                    consumer.poll(Duration.ofMillis(500))
                                            .forEach(r -> seen.add(r.value()));
                                    return seen.size() >= count;
                                });
            }
            return seen;
        }
    }

    /** The temporary directories training rounds save candidates to. */
    private static List<Path> candidateCopies() throws IOException {
        try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("searchloop-candidate-"))
                    .sorted()
                    .toList();
        }
    }
}
