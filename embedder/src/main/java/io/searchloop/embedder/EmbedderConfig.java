package io.searchloop.embedder;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.InferenceEngine;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.config.Env;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything the embedder reads from its environment. {@link #defaults} suit the embedded run; code
 * that starts an embedder itself changes them with the {@code with…} methods, and {@link #fromEnv}
 * reads each setting with the default as fallback. An old index table is dropped only when it is
 * beyond {@code keepIndexes}, the active index switched more than {@code indexDropGrace} ago, and
 * no search-api instance reported reading it lately.
 */
public record EmbedderConfig(
        Connections connections,
        String groupId,
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
        InferenceEngine catalogEngine,
        String httpHost,
        int httpPort) {

    public static EmbedderConfig defaults(Connections connections) {
        return new EmbedderConfig(
                connections,
                "searchloop-embedder",
                "catalog-encoder",
                "base",
                true,
                List.of(),
                16,
                64,
                3,
                Duration.ofMinutes(10),
                256,
                Duration.ofSeconds(2),
                EncoderOptions.defaults(),
                InferenceEngine.AUTO,
                "0.0.0.0",
                8083);
    }

    public static EmbedderConfig fromEnv(Map<String, String> env) {
        Env e = new Env(env);
        EmbedderConfig config = read(e);
        e.check("embedder");
        return config;
    }

    /** Every variable {@link #fromEnv} reads. */
    public static Set<String> keys() {
        Env e = new Env(Map.of());
        read(e);
        return e.keysRead();
    }

    private static EmbedderConfig read(Env e) {
        EmbedderConfig d = defaults(Connections.fromEnv(e));
        return new EmbedderConfig(
                d.connections(),
                e.string("EMBEDDER_GROUP_ID", d.groupId()),
                e.string("MODEL_NAME", d.modelName()),
                e.string("BASE_MODEL", d.baseModel()),
                e.bool("BOOTSTRAP_BASE_INDEX", d.bootstrapBaseIndex()),
                e.list("PRODUCT_ATTRIBUTES", d.productAttributes()),
                e.positiveInt("HNSW_M", d.hnswM()),
                e.positiveInt("HNSW_EF_CONSTRUCTION", d.hnswEfConstruction()),
                e.positiveInt("KEEP_INDEXES", d.keepIndexes()),
                e.duration("INDEX_DROP_GRACE", d.indexDropGrace()),
                e.positiveInt("EMBED_BATCH_SIZE", d.batchSize()),
                e.period("EMBEDDER_CHECK_INTERVAL", d.checkInterval()),
                EncoderOptions.fromEnv(e),
                e.choice("CATALOG_ENGINE", InferenceEngine.class, d.catalogEngine()),
                e.string("HTTP_HOST", d.httpHost()),
                e.port("EMBEDDER_HTTP_PORT", d.httpPort()));
    }

    public EmbedderConfig withConnections(Connections where) {
        return copy(c -> c.connections = where);
    }

    /** Whether a fresh database gets an index of the base model before any model is promoted. */
    public EmbedderConfig withBootstrapBaseIndex(boolean build) {
        return copy(c -> c.bootstrapBaseIndex = build);
    }

    public EmbedderConfig withGroupId(String id) {
        return copy(c -> c.groupId = id);
    }

    public EmbedderConfig withBaseModel(String nameOrDirectory) {
        return copy(c -> c.baseModel = nameOrDirectory);
    }

    /** Keep {@code count} index tables, dropping older ones {@code grace} after a switch. */
    public EmbedderConfig withIndexRetention(int count, Duration grace) {
        return copy(
                c -> {
                    c.keepIndexes = count;
                    c.indexDropGrace = grace;
                });
    }

    public EmbedderConfig withBatchSize(int items) {
        return copy(c -> c.batchSize = items);
    }

    public EmbedderConfig withCheckInterval(Duration interval) {
        return copy(c -> c.checkInterval = interval);
    }

    public EmbedderConfig withEncoder(EncoderOptions options) {
        return copy(c -> c.encoder = options);
    }

    /** Which runtime encodes the catalog ({@link InferenceEngine}). */
    public EmbedderConfig withCatalogEngine(InferenceEngine engine) {
        return copy(c -> c.catalogEngine = engine);
    }

    public EmbedderConfig withHttpPort(int port) {
        return copy(c -> c.httpPort = port);
    }

    /** A copy of this record with the components {@code change} sets. */
    private EmbedderConfig copy(Consumer<Components> change) {
        Components c = new Components(this);
        change.accept(c);
        return new EmbedderConfig(
                c.connections,
                c.groupId,
                c.modelName,
                c.baseModel,
                c.bootstrapBaseIndex,
                c.productAttributes,
                c.hnswM,
                c.hnswEfConstruction,
                c.keepIndexes,
                c.indexDropGrace,
                c.batchSize,
                c.checkInterval,
                c.encoder,
                c.catalogEngine,
                c.httpHost,
                c.httpPort);
    }

    /** The components of a record being copied, to be changed one by one. */
    private static final class Components {
        private Connections connections;
        private String groupId;
        private String modelName;
        private String baseModel;
        private boolean bootstrapBaseIndex;
        private List<String> productAttributes;
        private int hnswM;
        private int hnswEfConstruction;
        private int keepIndexes;
        private Duration indexDropGrace;
        private int batchSize;
        private Duration checkInterval;
        private EncoderOptions encoder;
        private InferenceEngine catalogEngine;
        private String httpHost;
        private int httpPort;

        Components(EmbedderConfig from) {
            connections = from.connections;
            groupId = from.groupId;
            modelName = from.modelName;
            baseModel = from.baseModel;
            bootstrapBaseIndex = from.bootstrapBaseIndex;
            productAttributes = from.productAttributes;
            hnswM = from.hnswM;
            hnswEfConstruction = from.hnswEfConstruction;
            keepIndexes = from.keepIndexes;
            indexDropGrace = from.indexDropGrace;
            batchSize = from.batchSize;
            checkInterval = from.checkInterval;
            encoder = from.encoder;
            catalogEngine = from.catalogEngine;
            httpHost = from.httpHost;
            httpPort = from.httpPort;
        }
    }
}
