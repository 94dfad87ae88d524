package io.searchloop.demo;

import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.embedder.EmbedderService;
import io.searchloop.events.CatalogItem;
import io.searchloop.events.ModelStatus;
import io.searchloop.pairs.PairBuilderConfig;
import io.searchloop.pairs.PairBuilderService;
import io.searchloop.pairs.PairSettings;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.contracts.PublishedVersions;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.TopicProvisioner;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.search.SearchApiService;
import io.searchloop.search.SearchConfig;
import io.searchloop.search.lexical.LexicalEngine;
import io.searchloop.testkit.CheckedSends;
import io.searchloop.testkit.EmbeddedKafkaBroker;
import io.searchloop.testkit.EmbeddedPostgres;
import io.searchloop.testkit.simulator.Catalog;
import io.searchloop.testkit.simulator.Shop;
import io.searchloop.trainer.TrainerConfig;
import io.searchloop.trainer.TrainerService;
import io.searchloop.trainer.TrainingRound;
import io.searchloop.trainer.store.PairCounts;
import io.searchloop.trainer.store.TrainerStore;
import io.searchloop.trainer.store.VersionRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole loop in one JVM on embedded defaults: Kafka, PostgreSQL/pgvector, the mock registry,
 * all four services and the simulated store. Measures the base model on held-out queries, lets
 * shoppers search and click until the trainer's volume trigger fires, waits for training,
 * promotion, re-encoding and the switch, measures again and reports before/after.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Run the whole loop in one JVM with a simulated hardware store and print a before/after quality report.")
final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--catalog-size",
            defaultValue = "5000",
            description = "Catalog items. Default: ${DEFAULT-VALUE}.")
    int catalogSize;

    @Option(
            names = "--shoppers",
            defaultValue = "200",
            description =
                    "Shopper sessions per batch while waiting for the trigger. Default: ${DEFAULT-VALUE}.")
    int shoppers;

    @Option(
            names = "--rounds",
            defaultValue = "1",
            description = "Training rounds. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(
            names = "--min-new-pairs",
            defaultValue = "1200",
            description = "The trainer's volume trigger. Default: ${DEFAULT-VALUE}.")
    int minNewPairs;

    @Option(
            names = "--max-steps",
            defaultValue = "120",
            description = "Training steps per round. Default: ${DEFAULT-VALUE}.")
    int maxSteps;

    @Option(
            names = "--epochs",
            defaultValue = "1",
            description = "Training epochs per round. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description =
                    "Search API port (0 = any free port); pair-builder, trainer and embedder serve "
                            + "/metrics and /health on the next three. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--lexical",
            defaultValue = "postgres",
            description =
                    "The search API's lexical engine: lucene, postgres or postgres_bounded. Default: ${DEFAULT-VALUE}"
                            + " (the services default to lucene; with it the demo's first round was rejected, see issue 19).")
    LexicalEngine lexical = LexicalEngine.POSTGRES;

    @Option(
            names = "--no-serve",
            description =
                    "Exit after the report instead of serving the search page (also when stdin is not a terminal).")
    boolean noServe;

    /** What a demo run found: the measurements per model version, and the loop's own record. */
    record Outcome(
            List<Report.Snapshot> snapshots,
            long pairs,
            List<VersionRow> versions,
            String servedVersion,
            Path report) {}

    @Override
    public Integer call() throws Exception {
        Outcome outcome = run(!noServe && Terminal.attached());
        return outcome.snapshots().isEmpty() ? 1 : 0;
    }

    /** Runs the loop; with {@code serve} keeps the search page up until Ctrl-C after the report. */
    Outcome run(boolean serve) throws Exception {
        Instant started = Instant.now();
        Path work = Files.createTempDirectory("searchloop-demo-");
        phase("starting Kafka (in-process KRaft) and PostgreSQL with pgvector");
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start();
                EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            try (Admin admin =
                    Admin.create(
                            Map.of(
                                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    kafka.bootstrapServers()))) {
                new TopicProvisioner(admin).provision(Topics.specs(3, (short) 1));
            }
            DatabaseUrl db = new DatabaseUrl(postgres.jdbcUrl("postgres"), "postgres", null);
            Services services = configure(kafka.bootstrapServers(), db, work);
            Topics topics =
                    Topics.autoRegistering(
                            SchemaRegistries.connect(
                                    services.trainer().connections().schemaRegistryUrl()));
            phase("starting pair-builder, trainer, embedder and search API");
            PairBuilderConfig pairsConfig = services.pairs();
            TrainerConfig trainerConfig = services.trainer();
            LoopWatch watch = new LoopWatch(db, trainerConfig.modelName());
            EmbedderConfig embedderConfig = services.embedder();
            try (PairBuilderService pairs = new PairBuilderService(pairsConfig);
                    TrainerService trainer = new TrainerService(trainerConfig);
                    EmbedderService embedder = new EmbedderService(embedderConfig);
                    SearchApiService search = new SearchApiService(services.search())) {
                // Each service keeps its own registry and endpoints, as in compose; the search API
                // serves its own on its port.
                int pairsOps = pairs.serve(pairsConfig.httpHost(), pairsConfig.httpPort());
                int trainerOps = trainer.serve(trainerConfig.httpHost(), trainerConfig.httpPort());
                int embedderOps =
                        embedder.serve(embedderConfig.httpHost(), embedderConfig.httpPort());
                System.out.printf(
                        "metrics and health: pair-builder http://localhost:%d, trainer http://localhost:%d, embedder http://localhost:%d "
                                + "(/metrics, /health/ready)%n",
                        pairsOps, trainerOps, embedderOps);
                pairs.start();
                trainer.start();
                embedder.start();
                Catalog catalog = Catalog.generate(catalogSize, 2026);
                phase(
                        "loading "
                                + catalog.items().size()
                                + " catalog items over "
                                + Catalog.typeCount()
                                + " product types; encoding them with the base model");
                produceCatalog(kafka.bootstrapServers(), topics, catalog);
                watch.awaitActiveIndex("base", catalog.items().size(), Duration.ofMinutes(20));
                int actualPort = search.start(port);
                String url = "http://localhost:" + actualPort;
                Shop shop = new Shop(catalog, "http://127.0.0.1:" + actualPort, 7);
                List<String> exampleQueries =
                        shop.heldOut().stream()
                                .filter(
                                        q ->
                                                q.family()
                                                        != io.searchloop.testkit.simulator
                                                                .QueryFamily.FORMAL)
                                .map(io.searchloop.testkit.simulator.ShopperQueries.Query::text)
                                .distinct()
                                .limit(6)
                                .toList();
                phase(
                        "measuring the base model on "
                                + shop.heldOut().size()
                                + " held-out queries shoppers never issue");
                List<Report.Snapshot> snapshots = new ArrayList<>();
                snapshots.add(Report.snapshot("base", shop, exampleQueries));
                TrainerStore store = trainer.store();
                Random random = new Random(11);
                for (int round = 1; round <= rounds; round++) {
                    int before = watch.versions().size();
                    phase(
                            "round "
                                    + round
                                    + ": shoppers search and click until the trainer's trigger fires ("
                                    + minNewPairs
                                    + " new pairs)");
                    int sessions = 0;
                    while (watch.versions().size() == before
                            && Duration.between(started, Instant.now()).toMinutes() < 40) {
                        shop.shop(shoppers, random);
                        sessions += shoppers;
                        PairCounts counts =
                                store.pairs()
                                        .counts(
                                                store.triggerState()
                                                        .state(watch.model())
                                                        .trainedThroughSeq());
                        progress("  " + sessions + " sessions, " + counts.changed() + " new pairs");
                        if (counts.changed() >= minNewPairs) {
                            break;
                        }
                    }
                    System.out.println();
                    phase(
                            "round "
                                    + round
                                    + ": training, evaluating and gating (see the trainer's log lines)");
                    PublishedVersions.Version decided =
                            watch.awaitDecision(before, Duration.ofMinutes(30));
                    phase(
                            "round "
                                    + round
                                    + ": "
                                    + decided.version()
                                    + " "
                                    + decided.status()
                                    + " — "
                                    + decided.reason());
                    if (decided.status().equals(ModelStatus.PROMOTED.name())) {
                        phase(
                                "round "
                                        + round
                                        + ": re-encoding the catalog with "
                                        + decided.version()
                                        + " and switching search to it");
                        watch.awaitActiveIndex(
                                decided.version(), catalog.items().size(), Duration.ofMinutes(20));
                        LoopWatch.awaitServing(search, decided.version(), Duration.ofMinutes(2));
                    }
                    snapshots.add(
                            Report.snapshot(
                                    decided.version() + " " + decided.status(),
                                    shop,
                                    exampleQueries));
                }
                Path report = Report.write(work.resolve("report.html"), snapshots);
                Report.print(snapshots);
                System.out.printf(
                        "%nwall time %d s; report: %s%n",
                        Duration.between(started, Instant.now()).toSeconds(), report.toUri());
                Outcome outcome =
                        new Outcome(
                                snapshots,
                                store.pairs().counts(0).total(),
                                store.versions().all(watch.model()),
                                search.api().models().peek().map(m -> m.version()).orElse(null),
                                report);
                if (serve) {
                    System.out.println("search page: " + url + "  (Ctrl-C stops)");
                    CountDownLatch stop = new CountDownLatch(1);
                    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                    stop.await();
                }
                return outcome;
            }
        }
    }

    /** The four services' settings for one run. */
    private record Services(
            PairBuilderConfig pairs,
            TrainerConfig trainer,
            EmbedderConfig embedder,
            SearchConfig search) {}

    /**
     * Production's settings with short windows and quick checks, so a round takes minutes; the
     * search API on {@code --port}, the other services' /metrics and /health on the next three
     * ports (any free port when the search API takes any).
     */
    private Services configure(String bootstrap, DatabaseUrl db, Path work) {
        Connections connections = Connections.of(bootstrap, "mock://demo", db);
        PairSettings pairs = PairSettings.defaults();
        TrainingRound.Settings round = TrainingRound.Settings.defaults();
        return new Services(
                PairBuilderConfig.defaults(connections)
                        .withStateDir(work.resolve("streams"))
                        .withHttpPort(port == 0 ? 0 : port + 1)
                        .withSettings(
                                pairs.withTiming(
                                                Duration.ofSeconds(10),
                                                Duration.ofSeconds(2),
                                                Duration.ofSeconds(1))
                                        .withScorer(pairs.scorer().withMinObservations(1))
                                        .withLimits(
                                                pairs.limits()
                                                        .withSessionHold(Duration.ofSeconds(3))
                                                        .withBurstWindow(Duration.ofSeconds(3)))),
                TrainerConfig.defaults(connections)
                        .withModelStore(work.resolve("models"))
                        .withTrigger(minNewPairs, Duration.ZERO)
                        .withCheckInterval(Duration.ofSeconds(2))
                        .withHttpPort(port == 0 ? 0 : port + 2)
                        .withRound(
                                // A short demo has few distinct queries: hold out a fifth so the
                                // gate has enough to tell a gain from noise, and gate at 50 %
                                // confidence (the judged gain's interval from the 25th to the 75th
                                // percentile must be above 0); production's default is 90 %.
                                round.withHoldoutFraction(0.2)
                                        .withTraining(
                                                round.training()
                                                        .withEpochs(epochs)
                                                        .withMaxSteps(maxSteps)
                                                        .withLearningRate(5e-5f))
                                        .withGate(round.gate().withConfidence(0.5))),
                EmbedderConfig.defaults(connections)
                        .withCheckInterval(Duration.ofSeconds(1))
                        .withHttpPort(port == 0 ? 0 : port + 3),
                SearchConfig.defaults(connections)
                        .withHttpPort(port)
                        .withRefreshInterval(Duration.ofSeconds(2))
                        // one simulated client (this process) plays every shopper
                        .withGuard(SearchConfig.Guard.defaults().withoutRateLimit())
                        // The shoppers see hybrid results. With the Lucene engine (the service
                        // default) the first round's candidate on this traffic lost whole-catalog
                        // recall@100 (-0.10) and the gate rejected it; not yet understood (issue
                        // 19's note), so the demo keeps the PostgreSQL full text it was built on
                        // unless --lexical says otherwise.
                        .withLexical(SearchConfig.Lexical.defaults().withEngine(lexical)));
    }

    private static void produceCatalog(String bootstrap, Topics topics, Catalog catalog) {
        try (KafkaProducer<String, CatalogItem> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.LINGER_MS_CONFIG,
                                20),
                        new StringSerializer(),
                        topics.catalog().valueSerde().serializer())) {
            CheckedSends<String, CatalogItem> sends = new CheckedSends<>(producer);
            Instant now = Instant.now();
            for (Catalog.Item item : catalog.items()) {
                sends.send(
                        new ProducerRecord<>(
                                topics.catalog().name(),
                                item.id(),
                                CatalogItem.newBuilder()
                                        .setId(item.id())
                                        .setTitle(item.title())
                                        .setCategory(item.type().category())
                                        .setAttributes(
                                                Map.of(
                                                        "материал",
                                                        item.material(),
                                                        "размер",
                                                        item.size(),
                                                        "бренд",
                                                        item.brand()))
                                        .setUpdatedAt(now)
                                        .build()));
            }
            sends.flush();
        }
    }

    private static void phase(String text) {
        System.out.printf("%n==> %s%n", text);
    }

    private static void progress(String text) {
        System.out.print("\r" + text + "          ");
        System.out.flush();
    }
}
