package io.searchloop.bench;

import io.searchloop.demo.LoopWatch;
import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.embedder.EmbedderService;
import io.searchloop.embedder.index.IndexBuilder;
import io.searchloop.events.CatalogItem;
import io.searchloop.events.IndexActivated;
import io.searchloop.events.ModelStatus;
import io.searchloop.events.ModelVersion;
import io.searchloop.events.PairSource;
import io.searchloop.events.RetrainRequested;
import io.searchloop.events.TrainingPair;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.keys.PairKey;
import io.searchloop.schemas.keys.ProductText;
import io.searchloop.schemas.keys.QueryNormalizer;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.search.SearchApiService;
import io.searchloop.search.SearchConfig;
import io.searchloop.testkit.CheckedSends;
import io.searchloop.testkit.KafkaFixture;
import io.searchloop.testkit.PostgresFixture;
import io.searchloop.testkit.simulator.Catalog;
import io.searchloop.testkit.simulator.Intent;
import io.searchloop.testkit.simulator.ProductType;
import io.searchloop.testkit.simulator.ShopperQueries;
import io.searchloop.trainer.TrainerConfig;
import io.searchloop.trainer.TrainerService;
import io.searchloop.trainer.TrainingRound;
import io.searchloop.trainer.gate.PromotionGate;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Figure 6: the loop's latency on CPU, from a retrain request to the search API serving the new
 * model, split by phase — the real trainer, embedder and search API in one JVM over the real broker
 * and PostgreSQL. The gate is opened wide (any candidate is promoted) because this figure times the
 * loop; whether training helps is the demo's and the trainer's tests' business.
 */
final class LoopBenchmark {
    private static final String MODEL = "catalog-encoder";

    private final boolean quick;

    LoopBenchmark(boolean quick) {
        this.quick = quick;
    }

    void run(Results results) throws Exception {
        int items = quick ? 1_000 : 10_000;
        int maxSteps = quick ? 3 : 60;
        String prefix = "bench-loop-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        KafkaFixture.provision(prefix, 1);
        PostgresFixture.Database db = PostgresFixture.newSchema("bench_loop");
        Connections connections =
                Connections.of(KafkaFixture.bootstrapServers(), "mock://" + prefix, db.url())
                        .withTopicPrefix(prefix);
        Topics topics =
                Topics.autoRegistering(
                        SchemaRegistries.connect(connections.schemaRegistryUrl()), prefix);
        Catalog catalog = Catalog.generate(items, 2026);
        List<TrainingPair> pairs = pairs(catalog);

        List<List<Object>> rows = new ArrayList<>();
        Map<String, Object> extra = new LinkedHashMap<>();
        try (TrainerService trainer = new TrainerService(trainer(connections, prefix, maxSteps));
                EmbedderService embedder =
                        new EmbedderService(
                                EmbedderConfig.defaults(connections)
                                        .withGroupId(prefix + "embedder")
                                        .withCheckInterval(Duration.ofSeconds(1)));
                SearchApiService search =
                        new SearchApiService(
                                SearchConfig.defaults(connections)
                                        .withRefreshInterval(Duration.ofSeconds(1))
                                        // the simulated shoppers are one client
                                        .withGuard(
                                                SearchConfig.Guard.defaults().withoutRateLimit()));
                KafkaConsumer<String, ModelVersion> versions =
                        consumer(
                                topics.modelVersions().name(),
                                topics.modelVersions().valueSerde().deserializer());
                KafkaConsumer<String, IndexActivated> activations =
                        consumer(
                                topics.indexEvents().name(),
                                topics.indexEvents().valueSerde().deserializer())) {
            trainer.start();
            embedder.start();
            send(
                    topics.catalog().valueSerde().serializer(),
                    catalog.items().stream()
                            .map(
                                    i ->
                                            new ProducerRecord<>(
                                                    topics.catalog().name(), i.id(), item(i)))
                            .toList());
            send(
                    topics.trainingPairs().valueSerde().serializer(),
                    pairs.stream()
                            .map(
                                    p ->
                                            new ProducerRecord<>(
                                                    topics.trainingPairs().name(),
                                                    PairKey.of(
                                                            p.getNormalizedQuery(),
                                                            p.getProductId()),
                                                    p))
                            .toList());
            LoopWatch.await(
                    "the base index",
                    Duration.ofMinutes(15),
                    () -> embedder.lastBuild().map(b -> b.items() >= items).orElse(false));
            search.start(0);
            LoopWatch.await(
                    "the trainer's copy of the catalog and pairs",
                    Duration.ofMinutes(2),
                    () -> trainerHasEverything(trainer, items, pairs.size()));
            LoopWatch.awaitServing(search, "base", Duration.ofMinutes(2));

            Instant requested = Instant.now();
            send(
                    topics.retrainRequests().valueSerde().serializer(),
                    List.of(
                            new ProducerRecord<>(
                                    topics.retrainRequests().name(),
                                    MODEL,
                                    RetrainRequested.newBuilder()
                                            .setModelName(MODEL)
                                            .setReason("loop benchmark")
                                            .setRequestedBy("bench")
                                            .setRequestedAt(requested)
                                            .build())));
            ModelVersion candidate =
                    next(
                            versions,
                            v -> v.getStatus() == ModelStatus.CANDIDATE,
                            Duration.ofMinutes(30));
            ModelVersion promoted =
                    next(
                            versions,
                            v -> v.getStatus() != ModelStatus.CANDIDATE,
                            Duration.ofMinutes(10));
            if (promoted.getStatus() != ModelStatus.PROMOTED) {
                throw new IllegalStateException(
                        "the candidate was " + promoted.getStatus() + ": " + promoted.getReason());
            }
            IndexActivated activated =
                    next(
                            activations,
                            a -> a.getModelVersion().equals(promoted.getVersion()),
                            Duration.ofMinutes(15));
            Instant serving =
                    LoopWatch.awaitServing(search, promoted.getVersion(), Duration.ofMinutes(2));
            IndexBuilder.BuildResult build =
                    embedder.lastBuild()
                            .filter(b -> b.index().modelVersion().equals(promoted.getVersion()))
                            .orElseThrow();

            Map<String, Double> m = candidate.getMetrics();
            double prepare = m.get("seconds_prepare");
            double train = m.get("seconds_train");
            double save = m.get("seconds_save");
            double evaluate = m.get("seconds_evaluate");
            double decided = seconds(requested, promoted.getCreatedAt());
            Instant buildStarted =
                    activated.getActivatedAt().minusMillis(activated.getDurationMillis());
            double total = seconds(requested, serving);
            row(
                    rows,
                    "trainer: pick up the request, read pairs and catalog, save the artifact, events",
                    decided - prepare - train - save - evaluate,
                    total);
            row(
                    rows,
                    "prepare: encode the catalog with production, mine negatives, measure production",
                    prepare,
                    total);
            row(
                    rows,
                    "train ("
                            + m.get("train_steps").intValue()
                            + " steps, "
                            + m.get("train_examples").intValue()
                            + " examples)",
                    train,
                    total);
            row(rows, "save the trained model (the files measured and shipped)", save, total);
            row(
                    rows,
                    "evaluate: encode the catalog with the candidate, measure, forgetting guard",
                    evaluate,
                    total);
            row(
                    rows,
                    "embedder: notice the promotion, load the model",
                    seconds(promoted.getCreatedAt(), buildStarted),
                    total);
            row(rows, "re-encode " + build.items() + " items", build.encodeMillis() / 1e3, total);
            row(
                    rows,
                    "index: load "
                            + build.loadMillis()
                            + " ms, HNSW "
                            + build.hnswMillis()
                            + " ms, reconcile and switch",
                    (build.totalMillis() - build.encodeMillis()) / 1e3,
                    total);
            row(
                    rows,
                    "swap: the search API loads and serves it",
                    seconds(activated.getActivatedAt(), serving),
                    total);
            rows.add(List.of("total: request -> served", total, 1.0));
            extra.put(
                    "setup",
                    items
                            + "-item catalog (testkit simulator), "
                            + pairs.size()
                            + " training pairs, mnrl batch 32, max "
                            + maxSteps
                            + " steps, CPU; trainer, embedder, search API, broker and PostgreSQL share the machine");
            extra.put("train pairs/s", m.get("train_pairs_per_second"));
            extra.put("versions", candidate.getVersion() + " " + promoted.getStatus());
        }
        results.publish(
                "loop",
                "Loop latency: retrain request -> new model served, by phase (CPU)",
                List.of("phase", "seconds", "share"),
                rows,
                extra);
    }

    /**
     * The trainer runs only on the explicit request, promotes whatever trains (the benchmark times
     * the loop, not the gate), and every service checks each second.
     */
    private static TrainerConfig trainer(Connections connections, String prefix, int maxSteps)
            throws IOException {
        TrainingRound.Settings round = TrainingRound.Settings.defaults();
        return TrainerConfig.defaults(connections)
                .withGroupId(prefix + "trainer")
                .withModelStore(Files.createTempDirectory("bench-loop-models"))
                .withTrigger(1_000_000_000L, Duration.ZERO)
                .withCheckInterval(Duration.ofSeconds(1))
                .withRound(
                        round.withTraining(
                                        round.training()
                                                .withEpochs(1)
                                                .withMaxSteps(maxSteps)
                                                .withLearningRate(5e-5f))
                                .withGate(PromotionGate.acceptingEveryCandidate()));
    }

    /**
     * Labelled pairs for every shopper phrasing: up to four products of the intended type (0.85)
     * and two unrelated ones (0.1), one per key.
     */
    private static List<TrainingPair> pairs(Catalog catalog) {
        Random random = new Random(3);
        List<Catalog.Item> all = catalog.items();
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        Map<String, TrainingPair> out = new LinkedHashMap<>();
        for (ProductType type : all.stream().map(Catalog.Item::type).distinct().toList()) {
            List<Catalog.Item> ofType = all.stream().filter(i -> i.type().equals(type)).toList();
            List<Catalog.Item> others =
                    all.stream().filter(i -> !i.type().group().equals(type.group())).toList();
            for (ShopperQueries.Query q : ShopperQueries.of(new Intent(type, null), 5)) {
                for (int k = 0; k < 6; k++) {
                    boolean positive = k < 4;
                    Catalog.Item item =
                            positive
                                    ? ofType.get(random.nextInt(ofType.size()))
                                    : others.get(random.nextInt(others.size()));
                    TrainingPair pair =
                            TrainingPair.newBuilder()
                                    .setQuery(q.text())
                                    .setNormalizedQuery(QueryNormalizer.normalize(q.text()))
                                    .setProductId(item.id())
                                    .setProductText(ProductText.of(item(item), List.of()))
                                    .setScore(positive ? 0.85 : 0.1)
                                    .setSource(PairSource.INTERACTIONS)
                                    .setImpressions(5)
                                    .setPositives(positive ? 3 : 0)
                                    .setSkips(positive ? 0 : 2)
                                    .setUpdatedAt(at)
                                    .build();
                    out.putIfAbsent(pair.getNormalizedQuery() + "|" + pair.getProductId(), pair);
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    static CatalogItem item(Catalog.Item i) {
        return CatalogItem.newBuilder()
                .setId(i.id())
                .setTitle(i.title())
                .setCategory(i.type().category())
                .setUpdatedAt(Instant.parse("2026-11-01T00:00:00Z"))
                .build();
    }

    private static <V> void send(
            Serializer<V> serializer, List<ProducerRecord<String, V>> records) {
        try (KafkaProducer<String, V> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KafkaFixture.bootstrapServers(),
                                ProducerConfig.LINGER_MS_CONFIG,
                                20),
                        new StringSerializer(),
                        serializer)) {
            CheckedSends<String, V> sends = new CheckedSends<>(producer);
            records.forEach(sends::send);
            sends.flush();
        }
    }

    private static <V> KafkaConsumer<String, V> consumer(
            String topic, org.apache.kafka.common.serialization.Deserializer<V> deserializer) {
        KafkaConsumer<String, V> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KafkaFixture.bootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "bench-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest"),
                        new StringDeserializer(),
                        deserializer);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static <V> V next(
            KafkaConsumer<String, V> consumer,
            java.util.function.Predicate<V> wanted,
            Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.value() != null && wanted.test(r.value())) {
                    return r.value();
                }
            }
        }
        throw new IllegalStateException("no matching event within " + timeout);
    }

    private static boolean trainerHasEverything(TrainerService trainer, int items, int pairs) {
        try {
            return trainer.store().catalog().texts().size() >= items
                    && trainer.store().pairs().counts(0).total() >= pairs;
        } catch (java.sql.SQLException notYet) {
            return false;
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1e3;
    }

    private static void row(List<List<Object>> rows, String phase, double seconds, double total) {
        rows.add(List.of(phase, seconds, seconds / total));
    }
}
