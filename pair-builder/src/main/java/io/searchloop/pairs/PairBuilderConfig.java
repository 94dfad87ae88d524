package io.searchloop.pairs;

import io.searchloop.pairs.scoring.EvidenceWeights;
import io.searchloop.pairs.scoring.PairScorer;
import io.searchloop.pairs.scoring.PositionPropensity;
import io.searchloop.schemas.config.Env;
import io.searchloop.schemas.registry.RegistryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the pair-builder service reads from its environment; defaults suit the embedded run.
 * {@link #fromEnv} reports every missing or malformed variable at once.
 */
public record PairBuilderConfig(
        String bootstrapServers,
        String schemaRegistryUrl,
        String applicationId,
        ProcessingGuarantee processingGuarantee,
        String topicPrefix,
        Duration maxTaskIdle,
        Path stateDir,
        int streamThreads,
        int maxThreadReplacements,
        Map<String, String> streamsOverrides,
        String httpHost,
        int httpPort,
        PairSettings settings) {

    /**
     * Environment variables with this prefix set Kafka Streams/client properties:
     * PAIR_STREAMS_SESSION_TIMEOUT_MS → session.timeout.ms.
     */
    static final String STREAMS_PREFIX = "PAIR_STREAMS_";

    public static PairBuilderConfig fromEnv(Map<String, String> env) {
        Env e = new Env(env);
        PairSettings d = PairSettings.defaults();
        EvidenceLimits l = d.limits();
        PairBuilderConfig config =
                new PairBuilderConfig(
                        e.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                        e.required("SCHEMA_REGISTRY_URL", RegistryConfig.URL_HINT),
                        e.string("PAIR_BUILDER_APPLICATION_ID", "searchloop-pair-builder"),
                        e.choice(
                                "PAIR_PROCESSING_GUARANTEE",
                                ProcessingGuarantee.class,
                                ProcessingGuarantee.EXACTLY_ONCE_V2),
                        e.string("TOPIC_PREFIX", ""),
                        e.duration("PAIR_MAX_TASK_IDLE", Duration.ofMillis(500)),
                        Path.of(
                                e.string(
                                        "PAIR_BUILDER_STATE_DIR",
                                        Path.of(
                                                        System.getProperty("java.io.tmpdir"),
                                                        "searchloop-pair-builder")
                                                .toString())),
                        e.positiveInt("PAIR_BUILDER_THREADS", 1),
                        (int) e.number("PAIR_MAX_THREAD_REPLACEMENTS", 3, 0, 1000),
                        streamsOverrides(env),
                        e.string("HTTP_HOST", "0.0.0.0"),
                        (int) e.number("PAIR_BUILDER_HTTP_PORT", 8081, 0, 65535),
                        new PairSettings(
                                e.duration("PAIR_ATTRIBUTION_WINDOW", d.window()),
                                e.duration("PAIR_GRACE", d.grace()),
                                e.duration("PAIR_PUNCTUATE_INTERVAL", d.punctuateInterval()),
                                new EvidenceWeights(
                                        e.number("PAIR_WEIGHT_CLICK", 1, 1e-6, 1e6),
                                        e.number("PAIR_WEIGHT_ADD_TO_CART", 2, 1e-6, 1e6),
                                        e.number("PAIR_WEIGHT_PURCHASE", 4, 1e-6, 1e6)),
                                new PositionPropensity(
                                        e.number("PAIR_PROPENSITY_EXPONENT", 1.0, 0, 5),
                                        e.number("PAIR_PROPENSITY_MAX_WEIGHT", 10, 1, 1000)),
                                new PairScorer(
                                        e.number("PAIR_PRIOR_MEAN", 0.3, 0, 1),
                                        e.number("PAIR_PRIOR_STRENGTH", 2, 1e-6, 1e6),
                                        e.positiveInt("PAIR_MIN_OBSERVATIONS", 2),
                                        e.number("PAIR_EMIT_EPSILON", 0.05, 0, 1)),
                                e.list("PRODUCT_ATTRIBUTES", List.of()),
                                e.bool("PAIR_TYPO_AUGMENTATION", true),
                                e.positiveInt("PAIR_TYPO_VARIANTS", 3),
                                e.number("PAIR_TYPO_MIN_SCORE", 0.6, 0, 1),
                                new EvidenceLimits(
                                        e.positiveInt(
                                                "PAIR_MAX_INTERACTIONS_PER_REQUEST",
                                                l.maxInteractionsPerRequest()),
                                        e.positiveInt("PAIR_MAX_STATE_BYTES", l.maxStateBytes()),
                                        e.duration("PAIR_SESSION_HOLD", l.sessionHold()),
                                        e.positiveInt(
                                                "PAIR_MAX_ENGAGEMENTS_PER_SESSION",
                                                l.maxEngagementsPerSession()),
                                        e.positiveInt(
                                                "PAIR_MAX_INTERACTIONS_PER_MINUTE",
                                                l.maxInteractionsPerMinute()),
                                        (int)
                                                e.number(
                                                        "PAIR_MAX_CARTLESS_PURCHASES",
                                                        l.maxCartlessPurchases(),
                                                        0,
                                                        1_000_000),
                                        e.duration("PAIR_FLAG_RETENTION", l.flagRetention()),
                                        e.duration("PAIR_BURST_WINDOW", l.burstWindow()),
                                        e.positiveInt(
                                                "PAIR_MAX_BURST_SESSIONS", l.maxBurstSessions()),
                                        e.duration("PAIR_STATS_RETENTION", l.pairRetention()),
                                        e.duration(
                                                "PAIR_AWAITING_RETENTION", l.awaitingRetention()),
                                        e.positiveInt(
                                                "PAIR_EXPIRY_BATCH", l.awaitingRetryBatch()))));
        e.check("pair-builder");
        return config;
    }

    private static Map<String, String> streamsOverrides(Map<String, String> env) {
        Map<String, String> out = new java.util.TreeMap<>();
        env.forEach(
                (key, value) -> {
                    if (key.startsWith(STREAMS_PREFIX) && key.length() > STREAMS_PREFIX.length()) {
                        out.put(
                                key.substring(STREAMS_PREFIX.length())
                                        .toLowerCase(java.util.Locale.ROOT)
                                        .replace('_', '.'),
                                value);
                    }
                });
        return Map.copyOf(out);
    }
}
