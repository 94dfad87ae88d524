package io.searchloop.trainer;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.InferenceEngine;
import io.searchloop.encoder.train.TrainingLoss;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.config.Env;
import io.searchloop.trainer.dataset.HoldoutSplit;
import io.searchloop.trainer.finetune.TrainingOptions;
import io.searchloop.trainer.gate.PromotionGate;
import io.searchloop.trainer.trigger.RetrainTrigger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything the trainer service reads from its environment. {@link #defaults} suit the embedded
 * run; code that starts a trainer itself (the demo, benchmarks, tests) changes them with the {@code
 * with…} methods, and {@link #fromEnv} reads each setting with the default as fallback.
 */
public record TrainerConfig(
        Connections connections,
        String groupId,
        Path modelStore,
        String modelName,
        List<String> productAttributes,
        RetrainTrigger trigger,
        Duration checkInterval,
        TrainingRound.Settings round,
        String baseModel,
        String httpHost,
        int httpPort) {

    public static TrainerConfig defaults(Connections connections) {
        return new TrainerConfig(
                connections,
                "searchloop-trainer",
                Path.of(System.getProperty("user.home"), ".cache", "searchloop", "model-store"),
                "catalog-encoder",
                List.of(),
                new RetrainTrigger(2000, Duration.ofMinutes(10)),
                Duration.ofSeconds(5),
                TrainingRound.Settings.defaults(),
                "base",
                "0.0.0.0",
                8082);
    }

    public static TrainerConfig fromEnv(Map<String, String> env) {
        Env e = new Env(env);
        TrainerConfig config = read(e);
        e.check("trainer");
        return config;
    }

    /** Every variable {@link #fromEnv} reads. */
    public static Set<String> keys() {
        Env e = new Env(Map.of());
        read(e);
        return e.keysRead();
    }

    private static TrainerConfig read(Env e) {
        TrainerConfig d = defaults(Connections.fromEnv(e));
        TrainingRound.Settings r = d.round();
        TrainingOptions t = r.training();
        PromotionGate g = r.gate();
        return new TrainerConfig(
                d.connections(),
                e.string("TRAINER_GROUP_ID", d.groupId()),
                Path.of(e.string("MODEL_STORE_DIR", d.modelStore().toString())),
                e.string("MODEL_NAME", d.modelName()),
                e.list("PRODUCT_ATTRIBUTES", d.productAttributes()),
                new RetrainTrigger(
                        e.positiveInt("RETRAIN_MIN_NEW_PAIRS", (int) d.trigger().minNewPairs()),
                        e.duration("RETRAIN_MIN_INTERVAL", d.trigger().minInterval())),
                e.period("TRAINER_CHECK_INTERVAL", d.checkInterval()),
                new TrainingRound.Settings(
                        new HoldoutSplit(
                                e.number("HOLDOUT_FRACTION", r.split().holdoutFraction(), 0, 0.9)),
                        e.number("POSITIVE_THRESHOLD", r.positiveThreshold(), 0, 1),
                        e.integer("NEGATIVES_PER_EXAMPLE", r.negativesPerExample(), 0, 32),
                        e.number("MINING_RATIO", r.miningRatio(), 0.01, 1),
                        e.integer("MINING_SKIP_TOP_RANKS", r.miningSkipTopRanks(), 0, 1000),
                        new TrainingOptions(
                                e.choice("TRAIN_LOSS", TrainingLoss.Kind.class, t.loss()),
                                e.positiveInt("TRAIN_EPOCHS", t.epochs()),
                                (float) e.number("TRAIN_LEARNING_RATE", t.learningRate(), 1e-8, 1),
                                e.number("TRAIN_WARMUP_FRACTION", t.warmupFraction(), 0, 1),
                                e.positiveInt("TRAIN_BATCH_SIZE", t.batchSize()),
                                e.integer("TRAIN_MAX_STEPS", t.maxSteps(), 0, 1_000_000_000),
                                e.longInteger("TRAIN_SEED", t.seed(), 0, Long.MAX_VALUE),
                                e.positiveInt(
                                        "TRAIN_GRADIENT_ACCUMULATION", t.gradientAccumulation())),
                        new PromotionGate(
                                e.number("PROMOTE_CONFIDENCE", g.confidence(), 0.5, 0.999),
                                e.number("PROMOTE_MIN_NDCG_GAIN", g.minJudgedNdcgGain(), -1, 1),
                                e.number(
                                        "PROMOTE_MAX_CATALOG_NDCG_DROP",
                                        g.maxCatalogNdcgDrop(),
                                        0,
                                        1),
                                e.number(
                                        "PROMOTE_MAX_CATALOG_RECALL_DROP",
                                        g.maxCatalogRecallDrop(),
                                        0,
                                        1),
                                e.number(
                                        "FORGETTING_MAX_ROUND_DROP",
                                        g.maxRoundSpearmanDrop(),
                                        0,
                                        2),
                                e.number(
                                        "FORGETTING_MAX_TOTAL_DROP",
                                        g.maxTotalSpearmanDrop(),
                                        0,
                                        2),
                                e.positiveInt("PROMOTE_BOOTSTRAP_SAMPLES", g.bootstrapSamples()),
                                e.longInteger(
                                        "PROMOTE_BOOTSTRAP_SEED", g.seed(), 0, Long.MAX_VALUE)),
                        EncoderOptions.fromEnv(e),
                        e.choice("CATALOG_ENGINE", InferenceEngine.class, r.catalogEngine())),
                e.string("BASE_MODEL", d.baseModel()),
                e.string("HTTP_HOST", d.httpHost()),
                e.port("TRAINER_HTTP_PORT", d.httpPort()));
    }

    public TrainerConfig withGroupId(String id) {
        return copy(c -> c.groupId = id);
    }

    public TrainerConfig withModelStore(Path directory) {
        return copy(c -> c.modelStore = directory);
    }

    public TrainerConfig withModelName(String name) {
        return copy(c -> c.modelName = name);
    }

    /** Retrain after {@code minNewPairs} new pairs, at most once per {@code minInterval}. */
    public TrainerConfig withTrigger(long minNewPairs, Duration minInterval) {
        return copy(c -> c.trigger = new RetrainTrigger(minNewPairs, minInterval));
    }

    public TrainerConfig withCheckInterval(Duration interval) {
        return copy(c -> c.checkInterval = interval);
    }

    public TrainerConfig withRound(TrainingRound.Settings settings) {
        return copy(c -> c.round = settings);
    }

    public TrainerConfig withBaseModel(String nameOrDirectory) {
        return copy(c -> c.baseModel = nameOrDirectory);
    }

    public TrainerConfig withHttpPort(int port) {
        return copy(c -> c.httpPort = port);
    }

    /** A copy of this record with the components {@code change} sets. */
    private TrainerConfig copy(Consumer<Components> change) {
        Components c = new Components(this);
        change.accept(c);
        return new TrainerConfig(
                c.connections,
                c.groupId,
                c.modelStore,
                c.modelName,
                c.productAttributes,
                c.trigger,
                c.checkInterval,
                c.round,
                c.baseModel,
                c.httpHost,
                c.httpPort);
    }

    /** The components of a record being copied, to be changed one by one. */
    private static final class Components {
        private Connections connections;
        private String groupId;
        private Path modelStore;
        private String modelName;
        private List<String> productAttributes;
        private RetrainTrigger trigger;
        private Duration checkInterval;
        private TrainingRound.Settings round;
        private String baseModel;
        private String httpHost;
        private int httpPort;

        Components(TrainerConfig from) {
            connections = from.connections;
            groupId = from.groupId;
            modelStore = from.modelStore;
            modelName = from.modelName;
            productAttributes = from.productAttributes;
            trigger = from.trigger;
            checkInterval = from.checkInterval;
            round = from.round;
            baseModel = from.baseModel;
            httpHost = from.httpHost;
            httpPort = from.httpPort;
        }
    }
}
