package io.searchloop.search;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.InferenceEngine;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.config.Env;
import io.searchloop.search.guard.ImpressionTokens;
import io.searchloop.search.lexical.LexicalEngine;
import io.searchloop.search.model.QueryBatcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything the search API reads from its environment. {@link #defaults} suit the embedded run;
 * code that starts a search API itself changes them with the {@code with…} methods, and {@link
 * #fromEnv} reads each setting with the default as fallback. {@link #toString()} hides the admin
 * token and the impression keys.
 */
public record SearchConfig(
        Connections connections,
        int port,
        String httpHost,
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
        InferenceEngine queryEngine,
        Guard guard,
        Duration statementTimeout,
        int maxQueryTerms,
        Lexical lexical) {

    /**
     * What answers lexical queries ({@link LexicalEngine}), how often the in-process index re-reads
     * the catalog, and how many matches one bounded PostgreSQL step ranks.
     */
    public record Lexical(LexicalEngine engine, Duration refresh, int candidates) {
        public static Lexical defaults() {
            return new Lexical(LexicalEngine.LUCENE, Duration.ofSeconds(10), 200);
        }

        public Lexical withEngine(LexicalEngine choice) {
            return new Lexical(choice, refresh, candidates);
        }

        public Lexical withRefresh(Duration interval) {
            return new Lexical(engine, interval, candidates);
        }
    }

    /**
     * What protects the interaction log: the impression-token keys (the first signs) and how long a
     * token lives, the bound of the replay ledger, and the per-client token bucket ({@code
     * rateLimitPerSecond} 0 = no limit; {@code clientHeader} names the client behind a trusted
     * proxy, blank = the peer address).
     */
    public record Guard(
            List<ImpressionTokens.Key> impressionKeys,
            Duration impressionTtl,
            int engagementLedger,
            double rateLimitPerSecond,
            int rateLimitBurst,
            int rateLimitClients,
            String clientHeader) {

        /** One random impression key: tokens do not survive a restart nor cross replicas. */
        public static Guard defaults() {
            return new Guard(
                    List.of(ImpressionTokens.Key.random()),
                    Duration.ofMinutes(35),
                    200_000,
                    50,
                    100,
                    100_000,
                    "");
        }

        public Guard withRateLimit(double perSecond, int burst) {
            return new Guard(
                    impressionKeys,
                    impressionTtl,
                    engagementLedger,
                    perSecond,
                    burst,
                    rateLimitClients,
                    clientHeader);
        }

        /** No per-client limit: for one process that plays many shoppers (demo, benchmarks). */
        public Guard withoutRateLimit() {
            return withRateLimit(0, rateLimitBurst);
        }

        public Guard withClientHeader(String header) {
            return new Guard(
                    impressionKeys,
                    impressionTtl,
                    engagementLedger,
                    rateLimitPerSecond,
                    rateLimitBurst,
                    rateLimitClients,
                    header);
        }
    }

    public static SearchConfig defaults(Connections connections) {
        return new SearchConfig(
                connections,
                8080,
                "0.0.0.0",
                "catalog-encoder",
                null,
                100,
                60,
                50,
                10_000,
                QueryBatcher.AUTO,
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                EncoderOptions.defaults(),
                InferenceEngine.AUTO,
                Guard.defaults(),
                Duration.ofSeconds(2),
                32,
                Lexical.defaults());
    }

    public static SearchConfig fromEnv(Map<String, String> env) {
        Env e = new Env(env);
        SearchConfig config = read(e);
        e.check("search-api");
        return config;
    }

    /** Every variable {@link #fromEnv} reads. */
    public static Set<String> keys() {
        Env e = new Env(Map.of());
        read(e);
        return e.keysRead();
    }

    private static SearchConfig read(Env e) {
        SearchConfig d = defaults(Connections.fromEnv(e));
        Guard g = d.guard();
        String keys = e.secret("IMPRESSION_KEYS");
        return new SearchConfig(
                d.connections(),
                e.port("HTTP_PORT", d.port()),
                e.string("HTTP_HOST", d.httpHost()),
                e.string("MODEL_NAME", d.modelName()),
                e.secret("ADMIN_TOKEN"),
                e.positiveInt("HNSW_EF_SEARCH", d.efSearch()),
                e.positiveInt("RRF_K", d.rrfK()),
                e.positiveInt("HYBRID_CANDIDATES", d.candidates()),
                e.positiveInt("EVENT_BUFFER", d.eventBuffer()),
                queryBatch(e, d.queryBatch()),
                e.duration("DB_POOL_TIMEOUT", d.poolTimeout()),
                e.period("ACTIVE_INDEX_REFRESH", d.refreshInterval()),
                EncoderOptions.fromEnv(e),
                e.choice("QUERY_ENGINE", InferenceEngine.class, d.queryEngine()),
                new Guard(
                        keys == null || keys.isBlank() ? g.impressionKeys() : impressionKeys(keys),
                        e.duration("IMPRESSION_TOKEN_TTL", g.impressionTtl()),
                        e.positiveInt("IMPRESSION_LEDGER_MAX", g.engagementLedger()),
                        e.number("RATE_LIMIT_PER_SECOND", g.rateLimitPerSecond(), 0, 1e6),
                        e.positiveInt("RATE_LIMIT_BURST", g.rateLimitBurst()),
                        e.positiveInt("RATE_LIMIT_CLIENTS", g.rateLimitClients()),
                        e.string("RATE_LIMIT_CLIENT_HEADER", g.clientHeader())),
                e.duration("SEARCH_STATEMENT_TIMEOUT", d.statementTimeout()),
                e.positiveInt("QUERY_MAX_TERMS", d.maxQueryTerms()),
                new Lexical(
                        e.choice("LEXICAL_ENGINE", LexicalEngine.class, d.lexical().engine()),
                        e.period("LEXICAL_REFRESH", d.lexical().refresh()),
                        e.positiveInt("LEXICAL_CANDIDATES", d.lexical().candidates())));
    }

    /** {@code QUERY_BATCH_MAX}: {@code auto} or a positive number. */
    private static int queryBatch(Env e, int fallback) {
        return "auto".equalsIgnoreCase(e.string("QUERY_BATCH_MAX", ""))
                ? QueryBatcher.AUTO
                : e.positiveInt("QUERY_BATCH_MAX", fallback);
    }

    public SearchConfig withHttpPort(int listenPort) {
        return copy(c -> c.port = listenPort);
    }

    /** Enables the admin routes behind {@code token} ({@code null} disables them). */
    public SearchConfig withAdminToken(String token) {
        return copy(c -> c.adminToken = token);
    }

    /** At most {@code size} queries per encoder call ({@link QueryBatcher#AUTO}: by runtime). */
    public SearchConfig withQueryBatch(int size) {
        return copy(c -> c.queryBatch = size);
    }

    /** How often the active index is looked up besides the index events. */
    public SearchConfig withRefreshInterval(Duration interval) {
        return copy(c -> c.refreshInterval = interval);
    }

    public SearchConfig withEncoder(EncoderOptions options) {
        return copy(c -> c.encoder = options);
    }

    /** Which runtime encodes queries ({@link InferenceEngine}). */
    public SearchConfig withQueryEngine(InferenceEngine engine) {
        return copy(c -> c.queryEngine = engine);
    }

    public SearchConfig withGuard(Guard settings) {
        return copy(c -> c.guard = settings);
    }

    public SearchConfig withLexical(Lexical settings) {
        return copy(c -> c.lexical = settings);
    }

    /**
     * {@code IMPRESSION_KEYS} = {@code id:base64secret[,id:base64secret]}, the first signing; unset
     * = one random key (tokens then do not survive a restart and are not shared between replicas).
     */
    private static List<ImpressionTokens.Key> impressionKeys(String spec) {
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
                + connections.bootstrapServers()
                + ", registry="
                + connections.schemaRegistryUrl()
                + ", database="
                + connections.database()
                + ", model="
                + modelName
                + ", admin="
                + (adminToken == null ? "disabled" : "****")
                + ", efSearch="
                + efSearch
                + ", rrfK="
                + rrfK
                + ", queryBatch="
                + (queryBatch == QueryBatcher.AUTO ? "auto" : String.valueOf(queryBatch))
                + ", queryEngine="
                + queryEngine.label()
                + ", lexical="
                + lexical.engine().label()
                + ", impressionKeys="
                + guard.impressionKeys().stream().map(ImpressionTokens.Key::id).toList()
                + ", rateLimit="
                + guard.rateLimitPerSecond()
                + "/s]";
    }

    /** A copy of this record with the components {@code change} sets. */
    private SearchConfig copy(Consumer<Components> change) {
        Components c = new Components(this);
        change.accept(c);
        return new SearchConfig(
                c.connections,
                c.port,
                c.httpHost,
                c.modelName,
                c.adminToken,
                c.efSearch,
                c.rrfK,
                c.candidates,
                c.eventBuffer,
                c.queryBatch,
                c.poolTimeout,
                c.refreshInterval,
                c.encoder,
                c.queryEngine,
                c.guard,
                c.statementTimeout,
                c.maxQueryTerms,
                c.lexical);
    }

    /** The components of a record being copied, to be changed one by one. */
    private static final class Components {
        private Connections connections;
        private int port;
        private String httpHost;
        private String modelName;
        private String adminToken;
        private int efSearch;
        private int rrfK;
        private int candidates;
        private int eventBuffer;
        private int queryBatch;
        private Duration poolTimeout;
        private Duration refreshInterval;
        private EncoderOptions encoder;
        private InferenceEngine queryEngine;
        private Guard guard;
        private Duration statementTimeout;
        private int maxQueryTerms;
        private Lexical lexical;

        Components(SearchConfig from) {
            connections = from.connections;
            port = from.port;
            httpHost = from.httpHost;
            modelName = from.modelName;
            adminToken = from.adminToken;
            efSearch = from.efSearch;
            rrfK = from.rrfK;
            candidates = from.candidates;
            eventBuffer = from.eventBuffer;
            queryBatch = from.queryBatch;
            poolTimeout = from.poolTimeout;
            refreshInterval = from.refreshInterval;
            encoder = from.encoder;
            queryEngine = from.queryEngine;
            guard = from.guard;
            statementTimeout = from.statementTimeout;
            maxQueryTerms = from.maxQueryTerms;
            lexical = from.lexical;
        }
    }
}
