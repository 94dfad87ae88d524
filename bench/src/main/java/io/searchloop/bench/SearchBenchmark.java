package io.searchloop.bench;

import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.embedder.EmbedderService;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.events.CatalogItem;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.search.SearchApiService;
import io.searchloop.search.SearchConfig;
import io.searchloop.testkit.KafkaFixture;
import io.searchloop.testkit.PostgresFixture;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Search latency per mode through the real HTTP API over a real index (the base model, built by
 * the embedder), one client at a time (modest load), beside the time of encoding a query alone —
 * the share of vector search that is the model. The open-loop load at fixed rates of figure 4 is
 * not measured yet.
 */
final class SearchBenchmark {
    private final boolean quick;

    SearchBenchmark(boolean quick) {
        this.quick = quick;
    }

    void run(Results results) throws Exception {
        int items = quick ? 500 : 3000;
        int requests = quick ? 50 : 300;
        String prefix = "bench-search-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String registry = "mock://" + prefix;
        Topics topics = new Topics(SchemaRegistries.connect(registry), true, prefix);
        KafkaFixture.provision(prefix, 1);
        List<String> titles = CatalogTitles.generate(items, 3);
        try (KafkaProducer<String, CatalogItem> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaFixture.bootstrapServers()), new StringSerializer(), topics.catalog().valueSerde().serializer())) {
            for (int i = 0; i < titles.size(); i++) {
                producer.send(new ProducerRecord<>(topics.catalog().name(), "p" + i, CatalogItem.newBuilder().setId("p" + i)
                        .setTitle(titles.get(i)).setCategory(titles.get(i).split(" ")[0]).setUpdatedAt(Instant.now()).build()));
            }
        }
        PostgresFixture.Database db = PostgresFixture.newSchema("bench_search");
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaFixture.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", registry);
        env.put("TOPIC_PREFIX", prefix);
        env.put("DATABASE_URL", db.url().withCredentialsInUrl());
        env.put("EMBEDDER_GROUP_ID", prefix + "embedder");
        env.put("EMBEDDER_CHECK_INTERVAL", "PT0.5S");
        List<String> queries = List.of("дымоход сэндвич 115/200", "шуруповерт аккумуляторный", "минеральная вата 50 мм", "кран шаровой 1/2",
                "краска фасадная белая", "перфоратор sds-plus", "пена монтажная зимняя", "труба полипропиленовая 20");
        List<List<Object>> rows = new ArrayList<>();
        Map<String, Object> extra = new LinkedHashMap<>();
        try (EmbedderService embedder = new EmbedderService(EmbedderConfig.fromEnv(env));
             SearchApiService api = new SearchApiService(SearchConfig.fromEnv(env))) {
            embedder.start();
            waitForIndex(db, items);
            int port = api.start(0);
            HttpClient http = HttpClient.newHttpClient();
            for (String mode : List.of("vector", "lexical", "hybrid")) {
                for (int i = 0; i < 20; i++) {
                    get(http, port, queries.get(i % queries.size()), mode); // warm-up
                }
                long[] nanos = new long[requests];
                for (int i = 0; i < requests; i++) {
                    long t0 = System.nanoTime();
                    get(http, port, queries.get(i % queries.size()), mode);
                    nanos[i] = System.nanoTime() - t0;
                }
                rows.add(List.of(mode, requests, percentile(nanos, 50), percentile(nanos, 95), percentile(nanos, 99)));
            }
            try (SentenceEncoder encoder = SentenceEncoder.base(io.searchloop.encoder.EncoderOptions.defaults())) {
                long[] nanos = new long[requests];
                for (int i = 0; i < requests; i++) {
                    long t0 = System.nanoTime();
                    encoder.encode(List.of(queries.get(i % queries.size())));
                    nanos[i] = System.nanoTime() - t0;
                }
                rows.add(List.of("encode query only", requests, percentile(nanos, 50), percentile(nanos, 95), percentile(nanos, 99)));
            }
        }
        extra.put("index", items + " items, all-MiniLM-L6-v2, HNSW m=16 ef_construction=64, ef_search=100; one client, sequential");
        results.publish("search", "Search latency (ms) through the HTTP API per mode, vs encoding the query alone",
                List.of("mode", "requests", "p50 ms", "p95 ms", "p99 ms"), rows, extra);
    }

    private static void waitForIndex(PostgresFixture.Database db, int items) throws Exception {
        long deadline = System.currentTimeMillis() + 600_000;
        while (System.currentTimeMillis() < deadline) {
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT i.item_count FROM active_index a JOIN embedding_indexes i USING (model_name, model_version)")) {
                if (rs.next() && rs.getLong(1) >= items) {
                    return;
                }
            } catch (java.sql.SQLException notYet) {
                // tables not created yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the index was not built within 10 minutes");
    }

    private static void get(HttpClient http, int port, String q, String mode) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/search?k=10&mode=" + mode + "&q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("search failed: " + r.statusCode() + " " + r.body());
        }
    }

    private static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return Double.parseDouble(String.format(Locale.ROOT, "%.2f", sorted[Math.max(0, index)] / 1e6));
    }
}
