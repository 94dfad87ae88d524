package io.searchloop.bench;

import com.pgvector.PGvector;
import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.embedder.catalog.CatalogRepository;
import io.searchloop.embedder.index.IndexBuilder;
import io.searchloop.embedder.index.IndexRepository;
import io.searchloop.encoder.BaseModel;
import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.TextEncoder;
import io.searchloop.schemas.config.Connections;
import io.searchloop.search.SearchApiService;
import io.searchloop.search.SearchConfig;
import io.searchloop.search.lexical.LexicalEngine;
import io.searchloop.search.model.ActiveModel;
import io.searchloop.testkit.KafkaFixture;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Figure 4: open-loop load at fixed request rates against the real HTTP API over an index built by
 * the embedder with the base model, per mode, with latency measured from each request's scheduled
 * send time (so a slow server cannot slow the load down and hide its own queueing); beside the time
 * of encoding a query alone, in the same JVM. Then HNSW recall@10 against exact search at several
 * {@code ef_search} values.
 */
final class SearchBenchmark {
    private static final int[] RATES = {10, 50, 100};
    private static final int[] EF_SEARCH = {40, 100, 200};

    private static final int[] HYBRID_RATES = {50, 100};

    /** Which figures a run measures. */
    enum Scope {
        /** Everything. */
        ALL,
        /** The lexical engines, hybrid and lexical quality, no vector figures. */
        LEXICAL,
        /** Vector search, recall, and hybrid with the default lexical engine. */
        VECTOR
    }

    private final boolean quick;
    private final Scope scope;

    SearchBenchmark(boolean quick, Scope scope) {
        this.quick = quick;
        this.scope = scope;
    }

    void run(Results results) throws Exception {
        int items = quick ? 2_000 : 50_000;
        Duration perRate = Duration.ofSeconds(quick ? 5 : 60);
        String prefix = "bench-search-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        KafkaFixture.provision(prefix, 1);
        EmbedderConfig embedder = BenchCatalog.create("bench_search", items);
        List<String> queries = queries(500);
        Map<String, Object> extra = new LinkedHashMap<>();

        // Index build and recall run on a thread of their own that ends before the server starts,
        // with the embedder's catalog engine: were it PyTorch, while two threads that ran the
        // model are alive, libgomp's worker pools compete for the cores and every model call
        // slows down (7 -> 12 ms per query here); a search API process has only its query-encoder
        // thread.
        ExecutorService setup = Executors.newSingleThreadExecutor();
        List<List<Object>> recallRows =
                setup.submit(
                                () -> {
                                    try (TextEncoder model =
                                            embedder.catalogEngine()
                                                    .open(
                                                            BaseModel.directory(),
                                                            EncoderOptions.defaults())) {
                                        IndexBuilder.BuildResult build =
                                                new IndexBuilder(
                                                                embedder.connections().database(),
                                                                new CatalogRepository(),
                                                                new IndexRepository(),
                                                                embedder.batchSize(),
                                                                embedder.hnswM(),
                                                                embedder.hnswEfConstruction())
                                                        .build(
                                                                BenchCatalog.baseModel(embedder),
                                                                model);
                                        extra.put(
                                                "index",
                                                items
                                                        + " items, all-MiniLM-L6-v2, HNSW m="
                                                        + embedder.hnswM()
                                                        + " ef_construction="
                                                        + embedder.hnswEfConstruction()
                                                        + " (built in "
                                                        + build.hnswMillis()
                                                        + " ms), search ef_search=100, iterative scan");
                                        return scope == Scope.LEXICAL
                                                ? List.<List<Object>>of()
                                                : recall(
                                                        embedder,
                                                        build.index().tableName(),
                                                        model,
                                                        queries.subList(0, quick ? 50 : 200));
                                    }
                                })
                        .get();
        setup.shutdown();
        setup.awaitTermination(1, TimeUnit.MINUTES);

        SearchConfig config =
                SearchConfig.defaults(
                                Connections.of(
                                                KafkaFixture.bootstrapServers(),
                                                "mock://" + prefix,
                                                embedder.connections().database())
                                        .withTopicPrefix(prefix))
                        // the load generator is one client on purpose
                        .withGuard(SearchConfig.Guard.defaults().withoutRateLimit());
        List<List<Object>> rows = new ArrayList<>();
        double[] encodeAlone = null;
        if (scope != Scope.VECTOR) {
            publishLexicalQuality(results, items, config.lexical().candidates());
        }
        quiesce(embedder);
        if (scope != Scope.LEXICAL) {
            try (SearchApiService api = new SearchApiService(config)) {
                int port = api.start(0);
                encodeAlone =
                        encodeAlone(
                                api.api().models().peek().orElseThrow(),
                                queries,
                                quick ? 100 : 300);
                load(port, "vector", "vector", queries, RATES, perRate, encodeAlone[2], rows);
            }
            // The same server batching queries that arrive together (the default, auto, encodes
            // one per call on ONNX Runtime), for the effect of batching.
            try (SearchApiService api = new SearchApiService(config.withQueryBatch(16))) {
                load(
                        api.start(0),
                        "vector",
                        "vector, QUERY_BATCH_MAX=16",
                        queries,
                        RATES,
                        perRate,
                        encodeAlone[2],
                        rows);
            }
        }
        // Each lexical engine on a server of its own, lexical alone and in hybrid.
        // (--only vector: hybrid with the default engine alone.)
        for (LexicalEngine engine :
                scope == Scope.VECTOR
                        ? new LexicalEngine[] {config.lexical().engine()}
                        : LexicalEngine.values()) {
            try (SearchApiService api =
                    new SearchApiService(config.withLexical(config.lexical().withEngine(engine)))) {
                int port = api.start(0);
                awaitReady(port);
                if (encodeAlone == null) {
                    encodeAlone =
                            encodeAlone(
                                    api.api().models().peek().orElseThrow(),
                                    queries,
                                    quick ? 100 : 300);
                }
                String setting = ", LEXICAL_ENGINE=" + engine.label();
                if (scope != Scope.VECTOR) {
                    load(
                            port,
                            "lexical",
                            "lexical" + setting,
                            queries,
                            RATES,
                            perRate,
                            encodeAlone[2],
                            rows);
                }
                load(
                        port,
                        "hybrid",
                        "hybrid" + setting,
                        queries,
                        HYBRID_RATES,
                        perRate,
                        encodeAlone[2],
                        rows);
            }
        }
        rows.add(
                List.of(
                        "encode query only (idle)",
                        "-",
                        quick ? 100 : 300,
                        0,
                        encodeAlone[0],
                        encodeAlone[1],
                        encodeAlone[2],
                        1.0));
        extra.put("goal", "vector p99 <= 2x the p99 of encoding a query alone, at 50 req/s");
        extra.put(
                "load",
                perRate.toSeconds()
                        + " s per rate, open loop (requests sent on schedule whatever the answers), latency from the"
                        + " scheduled send; errors = non-200 answers or no answer within 10 s; client, server, PostgreSQL and Kafka share the machine");
        results.publish(
                switch (scope) {
                    case ALL -> "search";
                    case LEXICAL -> "search-lexical";
                    case VECTOR -> "search-vector";
                },
                "Search latency (ms) under open-loop load through the HTTP API, per mode, vs encoding the query alone",
                List.of(
                        "mode",
                        "req/s",
                        "sent",
                        "errors",
                        "p50 ms",
                        "p95 ms",
                        "p99 ms",
                        "p99 / encode p99"),
                rows,
                extra);

        if (scope != Scope.LEXICAL) {
            Map<String, Object> recallExtra = new LinkedHashMap<>();
            recallExtra.put(
                    "setup",
                    "the same "
                            + items
                            + "-item index; exact = sequential scan ordered by cosine distance; "
                            + recallRows.get(0).get(1)
                            + " queries");
            results.publish(
                    "search-recall",
                    "HNSW recall@10 against exact search, by ef_search",
                    List.of("ef_search", "queries", "recall@10", "mean ms"),
                    recallRows,
                    recallExtra);
        }
    }

    private void publishLexicalQuality(Results results, int items, int candidates)
            throws Exception {
        // As many items as the load ran on, so that bounding the candidates shows its effect.
        Map<LexicalEngine, Map<String, double[]>> scores =
                LexicalQuality.measure(items, candidates);
        List<String> columns = new ArrayList<>(List.of("family", "queries"));
        scores.keySet().forEach(e -> columns.add("LEXICAL_ENGINE=" + e.label()));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put(
                "held-out",
                "a simulator catalog of "
                        + items
                        + " items (the quality figure's seed) and its held-out phrasings, each ranked"
                        + " by the search API's lexical path over the embedder's catalog tables;"
                        + " oracle nDCG@10, gain grade/3");
        results.publish(
                "lexical-quality",
                "Lexical quality: oracle nDCG@10 on held-out phrasings, per lexical engine",
                columns,
                LexicalQuality.rows(scores),
                extra);
    }

    /** Waits (at most two minutes) until the server reports ready: its lexical index is loaded. */
    private static void awaitReady(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            int status =
                    http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + port
                                                                    + "/health/ready"))
                                            .timeout(Duration.ofSeconds(10))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode();
            if (status == 200) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the search API was not ready within 2 minutes");
            }
            Thread.sleep(200);
        }
    }

    /**
     * Lets PostgreSQL write out the freshly built index and refresh statistics before the load, so
     * that does not land in it.
     */
    private static void quiesce(EmbedderConfig config) throws SQLException {
        try (Connection c = config.connections().database().connect();
                Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
            s.execute("CHECKPOINT");
        }
    }

    /**
     * Shopper-like queries: the start of a product title (type, maybe material or size), from a
     * seed of their own.
     */
    static List<String> queries(int count) {
        List<String> out = new ArrayList<>(count);
        for (String title : CatalogTitles.generate(count, 77)) {
            String[] words = title.split("[ ,]+");
            out.add(
                    String.join(
                                    " ",
                                    Arrays.copyOf(
                                            words, Math.min(words.length, 2 + out.size() % 3)))
                            .toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private record Load(int sent, int errors, double p50, double p95, double p99) {}

    private static void load(
            int port,
            String mode,
            String label,
            List<String> queries,
            int[] rates,
            Duration perRate,
            double encodeP99,
            List<List<Object>> rows)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // warm-up: the JIT compiles the request path (a tenth of a measured rate's length)
        openLoop(http, port, mode, queries, 20, perRate.dividedBy(10).plusSeconds(1));
        for (int rate : rates) {
            Load load = openLoop(http, port, mode, queries, rate, perRate);
            // each row as it comes, so a run cut short still shows what it measured
            System.out.println("[search] " + label + " at " + rate + " req/s: " + load);
            rows.add(
                    List.of(
                            label,
                            rate,
                            load.sent(),
                            load.errors(),
                            load.p50(),
                            load.p95(),
                            load.p99(),
                            load.p99() / encodeP99));
            settle(http, port, queries.get(0));
        }
    }

    /**
     * Waits until an overloaded server has worked off its backlog (a probe answers within 0.5 s),
     * so the next run starts clean.
     */
    private static void settle(HttpClient http, int port, String query)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            long t0 = System.nanoTime();
            try {
                http.send(
                        searchRequest(port, "vector", query),
                        HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException slow) {
                // still busy
            }
            if (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(500)) {
                return;
            }
            Thread.sleep(1000);
        }
    }

    /** GET /v1/search for the top 10 in {@code mode}; no answer within 10 s counts as an error. */
    private static HttpRequest searchRequest(int port, String mode, String query) {
        return HttpRequest.newBuilder(
                        URI.create(
                                "http://127.0.0.1:"
                                        + port
                                        + "/v1/search?k=10&mode="
                                        + mode
                                        + "&q="
                                        + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
    }

    private static Load openLoop(
            HttpClient http,
            int port,
            String mode,
            List<String> queries,
            int rate,
            Duration duration)
            throws InterruptedException {
        int total = (int) (rate * duration.toSeconds());
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long[] latencies = new long[total];
        List<CompletableFuture<?>> pending = new ArrayList<>(total);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            int slot = i;
            pending.add(
                    http.sendAsync(
                                    searchRequest(port, mode, queries.get(i % queries.size())),
                                    HttpResponse.BodyHandlers.discarding())
                            .whenComplete(
                                    (response, failure) -> {
                                        latencies[slot] =
                                                failure != null || response.statusCode() != 200
                                                        ? -1
                                                        : System.nanoTime() - due;
                                    }));
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            // a request without an answer counts as an error below; the percentiles use the answers
            // that came
        }
        long[] ok = Arrays.stream(latencies).filter(l -> l > 0).toArray();
        return new Load(
                total,
                total - ok.length,
                percentile(ok, 50),
                percentile(ok, 95),
                percentile(ok, 99));
    }

    /**
     * p50, p95, p99 in ms of encoding one query at a time on the server's own query-encoder thread,
     * before any load.
     */
    private static double[] encodeAlone(ActiveModel model, List<String> queries, int count)
            throws InterruptedException {
        long[] nanos = new long[count];
        for (int i = 0; i < 20; i++) {
            model.encodeQuery(queries.get(i));
        }
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            model.encodeQuery(queries.get(i % queries.size()));
            nanos[i] = System.nanoTime() - t0;
        }
        return new double[] {percentile(nanos, 50), percentile(nanos, 95), percentile(nanos, 99)};
    }

    /**
     * Recall@10 that counts ties as hits: the generated catalog repeats titles, so several items
     * can share the 10th exact distance and which of them an exact scan returns is arbitrary. An
     * approximate result counts if its distance is within the exact 10th distance.
     */
    private static List<List<Object>> recall(
            EmbedderConfig config, String table, TextEncoder model, List<String> queries)
            throws SQLException {
        float[][] vectors = model.encode(queries);
        double[] tenth = new double[vectors.length];
        // Exact and approximate runs on separate connections: a cached generic plan made with index
        // scans
        // off would otherwise carry over and make the "approximate" runs exact too.
        try (Connection c = config.connections().database().connect();
                Statement s = c.createStatement()) {
            PGvector.addVectorType(c);
            s.execute("SET enable_indexscan = off");
            for (int q = 0; q < vectors.length; q++) {
                double[] d = top10Distances(c, table, vectors[q]);
                tenth[q] = d.length == 0 ? Double.MAX_VALUE : d[d.length - 1];
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        for (int ef : EF_SEARCH) {
            try (Connection c = config.connections().database().connect();
                    Statement s = c.createStatement()) {
                PGvector.addVectorType(c);
                s.execute("SET hnsw.ef_search = " + ef);
                double hits = 0;
                long nanos = 0;
                for (int q = 0; q < vectors.length; q++) {
                    long t0 = System.nanoTime();
                    double[] approx = top10Distances(c, table, vectors[q]);
                    nanos += System.nanoTime() - t0;
                    for (double d : approx) {
                        hits += d <= tenth[q] + 1e-6 ? 0.1 : 0;
                    }
                }
                rows.add(
                        List.of(
                                ef,
                                vectors.length,
                                hits / vectors.length,
                                nanos / 1e6 / vectors.length));
            }
        }
        return rows;
    }

    private static double[] top10Distances(Connection c, String table, float[] vector)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT embedding <=> ? AS d FROM "
                                + table
                                + " ORDER BY embedding <=> ? LIMIT 10")) {
            PGvector v = new PGvector(vector);
            ps.setObject(1, v);
            ps.setObject(2, v);
            List<Double> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getDouble(1));
                }
            }
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    static double percentile(long[] nanos, int p) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return Math.round(sorted[Math.max(0, index)] / 1e4) / 100.0;
    }
}
