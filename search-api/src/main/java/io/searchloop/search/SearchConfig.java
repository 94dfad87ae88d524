package io.searchloop.search;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.config.Env;
import io.searchloop.schemas.registry.RegistryConfig;
import io.searchloop.search.guard.ImpressionTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the search API reads from its environment; defaults suit the embedded run. {@link
 * #toString()} hides the admin token.
 */
public record SearchConfig(
        int port,
        String httpHost,
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
        EncoderOptions encoder,
        List<ImpressionTokens.Key> impressionKeys,
        Duration impressionTtl,
        int engagementLedger,
        double rateLimitPerSecond,
        int rateLimitBurst,
        int rateLimitClients,
        String clientHeader,
        Duration statementTimeout,
        int maxQueryTerms) {

    public static SearchConfig fromEnv(Map<String, String> env) {
        Env e = new Env(env);
        SearchConfig config =
                new SearchConfig(
                        (int) e.number("HTTP_PORT", 8080, 0, 65535),
                        e.string("HTTP_HOST", "0.0.0.0"),
                        e.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                        e.required("SCHEMA_REGISTRY_URL", RegistryConfig.URL_HINT),
                        e.string("TOPIC_PREFIX", ""),
                        DatabaseUrl.parse(
                                e.string(
                                        "DATABASE_URL",
                                        "jdbc:postgresql://localhost:5432/searchloop")),
                        e.string("MODEL_NAME", "catalog-encoder"),
                        e.secret("ADMIN_TOKEN"),
                        e.positiveInt("HNSW_EF_SEARCH", 100),
                        e.positiveInt("RRF_K", 60),
                        e.positiveInt("HYBRID_CANDIDATES", 50),
                        e.positiveInt("EVENT_BUFFER", 10_000),
                        e.positiveInt("QUERY_BATCH_MAX", 16),
                        e.duration("DB_POOL_TIMEOUT", Duration.ofSeconds(2)),
                        e.duration("ACTIVE_INDEX_REFRESH", Duration.ofSeconds(30)),
                        EncoderOptions.defaults()
                                .withDevice(
                                        e.choice(
                                                "ENCODER_DEVICE",
                                                EncoderOptions.DeviceChoice.class,
                                                EncoderOptions.DeviceChoice.AUTO))
                                .withThreads((int) e.number("ENCODER_THREADS", 0, 0, 256)),
                        impressionKeys(e.secret("IMPRESSION_KEYS")),
                        e.duration("IMPRESSION_TOKEN_TTL", Duration.ofMinutes(35)),
                        e.positiveInt("IMPRESSION_LEDGER_MAX", 200_000),
                        e.number("RATE_LIMIT_PER_SECOND", 50, 0, 1e6),
                        e.positiveInt("RATE_LIMIT_BURST", 100),
                        e.positiveInt("RATE_LIMIT_CLIENTS", 100_000),
                        e.string("RATE_LIMIT_CLIENT_HEADER", ""),
                        e.duration("SEARCH_STATEMENT_TIMEOUT", Duration.ofSeconds(2)),
                        e.positiveInt("QUERY_MAX_TERMS", 32));
        e.check("search-api");
        return config;
    }

    /**
     * {@code IMPRESSION_KEYS} = {@code id:base64secret[,id:base64secret]}, the first signing; unset
     * = one random key (tokens then do not survive a restart and are not shared between replicas).
     */
    private static List<ImpressionTokens.Key> impressionKeys(String spec) {
        if (spec == null || spec.isBlank()) {
            return List.of(ImpressionTokens.Key.random());
        }
        List<ImpressionTokens.Key> keys = new java.util.ArrayList<>();
        for (String part : spec.split(",", -1)) {
            int colon = part.indexOf(':');
            try {
                keys.add(
                        new ImpressionTokens.Key(
                                part.substring(0, Math.max(0, colon)).trim(),
                                java.util.Base64.getDecoder()
                                        .decode(part.substring(colon + 1).trim())));
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
                throw new IllegalArgumentException(
                        "invalid search-api configuration: IMPRESSION_KEYS must be id:base64secret[,id:base64secret] "
                                + "with ids of letters, digits, '_' or '-' and secrets of at least 16 bytes");
            }
        }
        if (keys.size() > 2) {
            throw new IllegalArgumentException(
                    "invalid search-api configuration: IMPRESSION_KEYS holds at most two keys (current, and previous during a rotation)");
        }
        return List.copyOf(keys);
    }

    @Override
    public String toString() {
        return "SearchConfig[host="
                + httpHost
                + ", port="
                + port
                + ", kafka="
                + bootstrapServers
                + ", registry="
                + schemaRegistryUrl
                + ", database="
                + database
                + ", model="
                + modelName
                + ", admin="
                + (adminToken == null ? "disabled" : "****")
                + ", efSearch="
                + efSearch
                + ", rrfK="
                + rrfK
                + ", queryBatch="
                + queryBatch
                + ", impressionKeys="
                + impressionKeys.stream().map(ImpressionTokens.Key::id).toList()
                + ", rateLimit="
                + rateLimitPerSecond
                + "/s]";
    }
}
