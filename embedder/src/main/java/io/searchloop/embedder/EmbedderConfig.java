package io.searchloop.embedder;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.config.Env;
import io.searchloop.schemas.registry.RegistryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the embedder reads from its environment; defaults suit the embedded run. An old index
 * table is dropped only when it is beyond {@code keepIndexes}, the active index switched more than
 * {@code indexDropGrace} ago, and no search-api instance reported reading it lately.
 */
public record EmbedderConfig(
        String bootstrapServers,
        String schemaRegistryUrl,
        String topicPrefix,
        String groupId,
        DatabaseUrl database,
        String modelName,
        String baseModel,
        boolean bootstrapBaseIndex,
        List<String> productAttributes,
        int hnswM,
        int hnswEfConstruction,
        int keepIndexes,
        Duration indexDropGrace,
        int batchSize,
        Duration checkInterval,
        EncoderOptions encoder,
        String httpHost,
        int httpPort) {

    public static EmbedderConfig fromEnv(Map<String, String> env) {
        Env e = new Env(env);
        EmbedderConfig config =
                new EmbedderConfig(
                        e.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                        e.required("SCHEMA_REGISTRY_URL", RegistryConfig.URL_HINT),
                        e.string("TOPIC_PREFIX", ""),
                        e.string("EMBEDDER_GROUP_ID", "searchloop-embedder"),
                        DatabaseUrl.parse(
                                e.string(
                                        "DATABASE_URL",
                                        "jdbc:postgresql://localhost:5432/searchloop")),
                        e.string("MODEL_NAME", "catalog-encoder"),
                        e.string("BASE_MODEL", "base"),
                        e.bool("BOOTSTRAP_BASE_INDEX", true),
                        e.list("PRODUCT_ATTRIBUTES", List.of()),
                        e.positiveInt("HNSW_M", 16),
                        e.positiveInt("HNSW_EF_CONSTRUCTION", 64),
                        e.positiveInt("KEEP_INDEXES", 3),
                        e.duration("INDEX_DROP_GRACE", Duration.ofMinutes(10)),
                        e.positiveInt("EMBED_BATCH_SIZE", 256),
                        e.duration("EMBEDDER_CHECK_INTERVAL", Duration.ofSeconds(2)),
                        EncoderOptions.defaults()
                                .withDevice(
                                        e.choice(
                                                "ENCODER_DEVICE",
                                                EncoderOptions.DeviceChoice.class,
                                                EncoderOptions.DeviceChoice.AUTO))
                                .withThreads((int) e.number("ENCODER_THREADS", 0, 0, 256)),
                        e.string("HTTP_HOST", "0.0.0.0"),
                        (int) e.number("EMBEDDER_HTTP_PORT", 8083, 0, 65535));
        e.check("embedder");
        return config;
    }
}
