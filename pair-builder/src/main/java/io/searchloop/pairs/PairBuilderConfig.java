package io.searchloop.pairs;

import io.searchloop.pairs.scoring.EvidenceWeights;
import io.searchloop.pairs.scoring.PairScorer;
import io.searchloop.pairs.scoring.PositionPropensity;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything the pair-builder service reads from its environment. {@link #defaults} suit the
 * embedded run; code that starts a pair-builder itself changes them with the {@code with…} methods,
 * and {@link #fromEnv} reads each setting with the default as fallback, reporting every missing or
 * malformed variable at once.
 */
public record PairBuilderConfig(
        Connections connections,
        String applicationId,
        ProcessingGuarantee processingGuarantee,
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

    public static PairBuilderConfig defaults(Connections connections) {
        return new PairBuilderConfig(
                connections,
                "searchloop-pair-builder",
                ProcessingGuarantee.EXACTLY_ONCE_V2,
                Duration.ofMillis(500),
                Path.of(System.getProperty("java.io.tmpdir"), "searchloop-pair-builder"),
                1,
                3,
                Map.of(),
                "0.0.0.0",
                8081,
                PairSettings.defaults());
    }

    public static PairBuilderConfig fromEnv(Map<String, String> env) {
        Env e = new Env(env);
        PairBuilderConfig config = read(e, streamsOverrides(env));
        e.check("pair-builder");
        return config;
    }

    /**
     * Every variable {@link #fromEnv} reads, besides those starting with {@value #STREAMS_PREFIX}.
     */
    public static Set<String> keys() {
        Env e = new Env(Map.of());
        read(e, Map.of());
        return e.keysRead();
    }

    /** Whether {@code key} is a Kafka Streams override ({@value #STREAMS_PREFIX}…). */
    public static boolean isStreamsOverride(String key) {
        return key.startsWith(STREAMS_PREFIX) && key.length() > STREAMS_PREFIX.length();
    }

    private static PairBuilderConfig read(Env e, Map<String, String> overrides) {
        PairBuilderConfig defaults = defaults(Connections.fromEnv(e));
        PairSettings d = defaults.settings();
        EvidenceLimits l = d.limits();
        return new PairBuilderConfig(
                defaults.connections(),
                e.string("PAIR_BUILDER_APPLICATION_ID", defaults.applicationId()),
                e.choice(
                        "PAIR_PROCESSING_GUARANTEE",
                        ProcessingGuarantee.class,
                        defaults.processingGuarantee()),
                e.duration("PAIR_MAX_TASK_IDLE", defaults.maxTaskIdle()),
                Path.of(e.string("PAIR_BUILDER_STATE_DIR", defaults.stateDir().toString())),
                e.positiveInt("PAIR_BUILDER_THREADS", defaults.streamThreads()),
                e.integer(
                        "PAIR_MAX_THREAD_REPLACEMENTS", defaults.maxThreadReplacements(), 0, 1000),
                overrides,
                e.string("HTTP_HOST", defaults.httpHost()),
                e.port("PAIR_BUILDER_HTTP_PORT", defaults.httpPort()),
                new PairSettings(
                        e.duration("PAIR_ATTRIBUTION_WINDOW", d.window()),
                        e.duration("PAIR_GRACE", d.grace()),
                        e.duration("PAIR_PUNCTUATE_INTERVAL", d.punctuateInterval()),
                        e.duration("PAIR_EMIT_INTERVAL", d.emitInterval()),
                        new EvidenceWeights(
                                e.number("PAIR_WEIGHT_CLICK", d.weights().click(), 1e-6, 1e6),
                                e.number(
                                        "PAIR_WEIGHT_ADD_TO_CART",
                                        d.weights().addToCart(),
                                        1e-6,
                                        1e6),
                                e.number(
                                        "PAIR_WEIGHT_PURCHASE", d.weights().purchase(), 1e-6, 1e6)),
                        new PositionPropensity(
                                e.number(
                                        "PAIR_PROPENSITY_EXPONENT",
                                        d.propensity().exponent(),
                                        0,
                                        5),
                                e.number(
                                        "PAIR_PROPENSITY_MAX_WEIGHT",
                                        d.propensity().maxWeight(),
                                        1,
                                        1000)),
                        new PairScorer(
                                e.number("PAIR_PRIOR_MEAN", d.scorer().priorMean(), 0, 1),
                                e.number(
                                        "PAIR_PRIOR_STRENGTH",
                                        d.scorer().priorStrength(),
                                        1e-6,
                                        1e6),
                                e.positiveInt(
                                        "PAIR_MIN_OBSERVATIONS", d.scorer().minObservations()),
                                e.number("PAIR_EMIT_EPSILON", d.scorer().epsilon(), 0, 1)),
                        e.list("PRODUCT_ATTRIBUTES", d.productAttributes()),
                        e.bool("PAIR_TYPO_AUGMENTATION", d.augmentTypos()),
                        e.positiveInt("PAIR_TYPO_VARIANTS", d.typoVariants()),
                        e.number("PAIR_TYPO_MIN_SCORE", d.typoMinScore(), 0, 1),
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
                                e.integer(
                                        "PAIR_MAX_CARTLESS_PURCHASES",
                                        l.maxCartlessPurchases(),
                                        0,
                                        1_000_000),
                                e.duration("PAIR_FLAG_RETENTION", l.flagRetention()),
                                e.duration("PAIR_BURST_WINDOW", l.burstWindow()),
                                e.positiveInt("PAIR_MAX_BURST_SESSIONS", l.maxBurstSessions()),
                                e.duration("PAIR_STATS_RETENTION", l.pairRetention()),
                                e.duration("PAIR_AWAITING_RETENTION", l.awaitingRetention()),
                                e.positiveInt("PAIR_EXPIRY_BATCH", l.awaitingRetryBatch()))));
    }

    public PairBuilderConfig withApplicationId(String id) {
        return copy(c -> c.applicationId = id);
    }

    public PairBuilderConfig withProcessingGuarantee(ProcessingGuarantee guarantee) {
        return copy(c -> c.processingGuarantee = guarantee);
    }

    /** How long a task waits for its other input before processing what it has. */
    public PairBuilderConfig withMaxTaskIdle(Duration idle) {
        return copy(c -> c.maxTaskIdle = idle);
    }

    public PairBuilderConfig withStateDir(Path directory) {
        return copy(c -> c.stateDir = directory);
    }

    /** Kafka Streams or client properties by their own names ({@code commit.interval.ms}). */
    public PairBuilderConfig withStreamsOverrides(Map<String, String> properties) {
        return copy(c -> c.streamsOverrides = Map.copyOf(properties));
    }

    public PairBuilderConfig withHttpPort(int port) {
        return copy(c -> c.httpPort = port);
    }

    public PairBuilderConfig withSettings(PairSettings pairSettings) {
        return copy(c -> c.settings = pairSettings);
    }

    private static Map<String, String> streamsOverrides(Map<String, String> env) {
        Map<String, String> out = new java.util.TreeMap<>();
        env.forEach(
                (key, value) -> {
                    if (isStreamsOverride(key)) {
                        out.put(
                                key.substring(STREAMS_PREFIX.length())
                                        .toLowerCase(java.util.Locale.ROOT)
                                        .replace('_', '.'),
                                value);
                    }
                });
        return Map.copyOf(out);
    }

    /** A copy of this record with the components {@code change} sets. */
    private PairBuilderConfig copy(Consumer<Components> change) {
        Components c = new Components(this);
        change.accept(c);
        return new PairBuilderConfig(
                c.connections,
                c.applicationId,
                c.processingGuarantee,
                c.maxTaskIdle,
                c.stateDir,
                c.streamThreads,
                c.maxThreadReplacements,
                c.streamsOverrides,
                c.httpHost,
                c.httpPort,
                c.settings);
    }

    /** The components of a record being copied, to be changed one by one. */
    private static final class Components {
        private Connections connections;
        private String applicationId;
        private ProcessingGuarantee processingGuarantee;
        private Duration maxTaskIdle;
        private Path stateDir;
        private int streamThreads;
        private int maxThreadReplacements;
        private Map<String, String> streamsOverrides;
        private String httpHost;
        private int httpPort;
        private PairSettings settings;

        Components(PairBuilderConfig from) {
            connections = from.connections;
            applicationId = from.applicationId;
            processingGuarantee = from.processingGuarantee;
            maxTaskIdle = from.maxTaskIdle;
            stateDir = from.stateDir;
            streamThreads = from.streamThreads;
            maxThreadReplacements = from.maxThreadReplacements;
            streamsOverrides = from.streamsOverrides;
            httpHost = from.httpHost;
            httpPort = from.httpPort;
            settings = from.settings;
        }
    }
}
