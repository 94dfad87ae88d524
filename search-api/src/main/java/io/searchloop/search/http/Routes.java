package io.searchloop.search.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.searchloop.events.Interaction;
import io.searchloop.events.InteractionType;
import io.searchloop.events.RetrainRequested;
import io.searchloop.events.RollbackRequested;
import io.searchloop.events.SearchPerformed;
import io.searchloop.events.SearchResult;
import io.searchloop.schemas.contracts.PublishedVersions;
import io.searchloop.schemas.keys.QueryNormalizer;
import io.searchloop.search.SearchApi;
import io.searchloop.search.guard.ImpressionTokens;
import io.searchloop.search.model.ActiveModel;
import io.searchloop.search.query.Hit;
import io.searchloop.search.query.SearchMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Every route of the search API, registered by one function that the service and the tests share.
 * Client mistakes get a 4xx with {@code {"error": …}}; nothing a client sends yields a 5xx.
 */
public final class Routes {
    /** Method and path of every route; {@code /openapi.yaml} must describe each (a test checks). */
    public static final List<String> ALL =
            List.of(
                    "GET /v1/search",
                    "POST /v1/interactions",
                    "GET /v1/models/active",
                    "GET /v1/models",
                    "POST /v1/admin/retrain",
                    "POST /v1/admin/rollback/{version}",
                    "GET /health/live",
                    "GET /health/ready",
                    "GET /metrics",
                    "GET /openapi.yaml");

    static final int MAX_QUERY = 256;
    static final int MAX_BODY = 16_384;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Routes() {}

    public static void routes(Javalin app, SearchApi api) {
        app.before(ctx -> ctx.attribute("started", System.nanoTime()));
        app.before(ctx -> requireJsonBody(ctx, api));
        app.before("/v1/search", ctx -> limitRate(ctx, api, api.searchLimiter()));
        app.before("/v1/interactions", ctx -> limitRate(ctx, api, api.interactionLimiter()));
        app.after(
                ctx -> {
                    Long started = ctx.attribute("started");
                    String mode = ctx.attribute("mode");
                    if (started != null) {
                        api.metrics()
                                .observe(
                                        routeOf(ctx),
                                        mode == null ? "-" : mode,
                                        ctx.statusCode(),
                                        System.nanoTime() - started);
                    }
                });
        app.exception(
                ApiException.class,
                (e, ctx) -> ctx.status(e.status()).json(Map.of("error", e.getMessage())));
        app.exception(
                IllegalArgumentException.class,
                (e, ctx) -> ctx.status(400).json(Map.of("error", e.getMessage())));
        // Every pooled connection busy for DB_POOL_TIMEOUT: overloaded. Say so quickly instead of
        // queueing without bound.
        app.exception(
                java.sql.SQLTransientConnectionException.class,
                (e, ctx) -> {
                    org.slf4j.LoggerFactory.getLogger(Routes.class)
                            .warn("request {} shed: {}", ctx.path(), e.getMessage());
                    ctx.status(503)
                            .header("Retry-After", "1")
                            .json(
                                    Map.of(
                                            "error",
                                            "overloaded: no database connection free; retry shortly"));
                });
        app.exception(
                SQLException.class,
                (e, ctx) -> {
                    if ("57014".equals(e.getSQLState())) { // statement_timeout: the database is
                        // too slow right now
                        org.slf4j.LoggerFactory.getLogger(Routes.class)
                                .warn("request {} cancelled by statement_timeout", ctx.path());
                        ctx.status(503)
                                .header("Retry-After", "1")
                                .json(Map.of("error", "search took too long; retry shortly"));
                        return;
                    }
                    org.slf4j.LoggerFactory.getLogger(Routes.class)
                            .error("request {} failed", ctx.path(), e);
                    ctx.status(500).json(Map.of("error", "internal error"));
                });
        app.exception(
                Exception.class,
                (e, ctx) -> {
                    org.slf4j.LoggerFactory.getLogger(Routes.class)
                            .error("request {} failed", ctx.path(), e);
                    ctx.status(500).json(Map.of("error", "internal error"));
                });
        app.error(
                404,
                ctx -> {
                    if (!String.valueOf(ctx.res().getContentType())
                            .startsWith("application/json")) {
                        ctx.json(Map.of("error", "no route " + ctx.method() + " " + ctx.path()));
                    }
                });
        app.error(413, ctx -> ctx.json(Map.of("error", "request body too large")));

        app.get("/v1/search", ctx -> search(ctx, api));
        app.post("/v1/interactions", ctx -> interaction(ctx, api));
        app.get("/v1/models/active", ctx -> activeModel(ctx, api));
        app.get(
                "/v1/models",
                ctx ->
                        ctx.json(
                                Map.of(
                                        "modelName",
                                        api.config().modelName(),
                                        "versions",
                                        versions(api))));
        app.post("/v1/admin/retrain", ctx -> retrain(ctx, api));
        app.post("/v1/admin/rollback/{version}", ctx -> rollback(ctx, api));
        app.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
        app.get("/health/ready", ctx -> ready(ctx, api));
        app.get(
                "/metrics",
                ctx ->
                        ctx.contentType(io.searchloop.observe.OpsServer.PROMETHEUS_TEXT)
                                .result(api.metrics().scrape()));
        app.get(
                "/openapi.yaml",
                ctx -> ctx.contentType("application/yaml").result(resource("/openapi.yaml")));
    }

    private static String routeOf(Context ctx) {
        String path = ctx.endpointHandlerPath();
        return path == null || path.isEmpty() || path.equals("*") ? "unmatched" : path;
    }

    private static void search(Context ctx, SearchApi api) throws SQLException {
        String q = ctx.queryParam("q");
        if (q == null) {
            throw new ApiException(400, "q is required");
        }
        String normalized = QueryNormalizer.normalize(q);
        if (normalized.isEmpty()) {
            throw new ApiException(400, "q has nothing to search for");
        }
        if (normalized.length() > MAX_QUERY) {
            throw new ApiException(400, "q is longer than " + MAX_QUERY + " characters");
        }
        if (normalized.split(" ").length > api.config().maxQueryTerms()) {
            throw new ApiException(
                    400, "q has more than " + api.config().maxQueryTerms() + " words");
        }
        int k = intParam(ctx, "k", 10, 1, 100);
        SearchMode mode = SearchMode.parse(ctx.queryParam("mode"));
        ctx.attribute("mode", mode.label());
        String category = ctx.queryParam("category");
        if (category != null && (category.isBlank() || category.length() > 200)) {
            throw new ApiException(400, "category must be 1 to 200 characters");
        }
        Optional<ActiveModel> acquired = api.models().acquire();
        if (acquired.isEmpty() && mode != SearchMode.LEXICAL) {
            throw new ApiException(
                    503, "no model is loaded yet; try mode=lexical or retry shortly");
        }
        String version = acquired.map(ActiveModel::version).orElse(null);
        List<Hit> hits;
        try {
            hits = api.searcher().search(mode, acquired.orElse(null), normalized, category, k);
        } finally {
            acquired.ifPresent(ActiveModel::release);
        }
        String requestId = UUID.randomUUID().toString();
        List<Map<String, Object>> results = new ArrayList<>();
        List<SearchResult> shown = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            Hit h = hits.get(i);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("productId", h.productId());
            r.put("title", h.title());
            r.put("category", h.category());
            r.put("score", h.score());
            r.put("position", i + 1);
            results.add(r);
            shown.add(
                    SearchResult.newBuilder()
                            .setProductId(h.productId())
                            .setPosition(i + 1)
                            .setScore(h.score())
                            .build());
        }
        api.metrics().searched(mode.label());
        String sessionId = sessionId(ctx, null);
        Instant now = Instant.now();
        api.publisher()
                .publish(
                        api.topics().searchEvents().name(),
                        requestId,
                        SearchPerformed.newBuilder()
                                .setRequestId(requestId)
                                .setSessionId(sessionId)
                                .setQuery(q)
                                .setResults(shown)
                                .setModelVersion(version)
                                .setTimestamp(now)
                                .build());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestId", requestId);
        body.put(
                "impressionToken",
                api.tokens()
                        .issue(
                                requestId,
                                sessionId,
                                hits.stream().map(Hit::productId).toList(),
                                now));
        body.put("modelVersion", version);
        body.put("mode", mode.label());
        body.put("results", results);
        ctx.json(body);
    }

    /**
     * An engagement is accepted only with the impression token of the search that showed the
     * product: the token fixes the request, the session and the position; one engagement per
     * (token, product, type).
     */
    private static void interaction(Context ctx, SearchApi api) {
        JsonNode body = jsonBody(ctx);
        String requestId = text(body, "requestId", false, 128);
        String productId = text(body, "productId", true, 128);
        String sessionId = text(body, "sessionId", false, 128);
        JsonNode position = body.get("position"); // accepted for compatibility, never believed
        if (position != null
                && !position.isNull()
                && (!position.isInt() || position.asInt() < 1 || position.asInt() > 1000)) {
            throw new ApiException(400, "position must be an integer from 1 to 1000");
        }
        String typeText = text(body, "type", true, 32);
        InteractionType type;
        try {
            type = InteractionType.valueOf(typeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(
                    400, "unknown type '" + typeText + "' (CLICK, ADD_TO_CART or PURCHASE)");
        }
        Instant now = Instant.now();
        ImpressionTokens.Impression impression;
        try {
            impression = api.tokens().verify(text(body, "impressionToken", false, 4096), now);
        } catch (ApiException e) {
            api.metrics().rejected(e.status() == 410 ? "expired_token" : "bad_token");
            throw e;
        }
        if ((requestId != null && !requestId.equals(impression.requestId()))
                || (sessionId != null && !sessionId.equals(impression.sessionId()))) {
            api.metrics().rejected("token_mismatch");
            throw new ApiException(
                    400,
                    "requestId and sessionId must be those the impression token was issued for");
        }
        int shownAt = impression.positionOf(productId);
        if (shownAt == 0) {
            api.metrics().rejected("not_shown");
            throw new ApiException(422, "product " + productId + " was not shown in that search");
        }
        switch (api.ledger()
                .record(
                        impression.token(),
                        productId,
                        type.name(),
                        impression.issuedAt().plus(api.tokens().ttl()),
                        now)) {
            case DUPLICATE -> {
                api.metrics().rejected("duplicate");
                throw new ApiException(409, "this engagement was already recorded");
            }
            case FULL -> {
                api.metrics().rejected("ledger_full");
                ctx.header("Retry-After", "1");
                throw new ApiException(
                        429, "too many engagements to remember right now; retry shortly");
            }
            case NEW -> {}
        }
        api.publisher()
                .publish(
                        api.topics().interactions().name(),
                        impression.requestId(),
                        Interaction.newBuilder()
                                .setType(type)
                                .setRequestId(impression.requestId())
                                .setSessionId(impression.sessionId())
                                .setProductId(productId)
                                .setPosition(shownAt)
                                .setTimestamp(now)
                                .build());
        ctx.status(202).json(Map.of("status", "accepted", "position", shownAt));
    }

    /**
     * POST bodies must say they are JSON: a cross-site form post (text/plain) is refused before it
     * is read.
     */
    private static void requireJsonBody(Context ctx, SearchApi api) {
        if (!"POST".equals(ctx.method().name())) {
            return;
        }
        boolean hasBody =
                ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
        String type = String.valueOf(ctx.header("Content-Type")).toLowerCase(Locale.ROOT);
        if (hasBody && !(type.equals("application/json") || type.startsWith("application/json;"))) {
            api.metrics().rejected("content_type");
            throw new ApiException(415, "request bodies must be application/json");
        }
    }

    private static void limitRate(
            Context ctx, SearchApi api, io.searchloop.search.guard.RateLimiter limiter) {
        String header = api.config().clientHeader();
        String client =
                header == null || header.isBlank()
                        ? ctx.ip()
                        : Optional.ofNullable(ctx.header(header)).orElse(ctx.ip());
        long wait =
                limiter.acquire(
                        client.length() > 128 ? client.substring(0, 128) : client,
                        System.nanoTime());
        if (wait > 0) {
            api.metrics().rejected("rate_limited");
            ctx.header("Retry-After", Long.toString(wait));
            throw new ApiException(
                    429, "too many requests from this client; retry after " + wait + " s");
        }
    }

    private static void activeModel(Context ctx, SearchApi api) {
        ActiveModel m =
                api.models()
                        .peek()
                        .orElseThrow(() -> new ApiException(503, "no model is loaded yet"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("modelName", api.config().modelName());
        body.put("version", m.version());
        body.put("index", m.table());
        body.put("dimension", m.encoder().dimension());
        body.put("activatedAt", m.activatedAt().toString());
        ctx.json(body);
    }

    /** The trainer's version history, read-only; empty when the trainer's tables are elsewhere. */
    private static List<Map<String, Object>> versions(SearchApi api) throws SQLException {
        List<PublishedVersions.Version> versions;
        try (Connection c = api.db().getConnection()) {
            versions = PublishedVersions.read(c, api.config().modelName());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (PublishedVersions.Version version : versions) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("version", version.version());
            v.put("status", version.status());
            v.put("reason", version.reason());
            try {
                v.put("metrics", JSON.readTree(version.metricsJson()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(
                        "the trainer recorded metrics that are not JSON for " + version.version(),
                        e);
            }
            v.put("pairCount", version.pairCount());
            v.put("createdAt", version.createdAt().toString());
            v.put("updatedAt", version.updatedAt().toString());
            out.add(v);
        }
        return out;
    }

    private static void retrain(Context ctx, SearchApi api) {
        requireAdmin(ctx, api);
        String reason = "requested through the admin API";
        String raw = boundedBody(ctx);
        if (!raw.isBlank()) {
            reason =
                    Optional.ofNullable(text(parseObject(raw), "reason", false, 500))
                            .orElse(reason);
        }
        api.publisher()
                .publish(
                        api.topics().retrainRequests().name(),
                        api.config().modelName(),
                        RetrainRequested.newBuilder()
                                .setModelName(api.config().modelName())
                                .setReason(reason)
                                .setRequestedBy("search-api admin")
                                .setRequestedAt(Instant.now())
                                .build());
        ctx.status(202).json(Map.of("status", "retrain requested"));
    }

    private static void rollback(Context ctx, SearchApi api) {
        requireAdmin(ctx, api);
        String version = ctx.pathParam("version");
        if (!version.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ApiException(400, "version must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        String reason = "requested through the admin API";
        String raw = boundedBody(ctx);
        if (!raw.isBlank()) {
            reason =
                    Optional.ofNullable(text(parseObject(raw), "reason", false, 500))
                            .orElse(reason);
        }
        api.publisher()
                .publish(
                        api.topics().rollbackRequests().name(),
                        api.config().modelName(),
                        RollbackRequested.newBuilder()
                                .setModelName(api.config().modelName())
                                .setVersion(version)
                                .setReason(reason)
                                .setRequestedBy("search-api admin")
                                .setRequestedAt(Instant.now())
                                .build());
        ctx.status(202).json(Map.of("status", "rollback to " + version + " requested"));
    }

    private static void requireAdmin(Context ctx, SearchApi api) {
        String token = api.config().adminToken();
        if (token == null) {
            throw new ApiException(404, "admin is disabled (no ADMIN_TOKEN configured)");
        }
        String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        String given = header.startsWith("Bearer ") ? header.substring(7) : "";
        if (!MessageDigest.isEqual(
                given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "missing or wrong bearer token");
        }
    }

    /**
     * 200 when a model is loaded, PostgreSQL and Kafka answer and the event threads run; else 503
     * naming what is not.
     */
    private static void ready(Context ctx, SearchApi api) {
        io.searchloop.observe.Readiness.Report report = api.readiness().evaluate();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.ready() ? "ready" : "not ready");
        body.put("checks", report.checks());
        ctx.status(report.ready() ? 200 : 503).json(body);
    }

    private static JsonNode jsonBody(Context ctx) {
        return parseObject(boundedBody(ctx));
    }

    /**
     * The body, read from the stream with a cap: Javalin checks its size limit against
     * Content-Length only, so a chunked body would otherwise be read whole. Past the cap the
     * request is refused (413) without reading further.
     */
    private static String boundedBody(Context ctx) {
        if (ctx.req().getContentLengthLong() > MAX_BODY) {
            throw new ApiException(413, "request body too large (at most " + MAX_BODY + " bytes)");
        }
        try (java.io.InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new ApiException(
                        413, "request body too large (at most " + MAX_BODY + " bytes)");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new ApiException(400, "cannot read the request body: " + e.getMessage());
        }
    }

    private static JsonNode parseObject(String raw) {
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (java.io.IOException e) {
            throw new ApiException(400, "body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "body must be a JSON object");
        }
        return body;
    }

    private static String text(JsonNode body, String field, boolean required, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new ApiException(400, field + " is required");
            }
            return null;
        }
        if (!v.isTextual()
                || v.asText().isBlank()
                || v.asText().length() > max
                || v.asText().chars().anyMatch(Character::isISOControl)) {
            throw new ApiException(
                    400, field + " must be a string of 1 to " + max + " printable characters");
        }
        return v.asText();
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiException(400, name + " must be an integer from " + min + " to " + max);
    }

    private static String sessionId(Context ctx, String fromBody) {
        String s =
                fromBody != null
                        ? fromBody
                        : Optional.ofNullable(ctx.queryParam("sessionId"))
                                .orElse(ctx.header("X-Session-Id"));
        return s == null || s.isBlank() || s.length() > 128 ? null : s;
    }

    private static String resource(String path) throws java.io.IOException {
        try (java.io.InputStream in = Routes.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
