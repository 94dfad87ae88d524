package io.searchloop.search;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.config.Env;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Everything the search API reads from its environment; defaults suit the embedded run. {@link #toString()} hides the admin token. */
public record SearchConfig(
        int port,
        String bootstrapServers,
        String schemaRegistryUrl,
        String topicPrefix,
        DatabaseUrl database,
        String modelName,
        String adminToken,
        int efSearch,
        int rrfK,
        int candidates,
        int eventBuffer,
        int queryBatch,
        Duration poolTimeout,
        Duration refreshInterval,
        EncoderOptions encoder) {

    public static SearchConfig fromEnv(Map<String, String> env) {
        Env e = new Env(env);
        SearchConfig config = new SearchConfig(
                (int) e.number("HTTP_PORT", 8080, 0, 65535),
                e.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                e.string("SCHEMA_REGISTRY_URL", "mock://searchloop"),
                e.string("TOPIC_PREFIX", ""),
                DatabaseUrl.parse(e.string("DATABASE_URL", "jdbc:postgresql://localhost:5432/searchloop")),
                e.string("MODEL_NAME", "catalog-encoder"),
                e.secret("ADMIN_TOKEN"),
                e.positiveInt("HNSW_EF_SEARCH", 100),
                e.positiveInt("RRF_K", 60),
                e.positiveInt("HYBRID_CANDIDATES", 50),
                e.positiveInt("EVENT_BUFFER", 10_000),
                e.positiveInt("QUERY_BATCH_MAX", 16),
                e.duration("DB_POOL_TIMEOUT", Duration.ofSeconds(2)),
                e.duration("ACTIVE_INDEX_REFRESH", Duration.ofSeconds(30)),
                EncoderOptions.defaults().withDevice(e.choice("ENCODER_DEVICE", EncoderOptions.DeviceChoice.class, EncoderOptions.DeviceChoice.AUTO)).withThreads((int) e.number("ENCODER_THREADS", 0, 0, 256)));
        e.check("search-api");
        return config;
    }

    @Override
    public String toString() {
        return "SearchConfig[port=" + port + ", kafka=" + bootstrapServers + ", registry=" + schemaRegistryUrl + ", database=" + database
                + ", model=" + modelName + ", admin=" + (adminToken == null ? "disabled" : "****") + ", efSearch=" + efSearch + ", rrfK=" + rrfK
                + ", queryBatch=" + queryBatch + "]";
    }
}
