package io.searchloop.embedder;

import io.searchloop.embedder.catalog.CatalogIngestor;
import io.searchloop.embedder.catalog.CatalogRepository;
import io.searchloop.embedder.catalog.FullTextLocale;
import io.searchloop.embedder.index.ActivationOutbox;
import io.searchloop.embedder.index.IndexBuilder;
import io.searchloop.embedder.index.IndexInfo;
import io.searchloop.embedder.index.IndexRepository;
import io.searchloop.embedder.index.IndexRequest;
import io.searchloop.embedder.index.ModelCache;
import io.searchloop.encoder.BaseModel;
import io.searchloop.encoder.weights.ModelChecksum;
import io.searchloop.events.IndexActivated;
import io.searchloop.observe.Dependencies;
import io.searchloop.observe.IngestLoopMetrics;
import io.searchloop.observe.ServiceOps;
import io.searchloop.schemas.outbox.AcknowledgedPublisher;
import io.searchloop.schemas.outbox.OutboxRelay;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.IngestLoop;
import io.searchloop.schemas.topics.Topics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedder service: ingestion of catalog and model versions on one thread, and on another the
 * index loop — whenever the requested version is not the active one, switch at once to its kept
 * index, or build it (stopping if another version is requested meanwhile); then drop indexes beyond
 * the newest {@code KEEP_INDEXES} that no reader can still be using. On an empty system it asks for
 * an index of the base model, so search works before the first training. Each switch writes its
 * IndexActivated event to the outbox in the switching transaction; a relay publishes it after the
 * switch, every second and on start-up.
 */
public final class EmbedderService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbedderService.class);

    private static final java.time.Duration READER_TIMEOUT = java.time.Duration.ofMinutes(2);
    private static final java.time.Duration PUBLISH_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final EmbedderConfig config;
    private final CatalogRepository catalog = new CatalogRepository();
    private final IndexRepository indexes = new IndexRepository();
    private final ModelCache models;
    private final IndexBuilder builder;
    private volatile IndexBuilder.BuildResult lastBuild;
    private final IngestLoop ingestor;
    private final AcknowledgedPublisher<IndexActivated> events;
    private final OutboxRelay<IndexActivated> relay;
    private final ScheduledExecutorService loop =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "embedder-index"));
    private final ScheduledExecutorService outbox =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "embedder-outbox"));
    private final ServiceOps ops = new ServiceOps("embedder");
    private final EmbedderMetrics metrics = new EmbedderMetrics(ops.metrics().registry());
    private volatile long lastStepEnded = System.nanoTime();
    private volatile boolean stepping;

    public EmbedderService(EmbedderConfig config) {
        this.config = config;
        this.models = new ModelCache(config.encoder(), config.catalogEngine());
        this.builder =
                new IndexBuilder(
                        config.connections().database(),
                        catalog,
                        indexes,
                        config.batchSize(),
                        config.hnswM(),
                        config.hnswEfConstruction(),
                        metrics.phases());
        Topics topics =
                Topics.autoRegistering(
                        SchemaRegistries.connect(config.connections().schemaRegistryUrl()),
                        config.connections().topicPrefix());
        CatalogIngestor handler =
                new CatalogIngestor(
                        topics,
                        config.connections().database(),
                        catalog,
                        indexes,
                        models,
                        config.modelName(),
                        config.productAttributes());
        this.ingestor =
                new IngestLoop(
                        "embedder ingestion",
                        config.connections().bootstrapServers(),
                        config.groupId(),
                        handler.topics(),
                        1000,
                        handler);
        this.events =
                new AcknowledgedPublisher<>(
                        config.connections().bootstrapServers(),
                        topics.indexEvents(),
                        PUBLISH_TIMEOUT);
        this.relay =
                new OutboxRelay<>(
                        "IndexActivated events",
                        new ActivationOutbox(config.connections().database()),
                        e ->
                                events.publish(
                                        e.getModelName(),
                                        e,
                                        "IndexActivated "
                                                + e.getModelName()
                                                + " "
                                                + e.getModelVersion()));
        ops.metrics().bind(new IngestLoopMetrics(ingestor, "embedder-ingest"));
        ops.metrics().bindKafka(events.producerForMetrics());
        ops.readiness()
                .add(
                        "ingest",
                        () -> {
                            if (!ingestor.isAlive()) {
                                throw new IllegalStateException(
                                        "the ingestion loop is not running");
                            }
                            return true;
                        });
        ops.readiness().add("index-loop", this::indexLoopRunning);
        ops.readiness()
                .add(
                        "database",
                        Dependencies.database(
                                config.connections().database()::connect,
                                ServiceOps.CHECK_TIMEOUT));
        ops.requireKafka(config.connections().bootstrapServers());
    }

    /**
     * The index loop runs when a pass is under way (a build may take minutes) or one ended lately:
     * a scheduled task that threw an Error is silently never run again, which this notices.
     */
    private boolean indexLoopRunning() {
        if (loop.isShutdown()) {
            throw new IllegalStateException("the index loop is shut down");
        }
        long quiet =
                Math.max(
                        java.time.Duration.ofMinutes(1).toNanos(),
                        10 * config.checkInterval().toNanos());
        if (!stepping && System.nanoTime() - lastStepEnded > quiet) {
            throw new IllegalStateException(
                    "the index loop has not run for "
                            + (System.nanoTime() - lastStepEnded) / 1_000_000_000L
                            + " s");
        }
        return true;
    }

    /**
     * Metrics, readiness (ingestion and index loop running, PostgreSQL and Kafka reachable) and,
     * once {@link #serve}d, their endpoints.
     */
    public ServiceOps ops() {
        return ops;
    }

    /**
     * Serves /metrics, /health/live and /health/ready on {@code host}:{@code port} (0 = any free
     * port); returns the port.
     */
    public int serve(String host, int port) throws java.io.IOException {
        return ops.serve(host, port);
    }

    /** Applies the embedder's migrations (Flyway, history table flyway_embedder_history). */
    public static void migrate(EmbedderConfig config) {
        Flyway.configure()
                .dataSource(
                        config.connections().database().jdbcUrl(),
                        config.connections().database().user(),
                        config.connections().database().password())
                .locations("classpath:db/embedder")
                .table("flyway_embedder_history")
                .baselineOnMigrate(true)
                .baselineVersion(
                        "0") // a schema shared with another service is not empty, yet V1 must still
                // run
                .load()
                .migrate();
        try {
            FullTextLocale.check(config.connections().database());
        } catch (SQLException e) {
            LOG.warn("cannot check the database's locale for full-text search: {}", e.getMessage());
        }
    }

    /**
     * The most recent full index build with its phase times (encode, COPY, HNSW), if one ran in
     * this process.
     */
    public Optional<IndexBuilder.BuildResult> lastBuild() {
        return Optional.ofNullable(lastBuild);
    }

    public void start() {
        migrate(config);
        ingestor.start("embedder-ingest");
        // Both tasks log their own failures (the index-loop readiness check notices a loop that
        // stopped); close() ends them by shutting the executors down, so their futures go unused.
        // The relay runs on start-up (what an earlier process switched but could not announce),
        // then every second.
        ScheduledFuture<?> unusedRelay =
                outbox.scheduleWithFixedDelay(relay::publishQuietly, 0, 1, TimeUnit.SECONDS);
        ScheduledFuture<?> unusedLoop =
                loop.scheduleWithFixedDelay(
                        this::stepQuietly,
                        0,
                        config.checkInterval().toMillis(),
                        TimeUnit.MILLISECONDS);
        LOG.info("embedder started for model {}", config.modelName());
    }

    private void stepQuietly() {
        stepping = true;
        try {
            step();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("index loop interrupted: {}", e.getMessage());
        } catch (Exception e) {
            metrics.build("failed");
            LOG.error("index step failed; retrying", e);
        } finally {
            stepping = false;
            lastStepEnded = System.nanoTime();
        }
    }

    /** One pass of the index loop. */
    void step() throws Exception {
        Optional<IndexRequest> request;
        Optional<IndexInfo> active;
        List<IndexInfo> known;
        try (Connection c = config.connections().database().connect()) {
            request = indexes.requested(c, config.modelName());
            active = indexes.active(c, config.modelName());
            known = indexes.indexes(c, config.modelName());
            if (request.isEmpty() && active.isEmpty() && config.bootstrapBaseIndex()) {
                indexes.request(c, baseRequest());
                return;
            }
        }
        active.ifPresent(a -> metrics.active(a.modelVersion(), a.itemCount()));
        if (request.isEmpty()
                || active.map(a -> a.modelVersion().equals(request.get().modelVersion()))
                        .orElse(false)) {
            retainNewest(); // old tables become droppable as the grace period passes and readers
            // move on
            return;
        }
        IndexRequest wanted = request.get();
        Optional<IndexInfo> kept =
                known.stream()
                        .filter(i -> i.modelVersion().equals(wanted.modelVersion()) && i.ready())
                        .findFirst();
        long started = System.nanoTime();
        if (kept.isPresent()) {
            try (Connection c = config.connections().database().connect()) {
                if (!indexes.activateIfRequested(
                        c,
                        kept.get(),
                        kept.get().itemCount(),
                        false,
                        (System.nanoTime() - started) / 1_000_000)) {
                    LOG.info(
                            "{} {} is no longer requested; not switching",
                            config.modelName(),
                            wanted.modelVersion());
                    return;
                }
            }
            metrics.build("switched_kept");
            metrics.active(wanted.modelVersion(), kept.get().itemCount());
            LOG.info(
                    "switched {} to the kept index of {} without re-encoding",
                    config.modelName(),
                    wanted.modelVersion());
        } else {
            try (ModelCache.Lease model =
                    models.acquire(wanted.modelVersion(), wanted.artifactUri(), wanted.sha256())) {
                lastBuild = builder.build(wanted, model.encoder());
                metrics.build("activated");
                metrics.active(wanted.modelVersion(), lastBuild.items());
            } catch (IndexBuilder.SupersededException e) {
                metrics.build("superseded");
                LOG.info("{}; the next step serves the new request", e.getMessage());
                return;
            }
        }
        // The switch wrote its IndexActivated event to the outbox; sent from the relay's thread, so
        // a broker that is down delays
        // the event, not this loop.
        outbox.execute(relay::publishQuietly);
        retainNewest();
    }

    private IndexRequest baseRequest() throws Exception {
        Path dir = BaseModel.resolve(config.baseModel());
        return new IndexRequest(
                config.modelName(), "base", dir.toUri().toString(), ModelChecksum.sha256(dir));
    }

    /**
     * Drops the oldest indexes beyond KEEP_INDEXES — never the active one, never one being built,
     * none within INDEX_DROP_GRACE of the last switch (requests that started on the old pair may
     * still run), and none a search-api instance reported reading in the last READER_TIMEOUT (it
     * reports every few seconds; one silent for longer is gone or cannot reach the database).
     */
    private void retainNewest() throws Exception {
        try (Connection c = config.connections().database().connect()) {
            Optional<IndexInfo> active = indexes.active(c, config.modelName());
            String activeTable = active.map(IndexInfo::tableName).orElse("");
            Instant graceStart = Instant.now().minus(config.indexDropGrace());
            boolean inGrace =
                    active.map(a -> a.startedAt().isAfter(graceStart))
                            .orElse(false); // startedAt of the pointer = activated_at
            Set<String> read =
                    indexes.tablesReadSince(
                            c, config.modelName(), Instant.now().minus(READER_TIMEOUT));
            List<IndexInfo> ready =
                    new ArrayList<>(
                            indexes.indexes(c, config.modelName()).stream()
                                    .filter(IndexInfo::ready)
                                    .toList());
            ready.sort((a, b) -> b.startedAt().compareTo(a.startedAt()));
            Set<String> live = new HashSet<>();
            for (int i = 0; i < ready.size(); i++) {
                IndexInfo index = ready.get(i);
                if (i < config.keepIndexes()
                        || index.tableName().equals(activeTable)
                        || inGrace
                        || read.contains(index.tableName())) {
                    live.add(index.modelVersion());
                } else {
                    indexes.drop(c, index);
                    LOG.info("dropped old index {} ({})", index.tableName(), index.modelVersion());
                }
            }
            active.ifPresent(a -> live.add(a.modelVersion()));
            models.retain(live);
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ingestor.close();
        outbox.shutdownNow();
        try {
            outbox.awaitTermination(40, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close();
        models.close();
        ops.close();
        LOG.info("embedder stopped");
    }
}
