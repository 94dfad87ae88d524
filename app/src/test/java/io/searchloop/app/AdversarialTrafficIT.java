package io.searchloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.embedder.EmbedderService;
import io.searchloop.events.CatalogItem;
import io.searchloop.events.Interaction;
import io.searchloop.events.InteractionType;
import io.searchloop.events.TrainingPair;
import io.searchloop.pairs.DropReason;
import io.searchloop.pairs.PairBuilderConfig;
import io.searchloop.pairs.PairBuilderService;
import io.searchloop.pairs.PairSettings;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.search.SearchApiService;
import io.searchloop.search.SearchConfig;
import io.searchloop.testkit.CheckedSends;
import io.searchloop.testkit.KafkaFixture;
import io.searchloop.testkit.PostgresFixture;
import io.searchloop.testkit.TopicContents;
import io.searchloop.testkit.simulator.Catalog;
import io.searchloop.testkit.simulator.Shop;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The click path under attack, over the real broker, PostgreSQL and services: the same honest
 * simulated shoppers shop twice, once alone and once while an attacker sends more than 10,000
 * forged interactions through the API and straight into Kafka. The training pairs of the two runs
 * must be the same pair for pair; no stream thread may die, every drop must be counted by reason,
 * and the API must never answer 5xx.
 */
class AdversarialTrafficIT {
    private static final Logger LOG = LoggerFactory.getLogger(AdversarialTrafficIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HONEST_SESSIONS = 120;
    // The kinds a flood cycles through, each once per pass over the results.
    private static final List<InteractionType> FLOOD_TYPES =
            List.of(InteractionType.CLICK, InteractionType.ADD_TO_CART, InteractionType.PURCHASE);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final Map<String, long[]> table = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Map<Integer, Long>> statusesByPattern =
            Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile String pattern = "setup";

    @Test
    void shouldLearnTheSameFromHonestShoppersWhateverTheAttackerSends() throws Exception {
        PostgresFixture.Database db = PostgresFixture.newSchema("adversarial");
        String prefixA = KafkaFixture.uniqueName("honest") + ".";
        String prefixB = KafkaFixture.uniqueName("attacked") + ".";
        KafkaFixture.provision(prefixA, 1);
        KafkaFixture.provision(prefixB, 1);
        Path work = Files.createTempDirectory("adversarial");
        Catalog catalog =
                Catalog.generate(
                        168, 2026); // small: the embedder encodes it once with the base model
        Side a = side(prefixA, db, work.resolve("a"));
        Side b = side(prefixB, db, work.resolve("b"));
        produceCatalog(
                Topics.autoRegistering(
                        SchemaRegistries.connect(a.connections().schemaRegistryUrl()), prefixA),
                catalog);
        produceCatalog(
                Topics.autoRegistering(
                        SchemaRegistries.connect(b.connections().schemaRegistryUrl()), prefixB),
                catalog);

        try (EmbedderService embedder = new EmbedderService(a.embedder());
                PairBuilderService pairsA = new PairBuilderService(a.pairs());
                PairBuilderService pairsB = new PairBuilderService(b.pairs());
                SearchApiService apiA = new SearchApiService(a.search());
                SearchApiService apiB = new SearchApiService(b.search())) {
            embedder.start();
            pairsA.start();
            pairsB.start();
            String baseA = "http://127.0.0.1:" + apiA.start(0);
            String baseB = "http://127.0.0.1:" + apiB.start(0);
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> ready(baseA) && ready(baseB));

            Shop honestA = new Shop(catalog, baseA, 7);
            int honestInteractions = honestA.shop(HONEST_SESSIONS, new Random(11));

            Shop honestB = new Shop(catalog, baseB, 7);
            ExecutorService shoppers = Executors.newSingleThreadExecutor();
            Future<Integer> honestRun =
                    shoppers.submit(() -> honestB.shop(HONEST_SESSIONS, new Random(11)));
            Topics topicsB =
                    Topics.autoRegistering(
                            SchemaRegistries.connect(b.connections().schemaRegistryUrl()), prefixB);
            long forged = attack(baseB, topicsB, honestB.heldOut().get(0).text());
            assertThat(honestRun.get(5, TimeUnit.MINUTES)).isEqualTo(honestInteractions);
            shoppers.shutdown();

            Map<String, TrainingPair> honest = awaitStable(prefixA, a.connections());
            Map<String, TrainingPair> attacked = awaitStable(prefixB, b.connections());

            assertThat(honest).hasSizeGreaterThan(20);
            assertThat(attacked.keySet()).isEqualTo(honest.keySet());
            honest.forEach(
                    (key, pair) -> {
                        TrainingPair other = attacked.get(key);
                        assertThat(other.getScore())
                                .as(key)
                                .isCloseTo(pair.getScore(), within(1e-9));
                        assertThat(other.getPositives())
                                .as(key)
                                .isCloseTo(pair.getPositives(), within(1e-9));
                        assertThat(other.getSkips())
                                .as(key)
                                .isCloseTo(pair.getSkips(), within(1e-9));
                        assertThat(other.getImpressions()).as(key).isEqualTo(pair.getImpressions());
                    });
            assertThat(forged).isGreaterThanOrEqualTo(10_000);
            assertThat(statuses.keySet())
                    .as("HTTP statuses seen")
                    .noneMatch(s -> s.startsWith("5"));
            for (PairBuilderService p : List.of(pairsA, pairsB)) {
                assertThat(p.state()).isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(p.metrics().threadsReplacedCount()).isZero();
            }
            var m = pairsB.metrics();
            // The pairs can be settled before the last forged Kafka records are read: wait for the
            // counters, same values.
            await().atMost(Duration.ofMinutes(2))
                    .untilAsserted(
                            () -> {
                                assertThat(m.droppedCount(DropReason.NOT_SHOWN))
                                        .isEqualTo(table.get("unshown products (Kafka)")[0]);
                                assertThat(m.droppedCount(DropReason.REQUEST_CAP))
                                        .isEqualTo(table.get("one request id flooded (Kafka)")[0]);
                            });
            assertThat(m.droppedCount(DropReason.SESSION_RATE))
                    .isEqualTo(
                            table.get("forged positions")[1]
                                    + table.get("replayed tokens")[1]
                                    + table.get("one request id flooded (HTTP)")[1]);
            assertThat(m.droppedCount(DropReason.PRODUCT_BURST))
                    .isEqualTo(table.get("one product from many fresh sessions")[1]);
            assertThat(
                            pairsA.metrics().droppedCount(DropReason.SESSION_RATE)
                                    + pairsA.metrics().droppedCount(DropReason.PRODUCT_BURST)
                                    + pairsA.metrics().droppedCount(DropReason.NOT_SHOWN))
                    .as("honest shoppers lose nothing")
                    .isZero();
            String scrape = get(baseB + "/metrics").body();
            LOG.info(
                    "attack summary (pattern | forged records sent | passed the API | credited | HTTP statuses, searches included):");
            table.forEach(
                    (name, n) ->
                            LOG.info(
                                    "  {} | {} | {} | 0 | {}",
                                    name,
                                    n[0],
                                    n[1],
                                    statusesByPattern.getOrDefault(
                                            name.contains("Kafka") ? "straight into Kafka" : name,
                                            Map.of())));
            LOG.info("pair-builder B: {}", m);
            LOG.info(
                    "API B rejections: {}",
                    scrape.lines()
                            .filter(l -> l.startsWith("searchloop_requests_rejected_total"))
                            .toList());
            LOG.info("HTTP statuses: {}", statuses);
        }
    }

    /**
     * Every pattern; returns the number of forged records sent. Per pattern: [sent, accepted by the
     * API].
     */
    private long attack(String base, Topics topics, String heldOutQuery) throws Exception {
        long sent = 0;
        pattern = "unshown products (API)";
        // Unshown products, through the API with the attacker's own valid tokens: 422.
        JsonNode own = search(base, "дымоход", "evil-1", "evil");
        String token = own.path("impressionToken").asText();
        long accepted = 0;
        for (int i = 0; i < 1000; i++) {
            accepted +=
                    interact(base, token, "not-shown-" + i, "PURCHASE", 40, "evil") == 202 ? 1 : 0;
        }
        record("unshown products (API)", 1000, accepted);
        sent += 1000;
        pattern = "forged tokens";
        // Forged tokens: the signature of one token on another payload, or random bytes.
        accepted = 0;
        String payload = token.substring(0, token.lastIndexOf('.'));
        for (int i = 0; i < 1000; i++) {
            String forged =
                    i % 2 == 0
                            ? payload + ".Zm9yZ2VkLXNpZ25hdHVyZS0" + i
                            : "local.AAAA" + i + ".AAAA";
            accepted +=
                    interact(
                                            base,
                                            forged,
                                            own.path("results").get(0).path("productId").asText(),
                                            "CLICK",
                                            1,
                                            "evil")
                                    == 202
                            ? 1
                            : 0;
        }
        record("forged tokens", 1000, accepted);
        sent += 1000;
        pattern = "forged positions";
        // Forged positions: one bot session, real searches, claims position 40 for the third
        // result, far faster than a human.
        accepted = 0;
        for (int i = 0; i < 60; i++) {
            JsonNode r = search(base, "кирпич " + (i % 5), "bot-positions", "evil");
            JsonNode third = r.path("results").get(Math.min(2, r.path("results").size() - 1));
            accepted +=
                    interact(
                                            base,
                                            r.path("impressionToken").asText(),
                                            third.path("productId").asText(),
                                            "ADD_TO_CART",
                                            40,
                                            "evil")
                                    == 202
                            ? 1
                            : 0;
        }
        record("forged positions", 60, accepted);
        sent += 60;
        pattern = "replayed tokens";
        // Replayed tokens: the same engagement again and again.
        accepted = 0;
        long replays = 0;
        for (int i = 0; i < 40; i++) {
            JsonNode r = search(base, "цемент " + (i % 4), "bot-replay", "evil");
            String t = r.path("impressionToken").asText();
            String product = r.path("results").get(0).path("productId").asText();
            for (int j = 0; j < 25; j++) {
                accepted += interact(base, t, product, "CLICK", 1, "evil") == 202 ? 1 : 0;
                replays++;
            }
        }
        record("replayed tokens", replays, accepted);
        sent += replays;
        pattern = "one request id flooded (HTTP)";
        // One request id flooded through the API: the ledger takes one per (product, type), the
        // session guard the rest.
        JsonNode flood = search(base, "утеплитель", "bot-flood", "evil");
        accepted = 0;
        for (int i = 0; i < 1000; i++) {
            JsonNode hit = flood.path("results").get(i % flood.path("results").size());
            accepted +=
                    interact(
                                            base,
                                            flood.path("impressionToken").asText(),
                                            hit.path("productId").asText(),
                                            FLOOD_TYPES
                                                    .get(
                                                            (i / flood.path("results").size())
                                                                    % FLOOD_TYPES.size())
                                                    .name(),
                                            1,
                                            "evil")
                                    == 202
                            ? 1
                            : 0;
        }
        record("one request id flooded (HTTP)", 1000, accepted);
        sent += 1000;
        pattern = "one product from many fresh sessions";
        // One product pushed from many fresh sessions, each of which looks human on its own (a
        // query shoppers never issue).
        accepted = 0;
        for (int i = 0; i < 100; i++) {
            JsonNode r = search(base, heldOutQuery, "fresh-" + i, "evil-" + i);
            accepted +=
                    interact(
                                            base,
                                            r.path("impressionToken").asText(),
                                            r.path("results").get(0).path("productId").asText(),
                                            "CLICK",
                                            1,
                                            "evil-" + i)
                                    == 202
                            ? 1
                            : 0;
        }
        record("one product from many fresh sessions", 100, accepted);
        sent += 100;
        pattern = "text/plain posts";
        // text/plain posts (what a cross-site form can send).
        accepted = 0;
        for (int i = 0; i < 1000; i++) {
            accepted +=
                    send(
                                            HttpRequest.newBuilder(
                                                            URI.create(base + "/v1/interactions"))
                                                    .header("Content-Type", "text/plain")
                                                    .header("X-Client", "evil")
                                                    .POST(
                                                            HttpRequest.BodyPublishers.ofString(
                                                                    "{\"impressionToken\":\""
                                                                            + token
                                                                            + "\",\"productId\":\"x\",\"type\":\"CLICK\"}"))
                                                    .build())
                                    == 202
                            ? 1
                            : 0;
        }
        record("text/plain posts", 1000, accepted);
        sent += 1000;
        pattern = "chunked oversized bodies";
        // Chunked oversized bodies (no Content-Length; 512 KiB).
        accepted = 0;
        byte[] chunk =
                ("{\"impressionToken\":\"" + "A".repeat(8000)).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 20; i++) {
            accepted +=
                    send(
                                            HttpRequest.newBuilder(
                                                            URI.create(base + "/v1/interactions"))
                                                    .header("Content-Type", "application/json")
                                                    .header("X-Client", "evil")
                                                    .POST(
                                                            HttpRequest.BodyPublishers
                                                                    .ofInputStream(
                                                                            () ->
                                                                                    new SequenceInputStream(
                                                                                            Collections
                                                                                                    .enumeration(
                                                                                                            Collections
                                                                                                                    .nCopies(
                                                                                                                            64,
                                                                                                                            chunk)
                                                                                                                    .stream()
                                                                                                                    .map(
                                                                                                                            b ->
                                                                                                                                    (InputStream)
                                                                                                                                            new ByteArrayInputStream(
                                                                                                                                                    b))
                                                                                                                    .toList()))))
                                                    .build())
                                    == 202
                            ? 1
                            : 0;
        }
        record("chunked oversized bodies", 20, accepted);
        sent += 20;
        pattern = "straight into Kafka";
        // Straight into Kafka, as a compromised back end would: unshown products, and one request
        // id flooded.
        String ownRequest =
                search(base, "дымоход", "evil-kafka", "evil").path("requestId").asText();
        // The forged records name a search; until its log record is in Kafka, the pair-builder
        // cannot know what it showed and counts
        // the flood by the per-request cap instead (nothing is credited either way, but the table
        // below counts by reason).
        awaitLogged(topics, ownRequest);
        try (KafkaProducer<String, Interaction> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KafkaFixture.bootstrapServers(),
                                ProducerConfig.LINGER_MS_CONFIG,
                                20),
                        new StringSerializer(),
                        topics.interactions().valueSerde().serializer())) {
            CheckedSends<String, Interaction> sends = new CheckedSends<>(producer);
            for (int i = 0; i < 2000; i++) {
                sends.send(
                        new ProducerRecord<>(
                                topics.interactions().name(),
                                ownRequest,
                                Interaction.newBuilder()
                                        .setType(InteractionType.PURCHASE)
                                        .setRequestId(ownRequest)
                                        .setSessionId("evil-kafka")
                                        .setProductId("kafka-not-shown-" + i)
                                        .setPosition(40)
                                        .setTimestamp(Instant.now())
                                        .build()));
            }
            JsonNode flooded = search(base, "шпаклевка", null, "evil");
            String floodedId = flooded.path("requestId").asText();
            awaitLogged(topics, floodedId);
            String shown = flooded.path("results").get(0).path("productId").asText();
            for (int i = 0; i < 3000; i++) {
                sends.send(
                        new ProducerRecord<>(
                                topics.interactions().name(),
                                floodedId,
                                Interaction.newBuilder()
                                        .setType(InteractionType.CLICK)
                                        .setRequestId(floodedId)
                                        .setProductId(shown)
                                        .setPosition(1)
                                        .setTimestamp(Instant.now())
                                        .build()));
            }
            sends.flush();
        }
        record("unshown products (Kafka)", 2000, 2000);
        record("one request id flooded (Kafka)", 3000, 3000);
        sent += 5000;
        return sent;
    }

    /** Waits until the search log holds the search with this request id. */
    private static void awaitLogged(Topics topics, String requestId) {
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KafkaFixture.bootstrapServers()),
                        new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topics.searchEvents().name()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            boolean[] seen = {false};
            await().atMost(Duration.ofMinutes(1))
                    .until(
                            () -> {
                                consumer.poll(Duration.ofMillis(200))
                                        .forEach(r -> seen[0] |= requestId.equals(r.key()));
                                return seen[0];
                            });
        }
    }

    private void record(String pattern, long sent, long accepted) {
        table.put(pattern, new long[] {sent, accepted});
    }

    private JsonNode search(String base, String q, String session, String client) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                base
                                                        + "/v1/search?k=10&mode=hybrid&q="
                                                        + URLEncoder.encode(
                                                                q, StandardCharsets.UTF_8)
                                                        + (session == null
                                                                ? ""
                                                                : "&sessionId=" + session)))
                                .header("X-Client", client)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        count(r.statusCode());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private int interact(
            String base, String token, String productId, String type, int position, String client)
            throws Exception {
        String body =
                JSON.writeValueAsString(
                        Map.of(
                                "impressionToken",
                                token,
                                "productId",
                                productId,
                                "type",
                                type,
                                "position",
                                position));
        return send(
                HttpRequest.newBuilder(URI.create(base + "/v1/interactions"))
                        .header("Content-Type", "application/json")
                        .header("X-Client", client)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
    }

    private int send(HttpRequest request) throws Exception {
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            status = -1; // the server may close a connection whose body it refused to read
        }
        count(status);
        return status;
    }

    private void count(int status) {
        statuses.computeIfAbsent(Integer.toString(status), s -> new AtomicLong()).incrementAndGet();
        statusesByPattern
                .computeIfAbsent(pattern, p -> new ConcurrentHashMap<>())
                .merge(status, 1L, Long::sum);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private boolean ready(String base) {
        try {
            return get(base + "/health/ready").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** One pair-builder and search API over {@code prefix}'s topics (the embedder serves both). */
    private record Side(
            Connections connections,
            EmbedderConfig embedder,
            PairBuilderConfig pairs,
            SearchConfig search) {}

    private static Side side(String prefix, PostgresFixture.Database db, Path stateDir) {
        Connections connections =
                Connections.of(KafkaFixture.bootstrapServers(), "mock://" + prefix, db.url())
                        .withTopicPrefix(prefix);
        PairSettings quick = QuickLoop.pairs();
        return new Side(
                connections,
                EmbedderConfig.defaults(connections)
                        .withGroupId(prefix + "embedder")
                        .withCheckInterval(Duration.ofMillis(500))
                        .withEncoder(QuickLoop.CPU),
                PairBuilderConfig.defaults(connections)
                        .withApplicationId(prefix + "pair-builder")
                        .withStateDir(stateDir)
                        .withSettings(
                                quick
                                        // every change is emitted, so the last value does not
                                        // depend on how evidence was batched
                                        .withScorer(quick.scorer().withEmitEpsilon(0))
                                        .withTypoAugmentation(false)
                                        .withLimits(
                                                quick.limits()
                                                        // longer than the attack's bursts take to
                                                        // give themselves away
                                                        .withSessionHold(Duration.ofSeconds(10))
                                                        .withBurstWindow(Duration.ofSeconds(3))
                                                        .withMaxBurstSessions(8)
                                                        .withMaxInteractionsPerMinute(20))),
                SearchConfig.defaults(connections)
                        .withEncoder(QuickLoop.CPU)
                        .withRefreshInterval(Duration.ofSeconds(1))
                        .withGuard(
                                SearchConfig.Guard.defaults()
                                        .withClientHeader("X-Client")
                                        .withRateLimit(1000, 2000)));
    }

    private static void produceCatalog(Topics topics, Catalog catalog) {
        try (KafkaProducer<String, CatalogItem> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KafkaFixture.bootstrapServers(),
                                ProducerConfig.LINGER_MS_CONFIG,
                                20),
                        new StringSerializer(),
                        topics.catalog().valueSerde().serializer())) {
            CheckedSends<String, CatalogItem> sends = new CheckedSends<>(producer);
            for (Catalog.Item item : catalog.items()) {
                sends.send(
                        new ProducerRecord<>(
                                topics.catalog().name(),
                                item.id(),
                                CatalogItem.newBuilder()
                                        .setId(item.id())
                                        .setTitle(item.title())
                                        .setCategory(item.type().category())
                                        .setUpdatedAt(Instant.now())
                                        .build()));
            }
            sends.flush();
        }
    }

    /** The latest pair per key once the output has not changed for a few seconds. */
    private static Map<String, TrainingPair> awaitStable(String prefix, Connections connections) {
        List<Map<String, TrainingPair>> last = new ArrayList<>(List.of(Map.of()));
        long[] since = {System.currentTimeMillis()};
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            Map<String, TrainingPair> now = readPairs(prefix, connections);
                            if (now.isEmpty() || !now.equals(last.get(0))) {
                                last.set(0, now);
                                since[0] = System.currentTimeMillis();
                                return false;
                            }
                            return System.currentTimeMillis() - since[0] >= 8_000;
                        });
        return last.get(0);
    }

    private static Map<String, TrainingPair> readPairs(String prefix, Connections connections) {
        Topics topics =
                Topics.lookingUp(SchemaRegistries.connect(connections.schemaRegistryUrl()), prefix);
        Map<String, TrainingPair> latest = new HashMap<>();
        TopicContents.forEach(
                topics.trainingPairs().name(),
                true,
                new StringDeserializer(),
                topics.trainingPairs().valueSerde().deserializer(),
                r -> latest.put(r.key(), r.value()));
        return latest;
    }
}
