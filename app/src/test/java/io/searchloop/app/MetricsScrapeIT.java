package io.searchloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.embedder.EmbedderService;
import io.searchloop.encoder.TinyModels;
import io.searchloop.events.CatalogItem;
import io.searchloop.pairs.PairBuilderConfig;
import io.searchloop.pairs.PairBuilderService;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.search.SearchApiService;
import io.searchloop.search.SearchConfig;
import io.searchloop.testkit.CheckedSends;
import io.searchloop.testkit.KafkaFixture;
import io.searchloop.testkit.PostgresFixture;
import io.searchloop.testkit.simulator.Catalog;
import io.searchloop.testkit.simulator.Shop;
import io.searchloop.trainer.TrainerConfig;
import io.searchloop.trainer.TrainerService;
import io.searchloop.trainer.TrainingRound;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator's Prometheus sees after a demo-sized run: all four services over the real broker
 * and PostgreSQL (a tiny model, so that a whole training round and an index rebuild fit in the
 * test), simulated shoppers searching and clicking until the trainer has run a round; then every
 * series listed in {@code expected-metrics.txt} is scraped from its service's {@code /metrics},
 * present with a value, and above zero where the traffic should have moved it; and every service's
 * {@code /health/live} and {@code /health/ready} answer 200. The scrapes are kept under {@code
 * target/metrics-scrape/} for whoever builds dashboards.
 */
class MetricsScrapeIT {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsScrapeIT.class);
    private static final Pattern EXPECTED =
            Pattern.compile("(\\S+) ([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (any|>0)");
    private static final Pattern SAMPLE =
            Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})? (\\S+)");
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One line of expected-metrics.txt. */
    record Expected(String service, String name, Map<String, String> labels, boolean positive) {
        @Override
        public String toString() {
            return service + " " + name + labels + (positive ? " >0" : " any");
        }
    }

    /** One sample of a scrape. */
    record Sample(String name, Map<String, String> labels, double value) {}

    @Test
    void shouldExposeEveryExpectedSeriesWithValuesAndBeReadyAfterADemoSizedRun() throws Exception {
        List<Expected> expected = expected();
        assertThat(expected)
                .extracting(Expected::service)
                .containsOnly("search-api", "pair-builder", "trainer", "embedder");
        String prefix = KafkaFixture.uniqueName("scrape") + ".";
        KafkaFixture.provision(prefix, 1);
        Path work = Files.createTempDirectory("metrics-scrape");
        Connections connections =
                Connections.of(
                                KafkaFixture.bootstrapServers(),
                                "mock://" + prefix,
                                PostgresFixture.newSchema("scrape").url())
                        .withTopicPrefix(prefix);
        String tiny = TinyModels.write(work.resolve("tiny"), 3).toString();
        Catalog catalog = Catalog.generate(168, 2026);
        produceCatalog(
                Topics.autoRegistering(
                        SchemaRegistries.connect(connections.schemaRegistryUrl()), prefix),
                catalog);

        TrainingRound.Settings round = TrainingRound.Settings.defaults();
        TrainerConfig trainerConfig =
                TrainerConfig.defaults(connections)
                        .withGroupId(prefix + "trainer")
                        .withBaseModel(tiny)
                        .withModelStore(work.resolve("models"))
                        .withTrigger(40, Duration.ZERO)
                        .withCheckInterval(Duration.ofSeconds(1))
                        .withRound(
                                round.withHoldoutFraction(0.2)
                                        .withTraining(
                                                round.training()
                                                        .withEpochs(1)
                                                        .withBatchSize(8)
                                                        .withMaxSteps(6))
                                        .withEncoder(QuickLoop.CPU));
        try (EmbedderService embedder =
                        new EmbedderService(
                                EmbedderConfig.defaults(connections)
                                        .withGroupId(prefix + "embedder")
                                        .withBaseModel(tiny)
                                        .withCheckInterval(Duration.ofMillis(500))
                                        .withEncoder(QuickLoop.CPU));
                PairBuilderService pairs =
                        new PairBuilderService(
                                PairBuilderConfig.defaults(connections)
                                        .withApplicationId(prefix + "pair-builder")
                                        .withStateDir(work.resolve("streams"))
                                        .withSettings(QuickLoop.pairs()));
                TrainerService trainer = new TrainerService(trainerConfig);
                SearchApiService search =
                        new SearchApiService(
                                SearchConfig.defaults(connections)
                                        .withEncoder(QuickLoop.CPU)
                                        .withRefreshInterval(Duration.ofSeconds(1))
                                        // one simulated client plays every shopper
                                        .withGuard(
                                                SearchConfig.Guard.defaults()
                                                        .withoutRateLimit()))) {
            Map<String, String> bases = new LinkedHashMap<>();
            bases.put("pair-builder", "http://127.0.0.1:" + pairs.serve("127.0.0.1", 0));
            bases.put("trainer", "http://127.0.0.1:" + trainer.serve("127.0.0.1", 0));
            bases.put("embedder", "http://127.0.0.1:" + embedder.serve("127.0.0.1", 0));
            embedder.start();
            pairs.start();
            trainer.start();
            bases.put("search-api", "http://127.0.0.1:" + search.start(0));
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    get(bases.get("search-api") + "/health/ready").statusCode()
                                            == 200);

            // Shoppers until the trainer has finished a round (promoted or not): every service has
            // moved.
            Shop shop = new Shop(catalog, bases.get("search-api"), 7);
            Random random = new Random(11);
            Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
            int sessions = 0;
            while (sessions < 600
                    && value(
                                    scrape(bases.get("trainer")),
                                    "searchloop_trainer_rounds_total",
                                    Map.of())
                            < 1) {
                shop.shop(40, random);
                sessions += 40;
            }
            // Enough evidence sent: the round is running or about to.
            await("a training round within 8 minutes of shopping")
                    .atMost(Duration.between(Instant.now(), deadline))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(
                            () ->
                                    value(
                                                    scrape(bases.get("trainer")),
                                                    "searchloop_trainer_rounds_total",
                                                    Map.of())
                                            >= 1);
            LOG.info("{} shopper sessions until the first round ended", sessions);
            // The embedder re-indexes a promoted version; wait until nothing is building so the
            // scrape is of a settled system.
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    value(
                                                    scrape(bases.get("embedder")),
                                                    "searchloop_embedder_phase",
                                                    Map.of("phase", "idle"))
                                            == 1);

            Path out = Path.of("target", "metrics-scrape");
            Files.createDirectories(out);
            Map<String, List<Sample>> scrapes = new LinkedHashMap<>();
            for (Map.Entry<String, String> service : bases.entrySet()) {
                String text = scrape(service.getValue());
                Files.writeString(out.resolve(service.getKey() + ".txt"), text);
                scrapes.put(service.getKey(), parse(text));
                assertThat(text)
                        .as(service.getKey() + " writes HELP for its own metrics")
                        .contains("# HELP searchloop_");
            }
            List<String> missing = new ArrayList<>();
            for (Expected e : expected) {
                List<Sample> matching =
                        scrapes.get(e.service()).stream()
                                .filter(
                                        s ->
                                                s.name().equals(e.name())
                                                        && s.labels()
                                                                .entrySet()
                                                                .containsAll(e.labels().entrySet()))
                                .toList();
                // Kafka's own metrics read NaN for a client that has not measured yet (a restore
                // consumer): one value is enough.
                double sum =
                        matching.stream()
                                .mapToDouble(Sample::value)
                                .filter(v -> !Double.isNaN(v))
                                .sum();
                if (matching.isEmpty()) {
                    missing.add(e + ": no such series");
                } else if (matching.stream().allMatch(s -> Double.isNaN(s.value()))) {
                    missing.add(e + ": NaN");
                } else if (e.positive() && !(sum > 0)) {
                    missing.add(e + ": " + sum);
                }
            }
            assertThat(missing).as("expected series missing or not moved by the run").isEmpty();

            for (Map.Entry<String, String> service : bases.entrySet()) {
                assertThat(get(service.getValue() + "/health/live").statusCode())
                        .as(service.getKey() + " live")
                        .isEqualTo(200);
                HttpResponse<String> ready = get(service.getValue() + "/health/ready");
                assertThat(ready.statusCode())
                        .as(service.getKey() + " ready: " + ready.body())
                        .isEqualTo(200);
                assertThat(ready.body()).contains("\"status\":\"ready\"").doesNotContain("down");
            }
        }
    }

    /**
     * The list of series, from the one file the dashboard and the compose health checks are checked
     * against.
     */
    static List<Expected> expected() throws IOException {
        List<Expected> out = new ArrayList<>();
        try (InputStream in = MetricsScrapeIT.class.getResourceAsStream("/expected-metrics.txt")) {
            assertThat(in).as("expected-metrics.txt on the test classpath").isNotNull();
            for (String line :
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                Matcher m = EXPECTED.matcher(l);
                assertThat(m.matches()).as("expected-metrics.txt line: " + l).isTrue();
                out.add(
                        new Expected(
                                m.group(1),
                                m.group(2),
                                labels(m.group(3)),
                                m.group(4).equals(">0")));
            }
        }
        return out;
    }

    static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line.strip());
            if (m.matches()) {
                out.add(
                        new Sample(
                                m.group(1),
                                labels(m.group(2)),
                                Double.parseDouble(m.group(3).replace("+Inf", "Infinity"))));
            }
        }
        return out;
    }

    private static Map<String, String> labels(String braces) {
        Map<String, String> out = new HashMap<>();
        if (braces != null) {
            Matcher m = LABEL.matcher(braces);
            while (m.find()) {
                out.put(m.group(1), m.group(2));
            }
        }
        return out;
    }

    private double value(String text, String name, Map<String, String> labels) {
        return parse(text).stream()
                .filter(
                        s ->
                                s.name().equals(name)
                                        && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value)
                .sum();
    }

    private String scrape(String base) throws Exception {
        HttpResponse<String> r = get(base + "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return r.body();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
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
}
