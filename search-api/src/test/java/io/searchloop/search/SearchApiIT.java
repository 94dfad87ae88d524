package io.searchloop.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.embedder.EmbedderService;
import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.TinyModels;
import io.searchloop.encoder.weights.ModelChecksum;
import io.searchloop.events.CatalogItem;
import io.searchloop.events.Interaction;
import io.searchloop.events.InteractionType;
import io.searchloop.events.ModelStatus;
import io.searchloop.events.ModelVersion;
import io.searchloop.events.RetrainRequested;
import io.searchloop.events.SearchPerformed;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topic;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.search.http.Routes;
import io.searchloop.search.lexical.LuceneLexical;
import io.searchloop.search.query.Searcher;
import io.searchloop.testkit.CheckedSends;
import io.searchloop.testkit.KafkaFixture;
import io.searchloop.testkit.PostgresFixture;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The search API against real Kafka, PostgreSQL/pgvector and the real MiniLM index built by the
 * real embedder: the three modes, the events that close the loop, bad input, admin, metrics, and a
 * model swap under concurrent load.
 */
class SearchApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String[][] CATALOG = {
        {"Дымоход сэндвич из нержавеющей стали 115/200 мм, утепленный", "Дымоходы"},
        {"Дымоход моно нержавеющий 120 мм", "Дымоходы"},
        {"Труба дымохода оцинкованная 150 мм", "Дымоходы"},
        {"Шуруповерт аккумуляторный 18В, 2 АКБ", "Электроинструмент"},
        {"Дрель ударная 750 Вт", "Электроинструмент"},
        {"Перфоратор SDS-plus 800 Вт", "Электроинструмент"},
        {"Минеральная вата Rockwool 50 мм", "Утеплители"},
        {"Металлочерепица Монтеррей 0,5 мм", "Кровля"},
        {"Пена монтажная профессиональная 750 мл", "Герметики"},
        {"Кран шаровой латунный 1/2\"", "Водопровод"},
        {"Краска фасадная белая 10 л", "Краски"},
        {"Cordless drill 18V with two batteries", "Электроинструмент"},
    };

    private static String prefix;
    private static Topics topics;
    private static EmbedderService embedder;
    private static SearchApiService api;
    private static String base;
    private static PostgresFixture.Database database;
    private static Path tiny;

    @BeforeAll
    static void start() throws Exception {
        prefix = KafkaFixture.uniqueName("search") + ".";
        String registry = "mock://" + prefix;
        topics = Topics.autoRegistering(SchemaRegistries.connect(registry), prefix);
        KafkaFixture.provision(prefix, 1);
        database = PostgresFixture.newSchema("search");
        Connections connections =
                Connections.of(KafkaFixture.bootstrapServers(), registry, database.url())
                        .withTopicPrefix(prefix);
        EncoderOptions cpu = EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU);
        try (KafkaProducer<String, CatalogItem> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KafkaFixture.bootstrapServers()),
                        new StringSerializer(),
                        topics.catalog().valueSerde().serializer())) {
            CheckedSends<String, CatalogItem> sends = new CheckedSends<>(producer);
            for (int i = 0; i < CATALOG.length; i++) {
                sends.send(
                        new ProducerRecord<>(
                                topics.catalog().name(),
                                "p" + i,
                                CatalogItem.newBuilder()
                                        .setId("p" + i)
                                        .setTitle(CATALOG[i][0])
                                        .setCategory(CATALOG[i][1])
                                        .setUpdatedAt(Instant.now())
                                        .build()));
            }
            sends.flush();
        }
        embedder =
                new EmbedderService(
                        EmbedderConfig.defaults(connections)
                                .withGroupId(prefix + "embedder")
                                .withCheckInterval(Duration.ofMillis(500))
                                .withEncoder(cpu));
        embedder.start();
        api =
                new SearchApiService(
                        SearchConfig.defaults(connections)
                                .withAdminToken("s3cret-token")
                                .withEncoder(cpu)
                                .withRefreshInterval(Duration.ofSeconds(1))
                                .withLexical(
                                        SearchConfig.Lexical.defaults()
                                                .withRefresh(Duration.ofSeconds(1)))
                                .withGuard(
                                        SearchConfig.Guard.defaults()
                                                .withClientHeader("X-Client")
                                                .withRateLimit(20, 300)));
        int port = api.start(0);
        base = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofMinutes(2)).until(() -> get("/health/ready").statusCode() == 200);
        tiny = TinyModels.write(Files.createTempDirectory("tiny-model"), 5);
    }

    @AfterAll
    static void stop() {
        api.close();
        embedder.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return getUrl(base + path);
    }

    private static HttpResponse<String> getUrl(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body, String token)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode search(String q, String mode) throws Exception {
        HttpResponse<String> r =
                get(
                        "/v1/search?q="
                                + URLEncoder.encode(q, StandardCharsets.UTF_8)
                                + "&mode="
                                + mode
                                + "&k=5");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> categories(JsonNode response) {
        List<String> out = new ArrayList<>();
        response.path("results").forEach(h -> out.add(h.path("category").asText()));
        return out;
    }

    @Test
    void shouldFindSensibleResultsInEveryMode() throws Exception {
        JsonNode lexical = search("дымоход", "lexical");
        assertThat(categories(lexical).get(0)).isEqualTo("Дымоходы");
        JsonNode russian = search("дымоход нержавеющий", "vector");
        assertThat(categories(russian).subList(0, 2)).containsOnly("Дымоходы");
        assertThat(russian.path("modelVersion").asText()).isEqualTo("base");
        JsonNode typo = search("шуруповерт акумуляторный", "vector"); // one 'к' missing
        assertThat(typo.path("results").get(0).path("productId").asText()).isEqualTo("p3");
        JsonNode english = search("cordless drill", "hybrid");
        assertThat(english.path("results").get(0).path("productId").asText()).isEqualTo("p11");
        JsonNode filtered = search("дрель", "vector");
        assertThat(filtered.path("results")).isNotEmpty();
        HttpResponse<String> byCategory =
                get(
                        "/v1/search?q="
                                + URLEncoder.encode("инструмент", StandardCharsets.UTF_8)
                                + "&mode=vector&k=10&category="
                                + URLEncoder.encode("Кровля", StandardCharsets.UTF_8));
        assertThat(categories(JSON.readTree(byCategory.body()))).containsOnly("Кровля");
        JsonNode first = search("дымоход", "hybrid").path("results").get(0);
        assertThat(first.path("position").asInt()).isEqualTo(1);
    }

    @Test
    void shouldLogSearchesAndInteractionsToKafka() throws Exception {
        HttpResponse<String> searched =
                get(
                        "/v1/search?q="
                                + URLEncoder.encode("пена монтажная", StandardCharsets.UTF_8)
                                + "&mode=hybrid&k=5&sessionId=s-1");
        JsonNode response = JSON.readTree(searched.body());
        String requestId = response.path("requestId").asText();
        String productId = response.path("results").get(0).path("productId").asText();
        HttpResponse<String> accepted =
                post(
                        "/v1/interactions",
                        "{\"impressionToken\":\""
                                + response.path("impressionToken").asText()
                                + "\",\"productId\":\""
                                + productId
                                + "\",\"position\":1,\"type\":\"ADD_TO_CART\",\"sessionId\":\"s-1\"}",
                        null);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        SearchPerformed logged =
                awaitRecord(topics.searchEvents(), r -> r.getRequestId().equals(requestId));
        assertThat(logged.getQuery()).isEqualTo("пена монтажная");
        assertThat(logged.getResults().get(0).getProductId()).isEqualTo(productId);
        assertThat(logged.getModelVersion()).isEqualTo("base");
        Interaction interaction =
                awaitRecord(topics.interactions(), r -> r.getRequestId().equals(requestId));
        assertThat(interaction.getType()).isEqualTo(InteractionType.ADD_TO_CART);
        assertThat(interaction.getProductId()).isEqualTo(productId);
        assertThat(interaction.getSessionId()).isEqualTo("s-1");
    }

    @ParameterizedTest(name = "GET {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            /v1/search                     | 400
            /v1/search?q=                  | 400
            /v1/search?q=%20%3F%21         | 400
            /v1/search?q=x&k=0             | 400
            /v1/search?q=x&k=101           | 400
            /v1/search?q=x&k=ten           | 400
            /v1/search?q=x&mode=fuzzy      | 400
            /v1/search?q=%FF%FE%00%01      | 400
            /v1/nope                       | 404
            """)
    void shouldAnswerAClientMistakeWithA4xxJsonError(String path, int status) throws Exception {
        assertJsonError(get(path), path, status);
    }

    @Test
    void shouldRefuseAQueryLongerThanTheLimit() throws Exception {
        String path = "/v1/search?q=" + "a".repeat(300);
        assertJsonError(get(path), "a 300-character query", 400);
    }

    @ParameterizedTest(name = "POST {0} -> {1}")
    @MethodSource("badInteractions")
    void shouldAnswerABadInteractionWithA4xx(String body, int status) throws Exception {
        assertThat(post("/v1/interactions", body, null).statusCode())
                .as(body.length() > 80 ? body.substring(0, 80) + "…" : body)
                .isEqualTo(status);
    }

    static Stream<Arguments> badInteractions() {
        return Stream.of(
                Arguments.of("{not json", 400),
                Arguments.of("[1,2]", 400),
                Arguments.of(
                        "{\"requestId\":\"r\",\"productId\":\"p\",\"position\":1,\"type\":\"LIKE\"}",
                        400),
                Arguments.of(
                        "{\"requestId\":\"r\",\"productId\":\"p\",\"position\":\"1\",\"type\":\"CLICK\"}",
                        400),
                Arguments.of(
                        "{\"requestId\":\"r\u0001\",\"productId\":\"p\",\"position\":1,\"type\":\"CLICK\"}",
                        400),
                Arguments.of("{\"requestId\":\"" + "r".repeat(20_000) + "\"}", 413));
    }

    @Test
    void shouldTreatInjectionAttemptsAsTextAndLeaveTheTablesUnharmed() throws Exception {
        long before = count("catalog_items");
        for (String injection :
                List.of(
                        "'; DROP TABLE catalog_items; --",
                        "\" OR 1=1 --",
                        "дымоход') | (select pg_sleep(5)",
                        "<script>alert(1)</script>")) {
            for (String mode : List.of("vector", "lexical", "hybrid")) {
                HttpResponse<String> r =
                        get(
                                "/v1/search?q="
                                        + URLEncoder.encode(injection, StandardCharsets.UTF_8)
                                        + "&mode="
                                        + mode
                                        + "&category="
                                        + URLEncoder.encode(injection, StandardCharsets.UTF_8));
                assertThat(r.statusCode()).as(injection + " " + mode).isIn(200, 400);
            }
        }
        assertThat(count("catalog_items")).isEqualTo(before);
    }

    private static void assertJsonError(HttpResponse<String> r, String what, int status)
            throws Exception {
        assertThat(r.statusCode()).as(what).isEqualTo(status);
        assertThat(JSON.readTree(r.body()).path("error").asText()).as(what).isNotBlank();
    }

    @Test
    void shouldAcceptOnlyEngagementsWithWhatTheTokenShowedOnceAtTheLoggedPosition()
            throws Exception {
        JsonNode response = search("дымоход", "hybrid");
        String token = response.path("impressionToken").asText();
        JsonNode second = response.path("results").get(1);
        String body =
                "{\"impressionToken\":\""
                        + token
                        + "\",\"productId\":\""
                        + second.path("productId").asText()
                        + "\",\"position\":40,\"type\":\"PURCHASE\"}";
        HttpResponse<String> accepted = post("/v1/interactions", body, null);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(JSON.readTree(accepted.body()).path("position").asInt())
                .as("the logged position, not the claimed 40")
                .isEqualTo(2);
        Interaction logged =
                awaitRecord(
                        topics.interactions(),
                        r -> r.getRequestId().equals(response.path("requestId").asText()));
        assertThat(logged.getPosition()).isEqualTo(2);
        assertThat(post("/v1/interactions", body, null).statusCode()).as("replay").isEqualTo(409);
        assertThat(
                        post(
                                        "/v1/interactions",
                                        // Only the field: the id ("p7") may also occur
                                        // inside the base64 token, which must stay intact.
                                        body.replace(
                                                "\"productId\":\""
                                                        + second.path("productId").asText()
                                                        + "\"",
                                                "\"productId\":\"never-shown\""),
                                        null)
                                .statusCode())
                .isEqualTo(422);
        String forged =
                token.substring(0, token.lastIndexOf('.') + 1)
                        + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        HttpResponse<String> refused = post("/v1/interactions", body.replace(token, forged), null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(refused.body()).path("error").asText()).contains("signature");
        assertThat(
                        post(
                                        "/v1/interactions",
                                        "{\"requestId\":\"r\",\"productId\":\"p\",\"type\":\"CLICK\"}",
                                        null)
                                .statusCode())
                .isEqualTo(400);
        assertThat(get("/metrics").body())
                .contains(
                        "searchloop_requests_rejected_total{reason=\"duplicate\",service=\"search-api\"} 1.0");
    }

    @Test
    void shouldRefuseNonJsonBodiesChunkedOversizedBodiesAndFloodsWithout5xx() throws Exception {
        HttpResponse<String> plain =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/v1/interactions"))
                                .header("Content-Type", "text/plain")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"requestId\":\"r\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(plain.body()).path("error").asText()).contains("application/json");
        byte[] chunk = ("{\"requestId\":\"" + "r".repeat(8000)).getBytes(StandardCharsets.UTF_8);
        HttpRequest chunked =
                HttpRequest.newBuilder(URI.create(base + "/v1/interactions"))
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofInputStream(
                                        () ->
                                                new java.io.SequenceInputStream(
                                                        java.util.Collections.enumeration(
                                                                java.util.Collections.nCopies(
                                                                                64, chunk)
                                                                        .stream()
                                                                        .map(
                                                                                b ->
                                                                                        (java.io
                                                                                                        .InputStream)
                                                                                                new java
                                                                                                        .io
                                                                                                        .ByteArrayInputStream(
                                                                                                        b))
                                                                        .toList()))))
                        .build();
        HttpResponse<String> tooLarge = HTTP.send(chunked, HttpResponse.BodyHandlers.ofString());
        assertThat(tooLarge.statusCode()).as("a 512 KiB chunked body").isEqualTo(413);
        assertThat(get("/v1/search?q=" + "слово+".repeat(40)).statusCode())
                .as("too many words")
                .isEqualTo(400);
        int limited = 0;
        for (int i = 0; i < 400; i++) {
            HttpResponse<String> r =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/v1/interactions"))
                                    .header("Content-Type", "application/json")
                                    .header("X-Client", "flooder")
                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isLessThan(500);
            if (r.statusCode() == 429) {
                limited++;
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
            }
        }
        assertThat(limited).isGreaterThanOrEqualTo(50);
    }

    /** Searches counted for {@code mode} so far (0 before the first). */
    private static double searches(SearchApi api, String mode) {
        var counter =
                api.metrics().registry().find("searchloop.searches").tag("mode", mode).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldAnswerHybridFromVectorsAloneWhileTheLexicalIndexLoadsAndRefuseLexicalUntilThen()
            throws Exception {
        JsonNode both = search("дымоход нержавеющий", "hybrid");
        assertThat(both.path("retrievals"))
                .extracting(JsonNode::asText)
                .containsExactly("vector", "lexical");
        SearchApi running = api.api();
        // The production routes over a lexical index that has not loaded yet, as at start.
        try (LuceneLexical loading = new LuceneLexical(database.url()::connect);
                Searcher searcher =
                        new Searcher(
                                running.db(),
                                loading,
                                running.config().rrfK(),
                                running.config().candidates(),
                                0)) {
            Javalin app = Javalin.create(c -> c.showJavalinBanner = false);
            Routes.routes(
                    app,
                    new SearchApi(
                            running.config(),
                            running.db(),
                            running.models(),
                            searcher,
                            running.publisher(),
                            running.topics(),
                            running.metrics(),
                            running.tokens(),
                            running.ledger(),
                            running.searchLimiter(),
                            running.interactionLimiter(),
                            running.readiness()));
            app.start("127.0.0.1", 0);
            try {
                double hybridBefore = searches(running, "hybrid");
                double vectorBefore = searches(running, "vector");
                String at = "http://127.0.0.1:" + app.port() + "/v1/search?k=5&q=";
                String q = URLEncoder.encode("дымоход нержавеющий", StandardCharsets.UTF_8);
                HttpResponse<String> hybrid = getUrl(at + q + "&mode=hybrid");
                assertThat(hybrid.statusCode()).as(hybrid.body()).isEqualTo(200);
                JsonNode answered = JSON.readTree(hybrid.body());
                assertThat(answered.path("mode").asText()).isEqualTo("hybrid");
                assertThat(answered.path("retrievals"))
                        .extracting(JsonNode::asText)
                        .containsExactly("vector");
                assertThat(searches(running, "hybrid"))
                        .as("counted by the mode that answered")
                        .isEqualTo(hybridBefore);
                assertThat(searches(running, "vector")).isEqualTo(vectorBefore + 1);
                JsonNode vector = JSON.readTree(getUrl(at + q + "&mode=vector").body());
                assertThat(answered.path("results"))
                        .isNotEmpty()
                        .extracting(r -> r.path("productId").asText())
                        .containsExactlyElementsOf(
                                vector.path("results").findValuesAsText("productId"));

                HttpResponse<String> lexical = getUrl(at + q + "&mode=lexical");
                assertJsonError(lexical, "lexical while loading", 503);
                assertThat(JSON.readTree(lexical.body()).path("error").asText())
                        .contains("still loading");
                assertThat(lexical.headers().firstValue("Retry-After")).hasValue("1");
            } finally {
                app.stop();
            }
        }
    }

    @Test
    void shouldBoundEverySearchQueryWithAStatementTimeout() throws Exception {
        try (java.sql.Connection c = api.api().db().getConnection();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SHOW statement_timeout")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("2s");
        }
        try (java.sql.Connection c = api.api().db().getConnection();
                java.sql.Statement st = c.createStatement()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> st.execute("SELECT pg_sleep(3)"))
                    .isInstanceOfSatisfying(
                            java.sql.SQLException.class,
                            e -> assertThat(e.getSQLState()).isEqualTo("57014"));
        }
    }

    @Test
    void shouldGuardAdminWithTheBearerToken() throws Exception {
        assertThat(post("/v1/admin/retrain", "", null).statusCode()).isEqualTo(401);
        assertThat(post("/v1/admin/retrain", "", "wrong").statusCode()).isEqualTo(401);
        assertThat(
                        post(
                                        "/v1/admin/retrain",
                                        "{\"reason\":\"new catalog season\"}",
                                        "s3cret-token")
                                .statusCode())
                .isEqualTo(202);
        RetrainRequested request =
                awaitRecord(
                        topics.retrainRequests(), r -> r.getReason().equals("new catalog season"));
        assertThat(request.getRequestedBy()).isEqualTo("search-api admin");
        assertThat(post("/v1/admin/rollback/v1", "", "wrong").statusCode()).isEqualTo(401);
        assertThat(post("/v1/admin/rollback/v1;drop", "", "s3cret-token").statusCode())
                .isEqualTo(400);
        assertThat(
                        post(
                                        "/v1/admin/rollback/v1",
                                        "{\"reason\":\"v2 hurts conversions\"}",
                                        "s3cret-token")
                                .statusCode())
                .isEqualTo(202);
        assertThat(
                        awaitRecord(topics.rollbackRequests(), r -> r.getVersion().equals("v1"))
                                .getReason())
                .isEqualTo("v2 hurts conversions");
    }

    @Test
    void shouldDescribeEveryRouteAndExposeMetrics() throws Exception {
        String spec = get("/openapi.yaml").body();
        for (String route : Routes.ALL) {
            String[] parts = route.split(" ", -1);
            assertThat(spec).as(route).contains("\n  " + parts[1] + ":");
            int at = spec.indexOf("\n  " + parts[1] + ":");
            int next = spec.indexOf("\n  /", at + 3);
            assertThat(spec.substring(at, next < 0 ? spec.length() : next))
                    .as(route)
                    .contains(parts[0].toLowerCase(Locale.ROOT) + ":");
        }
        search("дымоход", "vector");
        String metrics = get("/metrics").body();
        assertThat(metrics.lines())
                .anyMatch(
                        l ->
                                l.startsWith("searchloop_http_request_duration_seconds_bucket{")
                                        && l.contains("mode=\"vector\"")
                                        && l.contains("route=\"/v1/search\"")
                                        && l.contains("status=\"200\""));
        assertThat(metrics)
                .contains("searchloop_searches_total{mode=\"vector\",service=\"search-api\"}")
                .contains("searchloop_events_dropped_total{service=\"search-api\"}")
                .contains("hikaricp_connections_active{")
                .contains("kafka_producer_")
                .contains("jvm_memory_used_bytes{")
                .contains("searchloop_lexical_index_items{")
                .doesNotContain("searchloop_active_model_version{service=\"search-api\"} -1.0");
        JsonNode ready = JSON.readTree(get("/health/ready").body());
        assertThat(ready.path("status").asText()).isEqualTo("ready");
        for (String check :
                new String[] {
                    "model", "database", "kafka", "event-sender", "index-events", "lexical-index"
                }) {
            assertThat(ready.path("checks").path(check).asText()).as(check).isEqualTo("up");
        }
        assertThat(get("/").body()).contains("<form id=\"search-form\"");
        assertThat(JSON.readTree(get("/v1/models/active").body()).path("version").asText())
                .isNotBlank();
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldSearchAndReportAClickFromTheWebPageInARealBrowser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
                        .usingAnyFreePort()
                        .build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(base + "/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(d -> !d.findElement(By.id("model-version")).getText().equals("…"));
            browser.findElement(By.id("q")).sendKeys("дымоход нержавеющий");
            browser.findElement(By.id("go")).click();
            List<WebElement> results =
                    wait.until(
                            d -> {
                                List<WebElement> found = d.findElements(By.cssSelector("a.result"));
                                return found.isEmpty() ? null : found;
                            });
            String productId = results.get(0).getAttribute("data-product-id");
            results.get(0).click();
            wait.until(d -> d.findElements(By.cssSelector("a.result.clicked")).size() == 1);
            Interaction click =
                    awaitRecord(
                            topics.interactions(),
                            r ->
                                    r.getProductId().equals(productId)
                                            && r.getType() == InteractionType.CLICK
                                            && r.getSessionId() != null
                                            && r.getSessionId().startsWith("web-"));
            assertThat(click.getPosition()).isEqualTo(1);
        } finally {
            browser.quit();
        }
    }

    @Test
    void shouldSwapToANewIndexUnderLoadWithoutAFailedRequest() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> failures = new CopyOnWriteArrayList<>();
        Set<String> versions = ConcurrentHashMap.newKeySet();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(4);
        AtomicInteger sent = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(
                    load.submit(
                            () -> {
                                while (running.get()) {
                                    try {
                                        // Many shoppers, not one client: the per-client rate limit
                                        // (20/s,
                                        // burst 300) is not what this test is about,
                                        // and a fast machine spends the burst before the swap
                                        // lands.
                                        HttpResponse<String> r =
                                                HTTP.send(
                                                        HttpRequest.newBuilder(
                                                                        URI.create(
                                                                                base
                                                                                        + "/v1/search?q="
                                                                                        + URLEncoder
                                                                                                .encode(
                                                                                                        "дымоход",
                                                                                                        StandardCharsets
                                                                                                                .UTF_8)
                                                                                        + "&mode=vector&k=5"))
                                                                .header(
                                                                        "X-Client",
                                                                        "shopper-"
                                                                                + sent
                                                                                        .incrementAndGet())
                                                                .GET()
                                                                .build(),
                                                        HttpResponse.BodyHandlers.ofString());
                                        if (r.statusCode() != 200) {
                                            failures.add(r.statusCode() + " " + r.body());
                                        } else {
                                            JsonNode body = JSON.readTree(r.body());
                                            versions.add(body.path("modelVersion").asText());
                                            if (body.path("results").size() != 5) {
                                                failures.add("short result list " + body);
                                            }
                                            answered.incrementAndGet();
                                        }
                                    } catch (Exception e) {
                                        failures.add(e.toString());
                                    }
                                }
                            }));
        }
        // QUERY_ENGINE auto: the bundled base has the ONNX graph's architecture, so ONNX Runtime
        // encodes its queries; the tiny model swapped in below does not, so PyTorch does.
        assertThat(JSON.readTree(get("/v1/models/active").body()).path("engine").asText())
                .isEqualTo("onnx");
        assertThat(get("/metrics").body())
                .contains("searchloop_query_engine{engine=\"onnx\",service=\"search-api\"} 1.0");
        ModelVersion promoted =
                ModelVersion.newBuilder()
                        .setModelName("catalog-encoder")
                        .setVersion("swap-v2")
                        .setBaseModel("tiny")
                        .setArtifactUri(tiny.toUri().toString())
                        .setSha256(ModelChecksum.sha256(tiny))
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
                            topics.modelVersions().name(), "catalog-encoder", promoted));
            sends.flush();
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> versions.contains("swap-v2"));
        long atSwap = answered.get();
        // The load goes on for a while after the swap: requests answered by the new model.
        await().atMost(Duration.ofMinutes(1)).until(() -> answered.get() >= atSwap + 20);
        running.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        for (Future<?> worker : workers) {
            worker.get(1, TimeUnit.SECONDS); // rethrows what escaped the worker's own catch
        }
        assertThat(failures).isEmpty();
        assertThat(versions).contains("base", "swap-v2");
        assertThat(answered.get()).isGreaterThan(20);
        assertThat(JSON.readTree(get("/v1/models/active").body()).path("dimension").asInt())
                .isEqualTo(32);
        assertThat(JSON.readTree(get("/v1/models/active").body()).path("engine").asText())
                .isEqualTo("pytorch");
        assertThat(get("/metrics").body())
                .contains("searchloop_query_engine{engine=\"pytorch\",service=\"search-api\"} 1.0")
                .contains("searchloop_query_engine{engine=\"onnx\",service=\"search-api\"} 0.0");
    }

    private static long count(String table) throws Exception {
        try (Connection c = database.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static <V extends SpecificRecord> V awaitRecord(
            Topic<String, V> topic, java.util.function.Predicate<V> match) {
        List<V> found = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KafkaFixture.bootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG,
                                UUID.randomUUID().toString(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest"),
                        new StringDeserializer(),
                        topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ZERO)
                    .until(
                            () -> {
                                consumer.poll(Duration.ofMillis(300))
                                        .forEach(
                                                r -> {
                                                    if (match.test(r.value())) {
                                                        found.add(r.value());
                                                    }
                                                });
                                return !found.isEmpty();
                            });
        }
        return found.get(0);
    }
}
