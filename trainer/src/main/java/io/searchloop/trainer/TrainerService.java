package io.searchloop.trainer;

import io.searchloop.encoder.BaseModel;
import io.searchloop.encoder.CatalogVectors;
import io.searchloop.encoder.TextEncoder;
import io.searchloop.encoder.weights.ModelChecksum;
import io.searchloop.events.ModelStatus;
import io.searchloop.observe.Dependencies;
import io.searchloop.observe.IngestLoopMetrics;
import io.searchloop.observe.ServiceOps;
import io.searchloop.schemas.contracts.ActiveIndexView;
import io.searchloop.schemas.failure.Fatal;
import io.searchloop.schemas.outbox.OutboxRelay;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.IngestLoop;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.trainer.artifacts.ArtifactStore;
import io.searchloop.trainer.artifacts.ModelFiles;
import io.searchloop.trainer.eval.ForgettingGuard;
import io.searchloop.trainer.ingest.TrainerIngestor;
import io.searchloop.trainer.store.PairCounts;
import io.searchloop.trainer.store.TrainerLock;
import io.searchloop.trainer.store.TrainerState;
import io.searchloop.trainer.store.TrainerStore;
import io.searchloop.trainer.store.VersionRow;
import io.searchloop.trainer.trigger.RetrainTrigger;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer service: ingests pairs, catalog and retrain requests into its tables; every check
 * interval it asks the trigger whether to train, and if so runs one round (one at a time in the
 * JVM, and across instances by a PostgreSQL advisory lock), stores the candidate artifact, emits
 * CANDIDATE then PROMOTED or REJECTED, and records the round. The version number is reserved before
 * the artifact is written, and the round (version, verdict, pair usage, trigger state, outbox
 * events) is committed in one transaction; the {@link OutboxRelay} publishes the events, on
 * start-up too. A process killed mid-round leaves no event; an artifact it wrote but never recorded
 * is removed on the next start, and its version number is not reused; the trigger state is only
 * advanced when a round completes, so the restarted trainer trains again.
 */
public final class TrainerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);

    private final TrainerConfig config;
    private final TrainerStore store;
    private final ArtifactStore artifacts;
    private final Topics topics;
    private final ModelEvents events;
    private final OutboxRelay<VersionRow> relay;
    private final IngestLoop ingestor;
    private final Promotions promotions;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "trainer-rounds"));
    private final ScheduledExecutorService outbox =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "trainer-outbox"));
    private static final java.time.Duration FAILURE_BACKOFF = java.time.Duration.ofMinutes(1);
    private ForgettingGuard guard;
    private String guardBase;
    private final Fatal fatal;
    private final ServiceOps ops = new ServiceOps("trainer");
    private final TrainerMetrics metrics = new TrainerMetrics(ops.metrics().registry());

    public TrainerService(TrainerConfig config) {
        this(config, Fatal.EXIT_PROCESS);
    }

    /**
     * With {@code fatal} deciding what happens when the ingestion loop or the round schedule cannot
     * continue (tests observe it).
     */
    public TrainerService(TrainerConfig config, Fatal fatal) {
        this.config = config;
        this.fatal = fatal;
        this.store = new TrainerStore(config.connections().database());
        this.artifacts = new ArtifactStore(config.modelStore());
        this.topics =
                Topics.autoRegistering(
                        SchemaRegistries.connect(config.connections().schemaRegistryUrl()),
                        config.connections().topicPrefix());
        this.events =
                new ModelEvents(config.connections().bootstrapServers(), topics.modelVersions());
        this.relay = new OutboxRelay<>("model-version events", store.outbox(), events::publish);
        this.promotions = new Promotions(store.versions(), relay, config.modelName());
        TrainerIngestor handler =
                new TrainerIngestor(
                        topics,
                        store,
                        config.modelName(),
                        config.productAttributes(),
                        promotions::rollback);
        this.ingestor =
                new IngestLoop(
                        "trainer ingestion",
                        config.connections().bootstrapServers(),
                        config.groupId(),
                        handler.topics(),
                        2000,
                        handler,
                        IngestLoop.Timing.DEFAULT,
                        fatal);
        ops.metrics().bind(new IngestLoopMetrics(ingestor, "trainer-ingest"));
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
        ops.readiness()
                .add("database", Dependencies.database(store::connect, ServiceOps.CHECK_TIMEOUT));
        ops.requireKafka(config.connections().bootstrapServers());
    }

    public void start() throws IOException, SQLException {
        store.migrate();
        artifacts.cleanLeftovers();
        removeUnrecordedArtifacts();
        relay.publishQuietly(); // what an earlier process recorded but could not announce
        // Both tasks log their own failures; close() ends them by shutting the executors down,
        // so their futures go unused.
        ScheduledFuture<?> unusedRelay =
                outbox.scheduleWithFixedDelay(this::relayAndCount, 1, 1, TimeUnit.SECONDS);
        ingestor.start("trainer-ingest");
        ScheduledFuture<?> unusedChecks =
                scheduler.scheduleWithFixedDelay(
                        new RoundSchedule(
                                this::checkAndTrain, FAILURE_BACKOFF, fatal, Clock.systemUTC()),
                        0,
                        config.checkInterval().toMillis(),
                        TimeUnit.MILLISECONDS);
        LOG.info(
                "trainer started for model {} (trigger: {} new pairs, min interval {})",
                config.modelName(),
                config.trigger().minNewPairs(),
                config.trigger().minInterval());
    }

    /**
     * Artifacts of rounds that died before their database commit; only while no round of this model
     * runs anywhere.
     */
    private void removeUnrecordedArtifacts() throws IOException, SQLException {
        try (Connection lock = store.connect()) {
            if (TrainerLock.tryLock(lock, config.modelName())) {
                Set<String> recorded =
                        store.versions().all(config.modelName()).stream()
                                .map(VersionRow::version)
                                .collect(Collectors.toSet());
                artifacts.removeUnrecorded(config.modelName(), recorded);
            }
        }
    }

    private void relayAndCount() {
        relay.publishQuietly();
        try {
            metrics.outboxUnsent(store.outbox().unsentCount());
            metrics.productionVersion(
                    store.versions()
                            .production(config.modelName())
                            .map(VersionRow::versionNumber)
                            .orElse(0));
        } catch (SQLException | RuntimeException e) {
            LOG.debug("cannot read the outbox and production for metrics: {}", e.getMessage());
        }
    }

    /**
     * Metrics, readiness (ingestion running, PostgreSQL and Kafka reachable) and, once {@link
     * #serve}d, their HTTP endpoints.
     */
    public ServiceOps ops() {
        return ops;
    }

    /**
     * Serves /metrics, /health/live and /health/ready on {@code host}:{@code port} (0 = any free
     * port); returns the port.
     */
    public int serve(String host, int port) throws IOException {
        return ops.serve(host, port);
    }

    /** Whether the ingestion loop runs: for readiness. */
    public boolean isIngesting() {
        return ingestor.isAlive();
    }

    public TrainerStore store() {
        return store;
    }

    public Promotions promotions() {
        return promotions;
    }

    /** Evaluates the trigger once and runs a round if it fires; returns whether a round ran. */
    public boolean checkAndTrain() throws Exception {
        TrainerState state = store.triggerState().state(config.modelName());
        PairCounts counts = store.pairs().counts(state.trainedThroughSeq());
        metrics.newPairs(counts.changed());
        RetrainTrigger.Verdict verdict =
                config.trigger()
                        .evaluate(
                                counts.changed(),
                                counts.total(),
                                state.lastTrainedAt(),
                                Instant.now(),
                                state.retrainRequestedAt() != null);
        if (!verdict.fire()) {
            LOG.debug("not training: {}", verdict.reason());
            return false;
        }
        try (Connection lock = store.connect()) {
            if (!TrainerLock.tryLock(lock, config.modelName())) {
                LOG.info("another trainer instance is training {}", config.modelName());
                return false;
            }
            try {
                runRound(counts.highestSeq(), verdict.reason());
            } catch (Exception e) {
                if (!(e
                        instanceof
                        java.util.concurrent
                                .CancellationException)) { // a shutdown stopping the round is no
                    // failure
                    metrics.roundFailed();
                }
                throw e;
            } finally {
                metrics.phases().end();
            }
            return true;
        }
    }

    private void runRound(long throughSeq, String why) throws Exception {
        Instant started = Instant.now();
        LOG.info("training round for {}: {}", config.modelName(), why);
        Optional<VersionRow> production = store.versions().production(config.modelName());
        Path productionDir =
                production.isPresent()
                        ? Promotions.verifiedDirectory(production.get())
                        : baseDirectory();
        // The lineage's base: what its first version started from, even if BASE_MODEL has changed
        // since.
        String lineageBase = production.map(VersionRow::baseModel).orElse(baseModelName());
        TrainingRound round = new TrainingRound(config.round(), guard(lineageBase));
        metrics.phases().begin("load_data", 0);
        TrainingRound.Outcome outcome =
                round.run(
                        store.pairs().all(),
                        store.catalog().texts(),
                        productionDir,
                        productionVectors(productionDir, production),
                        metrics::step,
                        metrics.phases());
        try (outcome) {
            int number = store.versions().reserveNumber(config.modelName());
            String version = "v" + number;
            Map<String, Double> figures = outcome.metrics();
            Map<String, Object> trainingConfig = new LinkedHashMap<>();
            trainingConfig.put("trigger", why);
            trainingConfig.put("parent", production.map(VersionRow::version).orElse(null));
            trainingConfig.put("training", config.round().training());
            trainingConfig.put("holdoutFraction", config.round().split().holdoutFraction());
            trainingConfig.put("evaluationEngine", outcome.evaluationEngine());
            metrics.phases().begin("write_artifact", 0);
            ArtifactStore.Artifact artifact =
                    artifacts.store(
                            config.modelName(),
                            version,
                            dir -> {
                                ModelFiles.write(
                                        dir, outcome.candidate().dir(), figures, trainingConfig);
                                if (outcome.decision().promote()) {
                                    // The embedder indexes these instead of encoding the catalog.
                                    outcome.candidateVectors().write(dir);
                                }
                            });
            Instant now = Instant.now();
            VersionRow row =
                    new VersionRow(
                            config.modelName(),
                            version,
                            number,
                            production.map(VersionRow::version).orElse(null),
                            lineageBase,
                            artifact.uri(),
                            artifact.sha256(),
                            ModelStatus.CANDIDATE,
                            why,
                            figures,
                            outcome.dataset().train().size(),
                            now,
                            now);
            ModelStatus verdict =
                    outcome.decision().promote() ? ModelStatus.PROMOTED : ModelStatus.REJECTED;
            // Candidate, verdict, pair usage and trigger state in one transaction with their events
            // in the outbox.
            store.recordRound(
                    row,
                    verdict,
                    outcome.decision().reason(),
                    Instant.now(),
                    outcome.dataset().trainPairKeys(),
                    outcome.dataset().holdoutPairKeys(),
                    throughSeq,
                    started);
            relay.publishQuietly();
            metrics.roundEnded(verdict);
            LOG.info(
                    "{} {} {}: {}",
                    config.modelName(),
                    version,
                    verdict,
                    outcome.decision().reason());
        }
    }

    /**
     * Production's catalog embeddings as the active index holds them, when the embedder serves
     * exactly the production artifact (same checksum), so the round does not encode the catalog
     * with production again; otherwise none, and it does. A failure to read them costs time, not
     * the round.
     */
    private CatalogVectors productionVectors(Path productionDir, Optional<VersionRow> production) {
        try (Connection c = config.connections().database().connect()) {
            Optional<ActiveIndexView.ActiveIndex> active =
                    ActiveIndexView.read(c, config.modelName());
            String sha =
                    production.isPresent()
                            ? production.get().sha256()
                            : ModelChecksum.sha256(productionDir);
            if (active.isEmpty() || !active.get().sha256().equals(sha)) {
                LOG.info("the active index is not production's: the catalog is encoded");
                return CatalogVectors.none();
            }
            CatalogVectors vectors = new CatalogVectors(active.get().dimension());
            ActiveIndexView.forEachVector(
                    c,
                    active.get().table(),
                    row -> vectors.put(row.productId(), row.textHash(), row.vector()));
            LOG.info(
                    "production's embeddings of {} items read from index {}",
                    vectors.size(),
                    active.get().table());
            return vectors;
        } catch (SQLException | IOException | RuntimeException e) {
            LOG.warn(
                    "cannot read production's embeddings from the active index, encoding the catalog instead: {}",
                    e.toString());
            return CatalogVectors.none();
        }
    }

    private Path baseDirectory() throws IOException {
        return BaseModel.resolve(config.baseModel());
    }

    private String baseModelName() {
        return "base".equals(config.baseModel()) ? BaseModel.NAME : config.baseModel();
    }

    /**
     * The forgetting guard of the lineage that started from {@code baseModel} (a model directory,
     * or the bundled model's name).
     */
    private synchronized ForgettingGuard guard(String baseModel) throws IOException {
        if (guard == null || !baseModel.equals(guardBase)) {
            Path dir =
                    BaseModel.NAME.equals(baseModel) ? BaseModel.directory() : Path.of(baseModel);
            try (TextEncoder base =
                    config.round().catalogEngine().open(dir, config.round().encoder())) {
                guard = new ForgettingGuard(base);
                guardBase = baseModel;
            }
        }
        return guard;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outbox.shutdownNow();
        try {
            outbox.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ingestor.close();
        events.close();
        ops.close();
        LOG.info("trainer stopped");
    }
}
