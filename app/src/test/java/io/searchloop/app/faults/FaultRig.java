package io.searchloop.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.app.Main;
import io.searchloop.app.ServiceKeys;
import io.searchloop.events.CatalogItem;
import io.searchloop.events.PairSource;
import io.searchloop.events.TrainingPair;
import io.searchloop.schemas.keys.PairKey;
import io.searchloop.schemas.registry.InMemorySchemaRegistry;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topic;
import io.searchloop.schemas.topics.TopicProvisioner;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.testkit.CheckedSends;
import io.searchloop.testkit.KafkaFixture;
import io.searchloop.testkit.PostgresFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One isolated installation for a fault-injection test: its own topics, database schema, model
 * store and registry scope on the shared broker (or a broker of its own) and PostgreSQL, and
 * services started as separate JVMs from the test's classpath (so a kill is a real SIGKILL). Logs
 * go to {@code target/faults/<prefix>/<service>.log} and survive a failed test.
 */
final class FaultRig implements AutoCloseable {
    final String prefix = KafkaFixture.uniqueName("faults") + ".";
    final InMemorySchemaRegistry schemas = InMemorySchemaRegistry.scope(prefix);
    final Topics topics =
            Topics.autoRegistering(SchemaRegistries.connect("mock://" + prefix), prefix);
    final PostgresFixture.Database db = PostgresFixture.newSchema("faults");
    final String bootstrapServers;
    final Path dir;
    private final List<Process> processes = new ArrayList<>();

    /** On the shared broker. */
    FaultRig() throws IOException {
        this(KafkaFixture.bootstrapServers());
    }

    /** On the broker at {@code bootstrapServers}. */
    FaultRig(String bootstrapServers) throws IOException {
        this.bootstrapServers = bootstrapServers;
        try (Admin admin = admin()) {
            new TopicProvisioner(admin).provision(Topics.specs(2, (short) 1, prefix));
        }
        dir =
                Files.createDirectories(
                        Path.of("target", "faults", prefix.substring(0, prefix.length() - 1))
                                .toAbsolutePath());
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** What every service needs: broker, registry, topics, database, model store, CPU. */
    Map<String, String> env(String registryUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("SCHEMA_REGISTRY_URL", registryUrl);
        env.put("TOPIC_PREFIX", prefix);
        env.put("TRAINER_GROUP_ID", prefix + "trainer");
        env.put("EMBEDDER_GROUP_ID", prefix + "embedder");
        env.put("DATABASE_URL", db.url().withCredentialsInUrl());
        env.put("MODEL_STORE_DIR", dir.resolve("models").toString());
        env.put("ENCODER_DEVICE", "cpu");
        // Each child JVM serves /metrics and /health on a free port, never on a default another
        // process may hold.
        env.put("PAIR_BUILDER_HTTP_PORT", "0");
        env.put("TRAINER_HTTP_PORT", "0");
        env.put("EMBEDDER_HTTP_PORT", "0");
        env.put("EMBEDDER_CHECK_INTERVAL", "PT0.5S");
        return env;
    }

    /**
     * Starts {@code service} as production does, {@code io.searchloop.app.Main <service>}, in its
     * own JVM with {@code env} (every key one some service reads: a misspelt one fails the test
     * instead of being ignored); the test's classpath is the built one and the output goes to
     * {@code <service>.log}.
     */
    Process start(String service, Map<String, String> env) throws IOException {
        assertThat(env.keySet()).as("settings no service reads").isSubsetOf(ServiceKeys.services());
        String name = service;
        ProcessBuilder builder =
                new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx1g",
                        "-Dlogback.configurationFile="
                                + System.getProperty("logback.configurationFile", ""),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        service);
        builder.environment().putAll(env);
        builder.redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    String log(String name) throws IOException {
        Path file = dir.resolve(name + ".log");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: the services close cleanly
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static List<CatalogItem> catalog(int n) {
        String[] types = {
            "Дымоход", "Шуруповерт", "Минеральная вата", "Металлочерепица", "Перфоратор"
        };
        List<CatalogItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String type = types[i % types.length];
            items.add(
                    CatalogItem.newBuilder()
                            .setId(String.format("p%04d", i))
                            .setTitle(type + " модель " + i + " " + (20 + i * 7 % 300) + " мм")
                            .setCategory(type)
                            .setUpdatedAt(Instant.now())
                            .build());
        }
        return items;
    }

    /**
     * {@code count} pairs: first a positive per item (its own query), then negatives (an item's
     * query with the next item); distinct up to twice the catalog.
     */
    static List<TrainingPair> pairs(List<CatalogItem> catalog, int count) {
        List<TrainingPair> pairs = new ArrayList<>();
        for (int i = 0; pairs.size() < count; i++) {
            CatalogItem item = catalog.get(i % catalog.size());
            boolean positive = i < catalog.size();
            CatalogItem target = positive ? item : catalog.get((i + 1) % catalog.size());
            String query =
                    (item.getCategory() + " " + (20 + (i % catalog.size()) * 7 % 300) + " мм")
                            .toLowerCase(Locale.ROOT);
            pairs.add(
                    TrainingPair.newBuilder()
                            .setQuery(query)
                            .setNormalizedQuery(query)
                            .setProductId(target.getId())
                            .setProductText(target.getTitle() + " | " + target.getCategory())
                            .setScore(positive ? 1.0 : 0.0)
                            .setSource(PairSource.INTERACTIONS)
                            .setImpressions(3)
                            .setPositives(positive ? 2 : 0)
                            .setSkips(positive ? 0 : 2)
                            .setUpdatedAt(Instant.now())
                            .build());
        }
        return pairs;
    }

    void produceCatalog(List<CatalogItem> items) {
        Topic<String, CatalogItem> t = topics.catalog();
        produce(t, items.stream().map(i -> Map.entry(i.getId(), i)).toList());
    }

    void producePairs(List<TrainingPair> pairs) {
        Topic<String, TrainingPair> t = topics.trainingPairs();
        produce(
                t,
                pairs.stream()
                        .map(
                                p ->
                                        Map.entry(
                                                PairKey.of(
                                                        p.getNormalizedQuery(), p.getProductId()),
                                                p))
                        .toList());
    }

    <V extends SpecificRecord> void produce(
            Topic<String, V> topic, List<Map.Entry<String, V>> records) {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            CheckedSends<String, byte[]> sends = new CheckedSends<>(producer);
            for (Map.Entry<String, V> r : records) {
                sends.send(
                        new ProducerRecord<>(
                                topic.name(),
                                r.getKey(),
                                topic.valueSerde()
                                        .serializer()
                                        .serialize(topic.name(), r.getValue())));
            }
            sends.flush();
        }
    }

    /**
     * The first column of the first row of {@code sql} as a long (0 when there is no row or the
     * table does not exist yet).
     */
    long number(String sql) throws SQLException {
        String s = text(sql);
        return s == null ? 0 : Long.parseLong(s);
    }

    String text(String sql) throws SQLException {
        try (Connection c = db.url().connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return null;
            }
            throw e;
        }
    }

    /** Rows in the active vector index of the catalog encoder. */
    long activeIndexRows() throws SQLException {
        String table =
                text("SELECT table_name FROM active_index WHERE model_name = 'catalog-encoder'");
        return table == null ? 0 : number("SELECT count(*) FROM " + table);
    }

    /** Records on the dead-letter twin of {@code topic}. */
    long deadLetters(String topic) throws Exception {
        try (Admin admin = admin()) {
            TopicPartition tp = new TopicPartition(Topics.dlq(topic), 0);
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                    .partitionResult(tp)
                    .get()
                    .offset();
        }
    }

    /** Records of {@code topics} that group {@code group} has not committed yet. */
    long lag(String group, String... topicNames) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            long lag = 0;
            for (var e : KafkaFixture.endOffsets(admin, topicNames).entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue() - (c == null ? 0 : c.offset());
            }
            return lag;
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            if (p.isAlive()) {
                stopQuietly(p);
            }
        }
    }

    /**
     * {@link #stop}, for {@code close()}: interrupted, it kills the process at once and keeps the
     * interrupt.
     */
    static void stopQuietly(Process process) {
        try {
            stop(process);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
