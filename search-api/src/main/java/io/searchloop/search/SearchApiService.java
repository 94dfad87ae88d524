package io.searchloop.search;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.searchloop.events.IndexActivated;
import io.searchloop.observe.Dependencies;
import io.searchloop.observe.ServiceOps;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.registry.SchemaRegistry;
import io.searchloop.schemas.serde.AvroSerializer;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.search.events.EventPublisher;
import io.searchloop.search.guard.EngagementLedger;
import io.searchloop.search.guard.ImpressionTokens;
import io.searchloop.search.guard.RateLimiter;
import io.searchloop.search.http.Metrics;
import io.searchloop.search.http.Routes;
import io.searchloop.search.lexical.LexicalEngine;
import io.searchloop.search.lexical.LexicalRetrieval;
import io.searchloop.search.lexical.LuceneLexical;
import io.searchloop.search.lexical.PostgresLexical;
import io.searchloop.search.model.ModelSwitcher;
import io.searchloop.search.query.Searcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search API: a Javalin server over a HikariCP pool, the model switcher (refreshed on every
 * IndexActivated event and periodically, the database pointer being the truth), and the
 * non-blocking event publisher. Main and the tests both start it through {@link #start}.
 */
public final class SearchApiService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SearchApiService.class);

    private final SearchConfig config;
    private static final int POOL_SIZE = 16;
    private final HikariDataSource db;
    private final ModelSwitcher models;
    private final EventPublisher publisher;
    private final Topics topics;
    private final ServiceOps ops = new ServiceOps("search-api");
    private final Metrics metrics = new Metrics(ops.metrics());
    private final ScheduledExecutorService refresher =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "model-refresh"));
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final KafkaConsumer<String, IndexActivated> indexEvents;
    private final Thread indexEventsThread;
    private final SearchApi api;
    private final Searcher searcher;
    private final LuceneLexical lucene;
    private final ScheduledExecutorService lexicalRefresher =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "lexical-index"));
    private Javalin app;

    public SearchApiService(SearchConfig config) {
        this.config = config;
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(config.connections().database().jdbcUrl());
        pool.setUsername(config.connections().database().user());
        pool.setPassword(config.connections().database().password());
        // The same bounded connect, login and socket waits as every other service's connections.
        config.connections()
                .database()
                .connectionProperties()
                .forEach(
                        (k, v) -> {
                            if (!k.equals("user") && !k.equals("password")) {
                                pool.addDataSourceProperty((String) k, v);
                            }
                        });
        pool.setMaximumPoolSize(POOL_SIZE);
        pool.setConnectionTimeout(config.poolTimeout().toMillis());
        pool.setPoolName("search-api");
        // A query that runs longer than this is cancelled by PostgreSQL (answered 503) instead of
        // holding a connection.
        pool.setConnectionInitSql(
                "SET statement_timeout = "
                        + Math.max(1, config.statementTimeout().toMillis())
                        + "; "
                        + Searcher.sessionSettings(config.efSearch()));
        pool.setMetricRegistry(
                ops.metrics()
                        .registry()); // hikaricp_connections_* through Hikari's Micrometer tracker
        this.db = new HikariDataSource(pool);
        this.models =
                new ModelSwitcher(
                        db,
                        config.modelName(),
                        config.encoder(),
                        config.queryEngine(),
                        config.queryBatch());
        SchemaRegistry registry =
                SchemaRegistries.connect(config.connections().schemaRegistryUrl());
        this.topics = Topics.autoRegistering(registry, config.connections().topicPrefix());
        KafkaProducer<String, SpecificRecord> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                config.connections().bootstrapServers(),
                                ProducerConfig.LINGER_MS_CONFIG,
                                20,
                                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                2000,
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                30_000,
                                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                10_000),
                        new StringSerializer(),
                        new AvroSerializer<>(registry, true, false));
        ops.metrics().bindKafka(producer);
        this.publisher = new EventPublisher(producer, config.eventBuffer());
        this.indexEvents =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                config.connections().bootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "search-api-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "latest"),
                        new StringDeserializer(),
                        topics.indexEvents().valueSerde().deserializer());
        ops.metrics().bindKafka(indexEvents);
        this.indexEventsThread = new Thread(this::followIndexEvents, "index-events");
        EngagementLedger ledger = new EngagementLedger(config.guard().engagementLedger());
        registerGauges(ledger);
        ops.readiness()
                .add(
                        "model",
                        () -> {
                            if (models.peek().isEmpty()) {
                                throw new IllegalStateException("no model is loaded yet");
                            }
                            return true;
                        });
        // A connection of its own, not one of the pool's: a pool busy with searches at peak load
        // is not an unreachable database, and must not take the instance out of rotation.
        ops.readiness()
                .add(
                        "database",
                        Dependencies.database(
                                config.connections().database()::connect,
                                ServiceOps.CHECK_TIMEOUT));
        ops.requireKafka(config.connections().bootstrapServers());
        ops.readiness().add("event-sender", publisher::sending);
        ops.readiness()
                .add(
                        "index-events",
                        () -> {
                            if (indexEventsThread.getState() == Thread.State.TERMINATED) {
                                throw new IllegalStateException(
                                        "the index-events consumer has stopped");
                            }
                            return true;
                        });
        this.lucene =
                config.lexical().engine() == LexicalEngine.LUCENE
                        ? new LuceneLexical(config.connections().database()::connect)
                        : null;
        LexicalRetrieval lexical =
                switch (config.lexical().engine()) {
                    case LUCENE -> lucene;
                    case POSTGRES -> new PostgresLexical(db, false, config.lexical().candidates());
                    case POSTGRES_BOUNDED ->
                            new PostgresLexical(db, true, config.lexical().candidates());
                };
        if (lucene != null) {
            ops.readiness()
                    .add(
                            "lexical-index",
                            () -> {
                                if (!lucene.ready()) {
                                    throw new IllegalStateException(
                                            "the lexical index is not loaded yet");
                                }
                                return true;
                            });
            metrics.gauge(
                    "searchloop.lexical.index.items",
                    "Catalog items in the in-process lexical index",
                    lucene::size);
            metrics.gauge(
                    "searchloop.lexical.index.bytes",
                    "Memory the in-process lexical index holds",
                    lucene::ramBytes);
        }
        // A hybrid query holds two connections at once: half the pool may serve lexical retrievals
        // beside vector ones.
        this.searcher =
                new Searcher(db, lexical, config.rrfK(), config.candidates(), POOL_SIZE / 2);
        this.api =
                new SearchApi(
                        config,
                        db,
                        models,
                        searcher,
                        publisher,
                        topics,
                        metrics,
                        new ImpressionTokens(
                                config.guard().impressionKeys(), config.guard().impressionTtl()),
                        ledger,
                        new RateLimiter(
                                config.guard().rateLimitPerSecond(),
                                config.guard().rateLimitBurst(),
                                config.guard().rateLimitClients()),
                        new RateLimiter(
                                config.guard().rateLimitPerSecond(),
                                config.guard().rateLimitBurst(),
                                config.guard().rateLimitClients()),
                        ops.readiness());
    }

    private void registerGauges(EngagementLedger ledger) {
        metrics.counter(
                "searchloop.events.published",
                "Search and interaction events the broker acknowledged",
                publisher,
                EventPublisher::publishedCount);
        metrics.counter(
                "searchloop.events.dropped",
                "Events dropped because the buffer was full or the broker refused them",
                publisher,
                EventPublisher::droppedCount);
        metrics.gauge(
                "searchloop.events.buffered",
                "Events waiting in the bounded buffer for the producer",
                publisher,
                EventPublisher::bufferedCount);
        metrics.gauge(
                "searchloop.impression.ledger.entries",
                "Engagements remembered to refuse duplicates",
                ledger,
                EngagementLedger::size);
        metrics.gauge(
                "searchloop.query.encoder.queue",
                "Queries waiting for the active model's encoder",
                () -> models.peek().map(m -> m.queuedQueries()).orElse(0));
        for (String engine : List.of("onnx", "pytorch")) {
            metrics.gauge(
                    "searchloop.query.engine",
                    "1 for the runtime that encodes the active model's queries, by engine",
                    "engine",
                    engine,
                    () ->
                            models.peek()
                                    .map(m -> engine.equals(m.encoder().engine()) ? 1 : 0)
                                    .orElse(0));
        }
        metrics.gauge(
                "searchloop.active.model.version",
                "Version number of the model and index searches use (0 = base, -1 = none loaded)",
                () -> models.peek().map(m -> versionNumber(m.version())).orElse(-1L));
    }

    static long versionNumber(String version) {
        return version.matches("v\\d{1,9}") ? Long.parseLong(version.substring(1)) : 0;
    }

    public SearchApi api() {
        return api;
    }

    /** Starts the server on {@code port} (0 = any free port); returns the port. */
    public int start(int port) {
        refreshQuietly();
        // The task logs its own failures; close() ends it by shutting the executor down.
        ScheduledFuture<?> unusedRefresh =
                refresher.scheduleWithFixedDelay(
                        this::refreshQuietly,
                        config.refreshInterval().toMillis(),
                        config.refreshInterval().toMillis(),
                        TimeUnit.MILLISECONDS);
        indexEventsThread.start();
        if (lucene != null) {
            // Loaded in the background: readiness says when it is; the task logs its own failures
            // and close() ends it by shutting the executor down.
            ScheduledFuture<?> unusedLexical =
                    lexicalRefresher.scheduleWithFixedDelay(
                            this::refreshLexicalQuietly,
                            0,
                            config.lexical().refresh().toMillis(),
                            TimeUnit.MILLISECONDS);
        }
        app =
                Javalin.create(
                        c -> {
                            c.showJavalinBanner = false;
                            c.http.maxRequestSize = Routes.MAX_BODY_BYTES;
                            c.staticFiles.add(
                                    s -> {
                                        s.hostedPath = "/";
                                        s.directory = "/public";
                                        s.location = Location.CLASSPATH;
                                    });
                        });
        Routes.routes(app, api());
        app.start(config.httpHost(), port);
        LOG.info("search API listening on port {} ({})", app.port(), config);
        return app.port();
    }

    private void refreshQuietly() {
        try {
            models.refresh();
        } catch (Exception e) {
            LOG.warn("cannot load the active model yet: {}", e.getMessage());
        }
    }

    private void refreshLexicalQuietly() {
        try {
            lucene.refresh();
        } catch (Exception e) {
            if (!running.get()) {
                return; // aborted by close()
            }
            LOG.warn(
                    "cannot refresh the lexical index (searches use its last state): {}",
                    e.toString());
        }
    }

    private void followIndexEvents() {
        try {
            indexEvents.subscribe(List.of(topics.indexEvents().name()));
            while (running.get()) {
                if (!indexEvents.poll(Duration.ofMillis(500)).isEmpty()) {
                    refresher.execute(this::refreshQuietly); // load in the background, then swap
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            indexEvents.close();
        }
    }

    @Override
    public void close() {
        running.set(false);
        indexEvents.wakeup();
        if (app != null) {
            app.stop();
        }
        refresher.shutdownNow();
        publisher.close();
        models.close();
        searcher.close();
        // The interrupt ends a refresh that waits to connect; closing the index aborts one that is
        // reading the catalog, which no interrupt ends (a blocked socket read).
        lexicalRefresher.shutdownNow();
        if (lucene != null) {
            try {
                lucene.close();
            } catch (java.io.IOException e) {
                LOG.warn("closing the lexical index: {}", e.toString());
            }
        }
        db.close();
        ops.close();
    }
}
