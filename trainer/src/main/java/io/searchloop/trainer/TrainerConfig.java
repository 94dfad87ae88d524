package io.searchloop.trainer;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.train.TrainingLoss;
import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.config.Env;
import io.searchloop.schemas.registry.RegistryConfig;
import io.searchloop.trainer.dataset.HoldoutSplit;
import io.searchloop.trainer.finetune.TrainingOptions;
import io.searchloop.trainer.gate.PromotionGate;
import io.searchloop.trainer.trigger.RetrainTrigger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Everything the trainer service reads from its environment; defaults suit the embedded run. */
public record TrainerConfig(
        String bootstrapServers,
        String schemaRegistryUrl,
        String topicPrefix,
        String groupId,
        DatabaseUrl database,
        Path modelStore,
        String modelName,
        List<String> productAttributes,
        RetrainTrigger trigger,
        Duration checkInterval,
        TrainingRound.Settings round,
        String baseModel,
        String httpHost,
        int httpPort) {

    public static TrainerConfig fromEnv(Map<String, String> env) {
        Env e = new Env(env);
        TrainingLoss.Kind loss =
                e.choice("TRAIN_LOSS", TrainingLoss.Kind.class, TrainingLoss.Kind.MNRL);
        PromotionGate gate = PromotionGate.defaults();
        TrainerConfig config =
                new TrainerConfig(
                        e.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                        e.required("SCHEMA_REGISTRY_URL", RegistryConfig.URL_HINT),
                        e.string("TOPIC_PREFIX", ""),
                        e.string("TRAINER_GROUP_ID", "searchloop-trainer"),
                        DatabaseUrl.parse(
                                e.string(
                                        "DATABASE_URL",
                                        "jdbc:postgresql://localhost:5432/searchloop")),
                        Path.of(
                                e.string(
                                        "MODEL_STORE_DIR",
                                        Path.of(
                                                        System.getProperty("user.home"),
                                                        ".cache",
                                                        "searchloop",
                                                        "model-store")
                                                .toString())),
                        e.string("MODEL_NAME", "catalog-encoder"),
                        e.list("PRODUCT_ATTRIBUTES", List.of()),
                        new RetrainTrigger(
                                e.positiveInt("RETRAIN_MIN_NEW_PAIRS", 2000),
                                e.duration("RETRAIN_MIN_INTERVAL", Duration.ofMinutes(10))),
                        e.duration("TRAINER_CHECK_INTERVAL", Duration.ofSeconds(5)),
                        new TrainingRound.Settings(
                                new HoldoutSplit(e.number("HOLDOUT_FRACTION", 0.1, 0, 0.9)),
                                e.number("POSITIVE_THRESHOLD", 0.5, 0, 1),
                                (int) e.number("NEGATIVES_PER_EXAMPLE", 2, 0, 32),
                                e.number("MINING_RATIO", 0.95, 0.01, 1),
                                (int) e.number("MINING_SKIP_TOP_RANKS", 0, 0, 1000),
                                new TrainingOptions(
                                        loss,
                                        e.positiveInt("TRAIN_EPOCHS", 3),
                                        (float) e.number("TRAIN_LEARNING_RATE", 2e-5, 1e-8, 1),
                                        e.number("TRAIN_WARMUP_FRACTION", 0.1, 0, 1),
                                        e.positiveInt("TRAIN_BATCH_SIZE", 32),
                                        (int) e.number("TRAIN_MAX_STEPS", 0, 0, 1e9),
                                        (long) e.number("TRAIN_SEED", 42, 0, Long.MAX_VALUE),
                                        e.positiveInt("TRAIN_GRADIENT_ACCUMULATION", 1)),
                                new PromotionGate(
                                        e.number(
                                                "PROMOTE_CONFIDENCE",
                                                gate.confidence(),
                                                0.5,
                                                0.999),
                                        e.number(
                                                "PROMOTE_MIN_NDCG_GAIN",
                                                gate.minJudgedNdcgGain(),
                                                -1,
                                                1),
                                        e.number(
                                                "PROMOTE_MAX_CATALOG_NDCG_DROP",
                                                gate.maxCatalogNdcgDrop(),
                                                0,
                                                1),
                                        e.number(
                                                "PROMOTE_MAX_CATALOG_RECALL_DROP",
                                                gate.maxCatalogRecallDrop(),
                                                0,
                                                1),
                                        e.number(
                                                "FORGETTING_MAX_ROUND_DROP",
                                                gate.maxRoundSpearmanDrop(),
                                                0,
                                                2),
                                        e.number(
                                                "FORGETTING_MAX_TOTAL_DROP",
                                                gate.maxTotalSpearmanDrop(),
                                                0,
                                                2),
                                        e.positiveInt(
                                                "PROMOTE_BOOTSTRAP_SAMPLES",
                                                gate.bootstrapSamples()),
                                        (long)
                                                e.number(
                                                        "PROMOTE_BOOTSTRAP_SEED",
                                                        (double) gate.seed(),
                                                        0,
                                                        Long.MAX_VALUE)),
                                EncoderOptions.defaults()
                                        .withDevice(
                                                e.choice(
                                                        "ENCODER_DEVICE",
                                                        EncoderOptions.DeviceChoice.class,
                                                        EncoderOptions.DeviceChoice.AUTO))
                                        .withThreads((int) e.number("ENCODER_THREADS", 0, 0, 256))),
                        e.string("BASE_MODEL", "base"),
                        e.string("HTTP_HOST", "0.0.0.0"),
                        (int) e.number("TRAINER_HTTP_PORT", 8082, 0, 65535));
        e.check("trainer");
        return config;
    }
}
