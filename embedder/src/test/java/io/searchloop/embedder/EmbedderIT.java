package io.searchloop.embedder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.pgvector.PGvector;
import io.searchloop.embedder.catalog.CatalogRepository;
import io.searchloop.embedder.index.IndexBuilder;
import io.searchloop.embedder.index.IndexRepository;
import io.searchloop.embedder.index.IndexRequest;
import io.searchloop.encoder.BaseModel;
import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.TinyModels;
import io.searchloop.encoder.weights.ModelChecksum;
import io.searchloop.events.CatalogItem;
import io.searchloop.events.IndexActivated;
import io.searchloop.events.ModelStatus;
import io.searchloop.events.ModelVersion;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.testkit.CheckedSends;
import io.searchloop.testkit.KafkaFixture;
import io.searchloop.testkit.PostgresFixture;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
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
 * The embedder against real Kafka, PostgreSQL/pgvector and the real all-MiniLM-L6-v2 on 3,000
 * items. The first index is built with a tiny model (fast), the promotion re-encodes with MiniLM
 * (slow enough to change the catalog meanwhile and to kill the build half-way).
 */
class EmbedderIT {
    private static final int ITEMS = 3000;

    /**
     * A full build of 3,000 items takes ~15 s on an idle 2-core machine; the deadline leaves room
     * for a loaded one.
     */
    private static final Duration BUILD_WAIT = Duration.ofMinutes(5);

    @Test
    void shouldBuildBesideTheActiveIndexThenSwitchAndRollBackInstantly(@TempDir Path tmp)
            throws Exception {
        Setup s = new Setup(tmp);
        s.produceCatalog();
        try (EmbedderService service = new EmbedderService(s.config)) {
            service.start();
            await().atMost(BUILD_WAIT)
                    .until(() -> "base".equals(s.activeVersion()) && s.activeCount() == ITEMS);
            String baseTable = s.activeTable();

            // A reader polls the pointer during the whole build: it must never see v2 before its
            // table is complete.
            List<String> violations = new CopyOnWriteArrayList<>();
            AtomicBoolean reading = new AtomicBoolean(true);
            Thread reader =
                    new Thread(
                            () -> {
                                while (reading.get()) {
                                    try {
                                        if ("v2".equals(s.activeVersion())
                                                && s.activeCount() < ITEMS - 1) {
                                            violations.add(
                                                    "v2 active with " + s.activeCount() + " rows");
                                        }
                                    } catch (SQLException e) {
                                        violations.add(e.getMessage());
                                    }
                                }
                            });
            reader.start();
            s.promote("v2", BaseModel.directory());
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> s.status("v2").equals("BUILDING") && s.count("v2") > 0);
            assertThat(s.activeVersion()).isEqualTo("base");
            // Catalog changes while v2 is being built: an upsert and a delete.
            s.produce(
                    "item-0042",
                    item(
                            "item-0042",
                            "Дымоход сэндвич из нержавеющей стали 115/200 мм",
                            "Дымоходы"));
            s.produce("item-0043", null);
            await().atMost(BUILD_WAIT).until(() -> "v2".equals(s.activeVersion()));
            reading.set(false);
            reader.join();
            assertThat(violations).isEmpty();

            // The new table: complete, HNSW-indexed, used by a top-k query, and the changes are in
            // it.
            String v2 = s.activeTable();
            assertThat(s.count("v2")).isEqualTo(ITEMS - 1);
            assertThat(s.rowHash(v2, "item-0043")).isNull();
            try (SentenceEncoder minilm =
                    SentenceEncoder.load(
                            BaseModel.directory(),
                            EncoderOptions.defaults()
                                    .withDevice(EncoderOptions.DeviceChoice.CPU))) {
                float[] expected =
                        minilm.encode(
                                        List.of(
                                                "Дымоход сэндвич из нержавеющей стали 115/200 мм | Дымоходы"))[
                                0];
                assertThat(s.embedding(v2, "item-0042")).containsExactly(expected, within(1e-4f));
                assertThat(s.hnswIndexes(v2)).hasSize(1);
                assertThat(s.explainTopK(v2, expected))
                        .contains("Index Scan using " + v2 + "_hnsw");
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> s.rowHash(baseTable, "item-0043") == null);

            // Rollback: the trainer promotes "base" again; its index was kept, so no re-encode.
            long before = System.nanoTime();
            s.promote("base", null);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> "base".equals(s.activeVersion()));
            long switchMillis = (System.nanoTime() - before) / 1_000_000;
            assertThat(s.activeTable()).isEqualTo(baseTable);
            assertThat(switchMillis).as("switch without re-encoding").isLessThan(15_000);
            List<IndexActivated> events = s.indexEvents(3);
            assertThat(events)
                    .extracting(IndexActivated::getModelVersion)
                    .containsExactly("base", "v2", "base");
            assertThat(events.get(2).getDurationMillis())
                    .isLessThan(events.get(1).getDurationMillis());

            // What an operator sees: two builds, one switch to a kept index, base active, nothing
            // running, ready.
            String scrape = service.ops().metrics().scrape();
            assertThat(scrape)
                    .contains(
                            "searchloop_embedder_builds_total{outcome=\"activated\",service=\"embedder\"} 2.0")
                    .contains(
                            "searchloop_embedder_builds_total{outcome=\"switched_kept\",service=\"embedder\"} 1.0")
                    .contains("searchloop_embedder_active_version{service=\"embedder\"} 0.0")
                    .contains("searchloop_embedder_phase{phase=\"idle\",service=\"embedder\"} 1.0")
                    .contains(
                            "searchloop_ingest_alive{loop=\"embedder-ingest\",service=\"embedder\"} 1.0");
            assertThat(service.ops().readiness().evaluate().checks())
                    .containsOnly(
                            java.util.Map.entry("ingest", "up"),
                            java.util.Map.entry("index-loop", "up"),
                            java.util.Map.entry("database", "up"),
                            java.util.Map.entry("kafka", "up"));
        }
    }

    @Test
    void shouldRestartAKilledBuildAndEndWithTheSameTable(@TempDir Path tmp) throws Exception {
        Setup s = new Setup(tmp);
        s.produceCatalog();
        try (EmbedderService first = new EmbedderService(s.config)) {
            first.start();
            await().atMost(BUILD_WAIT)
                    .until(() -> "base".equals(s.activeVersion()) && s.activeCount() == ITEMS);
            s.promote("v2", BaseModel.directory());
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> s.status("v2").equals("BUILDING") && s.count("v2") >= 500);
        } // closed mid-build: the build thread is interrupted between batches, as a crash would
        // stop it
        assertThat(s.status("v2")).isEqualTo("BUILDING");
        assertThat(s.count("v2")).isBetween(500L, ITEMS - 1L);
        assertThat(s.activeVersion()).isEqualTo("base");

        try (EmbedderService second = new EmbedderService(s.config)) {
            second.start();
            await().atMost(BUILD_WAIT).until(() -> "v2".equals(s.activeVersion()));
        }
        // The result equals an uninterrupted build: every item, each embedded from its current text
        // by MiniLM.
        String table = s.activeTable();
        assertThat(s.count("v2")).isEqualTo(ITEMS);
        Map<String, String> texts = s.catalogTexts();
        List<String> sample = List.of("item-0000", "item-0999", "item-1500", "item-2999");
        try (SentenceEncoder minilm =
                SentenceEncoder.load(
                        BaseModel.directory(),
                        EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU))) {
            float[][] expected = minilm.encode(sample.stream().map(texts::get).toList());
            for (int i = 0; i < sample.size(); i++) {
                assertThat(s.embedding(table, sample.get(i)))
                        .containsExactly(expected[i], within(1e-4f));
            }
        }
    }

    @Test
    void shouldNeitherActivateASupersededBuildNorDropATableAReaderUses(@TempDir Path tmp)
            throws Exception {
        Setup s = new Setup(tmp, c -> c.withIndexRetention(1, Duration.ZERO));
        s.produceCatalog();
        try (EmbedderService service = new EmbedderService(s.config)) {
            service.start();
            await().atMost(BUILD_WAIT)
                    .until(() -> "base".equals(s.activeVersion()) && s.activeCount() == ITEMS);
            String baseTable = s.activeTable();

            // A build whose version is no longer the requested one (a rollback arrived) stops and
            // activates nothing.
            IndexBuilder builder =
                    new IndexBuilder(
                            s.config.connections().database(),
                            new CatalogRepository(),
                            new IndexRepository(),
                            100,
                            16,
                            64);
            try (SentenceEncoder tiny =
                    SentenceEncoder.load(
                            s.tiny,
                            EncoderOptions.defaults()
                                    .withDevice(EncoderOptions.DeviceChoice.CPU))) {
                IndexRequest stale =
                        new IndexRequest(
                                s.config.modelName(),
                                "v-stale",
                                s.tiny.toUri().toString(),
                                ModelChecksum.sha256(s.tiny));
                assertThatThrownBy(() -> builder.build(stale, tiny))
                        .isInstanceOf(IndexBuilder.SupersededException.class)
                        .hasMessageContaining("base is requested now");
            }
            assertThat(s.activeVersion()).isEqualTo("base");
            assertThat(s.status("v-stale")).isEqualTo("BUILDING");

            // search-api reports it still reads the base table: switching to v2 must not drop it,
            // even with KEEP_INDEXES=1 and no grace.
            s.execute(
                    "INSERT INTO index_readers (reader_id, model_name, table_name, seen_at) VALUES ('search-1', '"
                            + s.config.modelName()
                            + "', '"
                            + baseTable
                            + "', now())");
            s.promote("v2", null);
            await().atMost(BUILD_WAIT).until(() -> "v2".equals(s.activeVersion()));
            // Several index-loop steps, each of which may drop.
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> s.countTable(baseTable) == ITEMS);
            assertThat(s.status("base")).isEqualTo("READY");

            // The reader moves on to v2: the old table goes at the next step.
            s.execute(
                    "UPDATE index_readers SET table_name = '"
                            + s.activeTable()
                            + "', seen_at = now()");
            await().atMost(Duration.ofSeconds(30)).until(() -> s.status("base").isEmpty());
        }
    }

    @Test
    void shouldAnnounceAnActivationWhosePublishFailedOnceTheBrokerIsReachable(@TempDir Path tmp)
            throws Exception {
        Setup s = new Setup(tmp);
        s.produceCatalog();
        // The catalog ingested, no index yet.
        try (EmbedderService service =
                new EmbedderService(s.config.withBootstrapBaseIndex(false))) {
            service.start();
            await().atMost(BUILD_WAIT).until(() -> s.catalogTexts().size() == ITEMS);
        }
        // The base index is built and switched to while the broker cannot be reached: the switch
        // must not go unannounced.
        int nobodyListens;
        try (ServerSocket taken = new ServerSocket(0)) {
            nobodyListens = taken.getLocalPort();
        }
        try (EmbedderService service =
                new EmbedderService(
                        s.config.withConnections(
                                new Connections(
                                        "127.0.0.1:" + nobodyListens,
                                        s.config.connections().schemaRegistryUrl(),
                                        s.config.connections().topicPrefix(),
                                        s.config.connections().database())))) {
            service.start();
            await().atMost(BUILD_WAIT)
                    .until(() -> "base".equals(s.activeVersion()) && s.activeCount() == ITEMS);
            assertThat(s.unsentIndexEvents()).isEqualTo(1);
        }
        assertThat(s.indexEventCount()).as("nothing reached the topic during the outage").isZero();

        // A process that reaches the broker sends what the database recorded, on start-up, once.
        try (EmbedderService service = new EmbedderService(s.config)) {
            service.start();
            List<IndexActivated> events = s.indexEvents(1, Duration.ofSeconds(30));
            assertThat(events)
                    .extracting(IndexActivated::getModelVersion, IndexActivated::getItemCount)
                    .containsExactly(tuple("base", (long) ITEMS));
            await().atMost(Duration.ofSeconds(10)).until(() -> s.unsentIndexEvents() == 0);
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> s.indexEventCount() == 1); // sent once
        }
    }

    private static CatalogItem item(String id, String title, String category) {
        return CatalogItem.newBuilder()
                .setId(id)
                .setTitle(title)
                .setCategory(category)
                .setUpdatedAt(Instant.now())
                .build();
    }

    /**
     * One isolated embedder: its own topics, schema, registry scope; a tiny model as the first
     * index.
     */
    private static final class Setup {
        final String prefix = KafkaFixture.uniqueName("embedder") + ".";
        final Topics topics;
        final EmbedderConfig config;
        final Path tiny;

        Setup(Path tmp) throws Exception {
            this(tmp, UnaryOperator.identity());
        }

        Setup(Path tmp, UnaryOperator<EmbedderConfig> change) throws Exception {
            String registry = "mock://" + prefix;
            topics = Topics.autoRegistering(SchemaRegistries.connect(registry), prefix);
            KafkaFixture.provision(prefix, 2);
            tiny = TinyModels.write(tmp.resolve("tiny"), 3);
            config =
                    change.apply(
                            EmbedderConfig.defaults(
                                            Connections.of(
                                                            KafkaFixture.bootstrapServers(),
                                                            registry,
                                                            PostgresFixture.newSchema("embedder")
                                                                    .url())
                                                    .withTopicPrefix(prefix))
                                    .withGroupId(prefix + "embedder")
                                    .withBaseModel(tiny.toString())
                                    .withBatchSize(100)
                                    .withCheckInterval(Duration.ofMillis(500))
                                    .withEncoder(
                                            EncoderOptions.defaults()
                                                    .withDevice(EncoderOptions.DeviceChoice.CPU)));
        }

        void produceCatalog() {
            Random random = new Random(9);
            String[] types = {
                "Дымоход",
                "Шуруповерт",
                "Минеральная вата",
                "Металлочерепица",
                "Перфоратор",
                "Пена монтажная",
                "Кран шаровой"
            };
            try (KafkaProducer<String, CatalogItem> producer = producer()) {
                CheckedSends<String, CatalogItem> sends = new CheckedSends<>(producer);
                for (int i = 0; i < ITEMS; i++) {
                    String id = String.format("item-%04d", i);
                    String type = types[random.nextInt(types.length)];
                    sends.send(
                            new ProducerRecord<>(
                                    topics.catalog().name(),
                                    id,
                                    item(
                                            id,
                                            type
                                                    + " модель "
                                                    + i
                                                    + " "
                                                    + (10 + random.nextInt(300))
                                                    + " мм",
                                            type)));
                }
                sends.flush();
            }
        }

        void produce(String id, CatalogItem item) {
            try (KafkaProducer<String, CatalogItem> producer = producer()) {
                CheckedSends<String, CatalogItem> sends = new CheckedSends<>(producer);
                sends.send(new ProducerRecord<>(topics.catalog().name(), id, item));
                sends.flush();
            }
        }

        private KafkaProducer<String, CatalogItem> producer() {
            return new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            KafkaFixture.bootstrapServers()),
                    new StringSerializer(),
                    topics.catalog().valueSerde().serializer());
        }

        void promote(String version, Path dir) throws Exception {
            Path artifact = dir == null ? tiny : dir;
            ModelVersion event =
                    ModelVersion.newBuilder()
                            .setModelName(config.modelName())
                            .setVersion(version)
                            .setBaseModel("test")
                            .setArtifactUri(artifact.toUri().toString())
                            .setSha256(ModelChecksum.sha256(artifact))
                            .setStatus(ModelStatus.PROMOTED)
                            .setPairCount(0)
                            .setCreatedAt(Instant.now())
                            .build();
            try (KafkaProducer<String, ModelVersion> producer =
                    new KafkaProducer<>(
                            Map.of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    KafkaFixture.bootstrapServers()),
                            new StringSerializer(),
                            topics.modelVersions().valueSerde().serializer())) {
                CheckedSends<String, ModelVersion> sends = new CheckedSends<>(producer);
                sends.send(
                        new ProducerRecord<>(
                                topics.modelVersions().name(), config.modelName(), event));
                sends.flush();
            }
        }

        String activeVersion() throws SQLException {
            return single(
                    "SELECT model_version FROM active_index WHERE model_name = ?",
                    config.modelName());
        }

        String activeTable() throws SQLException {
            return single(
                    "SELECT table_name FROM active_index WHERE model_name = ?", config.modelName());
        }

        long activeCount() throws SQLException {
            String table = activeTable();
            return table == null ? 0 : countTable(table);
        }

        String status(String version) throws SQLException {
            String status =
                    single(
                            "SELECT status FROM embedding_indexes WHERE model_name = ? AND model_version = '"
                                    + version
                                    + "'",
                            config.modelName());
            return status == null ? "" : status;
        }

        long count(String version) throws SQLException {
            String table =
                    single(
                            "SELECT table_name FROM embedding_indexes WHERE model_name = ? AND model_version = '"
                                    + version
                                    + "'",
                            config.modelName());
            return table == null ? 0 : countTable(table);
        }

        long countTable(String table) throws SQLException {
            try (Connection c = config.connections().database().connect();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                return 0; // not created yet
            }
        }

        String rowHash(String table, String id) throws SQLException {
            try (Connection c = config.connections().database().connect();
                    PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT text_hash FROM " + table + " WHERE product_id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }

        float[] embedding(String table, String id) throws SQLException {
            try (Connection c = config.connections().database().connect();
                    PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT embedding FROM " + table + " WHERE product_id = ?")) {
                PGvector.addVectorType(c);
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as(id + " in " + table).isTrue();
                    return ((PGvector) rs.getObject(1)).toArray();
                }
            }
        }

        List<String> hnswIndexes(String table) throws SQLException {
            List<String> out = new ArrayList<>();
            try (Connection c = config.connections().database().connect();
                    PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ? AND indexdef LIKE '%USING hnsw%vector_cosine_ops%'")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        }

        String explainTopK(String table, float[] query) throws SQLException {
            StringBuilder plan = new StringBuilder();
            try (Connection c = config.connections().database().connect();
                    PreparedStatement ps =
                            c.prepareStatement(
                                    "EXPLAIN SELECT product_id FROM "
                                            + table
                                            + " ORDER BY embedding <=> ? LIMIT 10")) {
                PGvector.addVectorType(c);
                ps.setObject(1, new PGvector(query));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
            return plan.toString();
        }

        Map<String, String> catalogTexts() throws SQLException {
            Map<String, String> out = new HashMap<>();
            try (Connection c = config.connections().database().connect();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id, product_text FROM catalog_items")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        }

        List<IndexActivated> indexEvents(int count) {
            List<IndexActivated> seen = indexEvents(count, Duration.ofSeconds(30));
            assertThat(seen).hasSizeGreaterThanOrEqualTo(count);
            return seen;
        }

        /** The events on index-events, read until {@code count} arrived or {@code wait} passed. */
        List<IndexActivated> indexEvents(int count, Duration wait) {
            List<IndexActivated> seen = new ArrayList<>();
            try (KafkaConsumer<String, IndexActivated> consumer =
                    new KafkaConsumer<>(
                            Map.of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    KafkaFixture.bootstrapServers(),
                                    ConsumerConfig.GROUP_ID_CONFIG,
                                    UUID.randomUUID().toString(),
                                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                    "earliest"),
                            new StringDeserializer(),
                            topics.indexEvents().valueSerde().deserializer())) {
                consumer.subscribe(List.of(topics.indexEvents().name()));
                long deadline = System.nanoTime() + wait.toNanos();
                while (seen.size() < count && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(300)).forEach(r -> seen.add(r.value()));
                }
            }
            return seen;
        }

        /** Records on index-events so far. */
        long indexEventCount() {
            try (KafkaConsumer<String, IndexActivated> consumer =
                    new KafkaConsumer<>(
                            Map.of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    KafkaFixture.bootstrapServers()),
                            new StringDeserializer(),
                            topics.indexEvents().valueSerde().deserializer())) {
                var partitions =
                        consumer.partitionsFor(topics.indexEvents().name()).stream()
                                .map(
                                        p ->
                                                new org.apache.kafka.common.TopicPartition(
                                                        p.topic(), p.partition()))
                                .toList();
                return consumer.endOffsets(partitions).values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
            }
        }

        long unsentIndexEvents() throws SQLException {
            try (Connection c = config.connections().database().connect();
                    Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT count(*) FROM index_event_outbox WHERE sent_at IS NULL")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        void execute(String sql) throws SQLException {
            try (Connection c = config.connections().database().connect();
                    Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }

        private String single(String sql, String param) throws SQLException {
            try (Connection c = config.connections().database().connect();
                    PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, param);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            } catch (SQLException e) {
                if (e.getMessage().contains("does not exist")) {
                    return null; // before the migration ran
                }
                throw e;
            }
        }
    }
}
