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
import io.searchloop.schemas.keys.QueryNormalizer;
import io.searchloop.search.SearchApi;
import io.searchloop.search.model.ActiveModel;
import io.searchloop.search.query.Hit;
import io.searchloop.search.query.SearchMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * Every route of the search API, registered by one function that the service and the tests
 * share. Client mistakes get a 4xx with {@code {"error": …}}; nothing a client sends yields a 5xx.
 */
public final class Routes {
    /** Method and path of every route; {@code /openapi.yaml} must describe each (a test checks). */
    public static final List<String> ALL = List.of(
            "GET /v1/search", "POST /v1/interactions", "GET /v1/models/active", "GET /v1/models", "POST /v1/admin/retrain", "POST /v1/admin/rollback/{version}",
            "GET /health/live", "GET /health/ready", "GET /metrics", "GET /openapi.yaml");
    static final int MAX_QUERY = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Routes() {}

    public static void routes(Javalin app, SearchApi api) {
        app.before(ctx -> ctx.attribute("started", System.nanoTime()));
        app.after(ctx -> {
            Long started = ctx.attribute("started");
            String mode = ctx.attribute("mode");
            if (started != null) {
                api.metrics().observe(routeOf(ctx), mode == null ? "-" : mode, ctx.statusCode(), System.nanoTime() - started);
            }
        });
        app.exception(ApiException.class, (e, ctx) -> ctx.status(e.status()).json(Map.of("error", e.getMessage())));
        app.exception(IllegalArgumentException.class, (e, ctx) -> ctx.status(400).json(Map.of("error", e.getMessage())));
        // Every pooled connection busy for DB_POOL_TIMEOUT: overloaded. Say so quickly instead of queueing without bound.
        app.exception(java.sql.SQLTransientConnectionException.class, (e, ctx) -> {
            org.slf4j.LoggerFactory.getLogger(Routes.class).warn("request {} shed: {}", ctx.path(), e.getMessage());
            ctx.status(503).header("Retry-After", "1").json(Map.of("error", "overloaded: no database connection free; retry shortly"));
        });
        app.exception(Exception.class, (e, ctx) -> {
            org.slf4j.LoggerFactory.getLogger(Routes.class).error("request {} failed", ctx.path(), e);
            ctx.status(500).json(Map.of("error", "internal error"));
        });
        app.error(404, ctx -> {
            if (!String.valueOf(ctx.res().getContentType()).startsWith("application/json")) {
                ctx.json(Map.of("error", "no route " + ctx.method() + " " + ctx.path()));
            }
        });
        app.error(413, ctx -> ctx.json(Map.of("error", "request body too large")));

        app.get("/v1/search", ctx -> search(ctx, api));
        app.post("/v1/interactions", ctx -> interaction(ctx, api));
        app.get("/v1/models/active", ctx -> activeModel(ctx, api));
        app.get("/v1/models", ctx -> ctx.json(Map.of("modelName", api.config().modelName(), "versions", versions(api))));
        app.post("/v1/admin/retrain", ctx -> retrain(ctx, api));
        app.post("/v1/admin/rollback/{version}", ctx -> rollback(ctx, api));
        app.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
        app.get("/health/ready", ctx -> ready(ctx, api));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(api.metrics().scrape()));
        app.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(resource("/openapi.yaml")));
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
        int k = intParam(ctx, "k", 10, 1, 100);
        SearchMode mode = SearchMode.parse(ctx.queryParam("mode"));
        ctx.attribute("mode", mode.label());
        String category = ctx.queryParam("category");
        if (category != null && (category.isBlank() || category.length() > 200)) {
            throw new ApiException(400, "category must be 1 to 200 characters");
        }
        Optional<ActiveModel> acquired = api.models().acquire();
        if (acquired.isEmpty() && mode != SearchMode.LEXICAL) {
            throw new ApiException(503, "no model is loaded yet; try mode=lexical or retry shortly");
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
            shown.add(SearchResult.newBuilder().setProductId(h.productId()).setPosition(i + 1).setScore(h.score()).build());
        }
        api.metrics().searched(mode.label());
        api.publisher().publish(api.topics().searchEvents().name(), requestId, SearchPerformed.newBuilder().setRequestId(requestId)
                .setSessionId(sessionId(ctx, null)).setQuery(q).setResults(shown).setModelVersion(version).setTimestamp(Instant.now()).build());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestId", requestId);
        body.put("modelVersion", version);
        body.put("mode", mode.label());
        body.put("results", results);
        ctx.json(body);
    }

    private static void interaction(Context ctx, SearchApi api) {
        JsonNode body = jsonBody(ctx);
        String requestId = text(body, "requestId", true, 128);
        String productId = text(body, "productId", true, 128);
        String sessionId = text(body, "sessionId", false, 128);
        JsonNode position = body.get("position");
        if (position == null || !position.isInt() || position.asInt() < 1 || position.asInt() > 1000) {
            throw new ApiException(400, "position must be an integer from 1 to 1000");
        }
        String typeText = text(body, "type", true, 32);
        InteractionType type;
        try {
            type = InteractionType.valueOf(typeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "unknown type '" + typeText + "' (CLICK, ADD_TO_CART or PURCHASE)");
        }
        api.publisher().publish(api.topics().interactions().name(), requestId, Interaction.newBuilder().setType(type).setRequestId(requestId)
                .setSessionId(sessionId(ctx, sessionId)).setProductId(productId).setPosition(position.asInt()).setTimestamp(Instant.now()).build());
        ctx.status(202).json(Map.of("status", "accepted"));
    }

    private static void activeModel(Context ctx, SearchApi api) {
        ActiveModel m = api.models().peek().orElseThrow(() -> new ApiException(503, "no model is loaded yet"));
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
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = api.db().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT version, status, reason, metrics::text, pair_count, created_at, updated_at FROM model_versions WHERE model_name = ? ORDER BY version_number")) {
            ps.setString(1, api.config().modelName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("version", rs.getString(1));
                    v.put("status", rs.getString(2));
                    v.put("reason", rs.getString(3));
                    v.put("metrics", JSON.readTree(rs.getString(4)));
                    v.put("pairCount", rs.getLong(5));
                    v.put("createdAt", rs.getTimestamp(6).toInstant().toString());
                    v.put("updatedAt", rs.getTimestamp(7).toInstant().toString());
                    out.add(v);
                }
            }
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) {
                throw e;
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static void retrain(Context ctx, SearchApi api) {
        requireAdmin(ctx, api);
        String reason = "requested through the admin API";
        if (!ctx.body().isBlank()) {
            reason = Optional.ofNullable(text(jsonBody(ctx), "reason", false, 500)).orElse(reason);
        }
        api.publisher().publish(api.topics().retrainRequests().name(), api.config().modelName(), RetrainRequested.newBuilder()
                .setModelName(api.config().modelName()).setReason(reason).setRequestedBy("search-api admin").setRequestedAt(Instant.now()).build());
        ctx.status(202).json(Map.of("status", "retrain requested"));
    }

    private static void rollback(Context ctx, SearchApi api) {
        requireAdmin(ctx, api);
        String version = ctx.pathParam("version");
        if (!version.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ApiException(400, "version must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        String reason = "requested through the admin API";
        if (!ctx.body().isBlank()) {
            reason = Optional.ofNullable(text(jsonBody(ctx), "reason", false, 500)).orElse(reason);
        }
        api.publisher().publish(api.topics().rollbackRequests().name(), api.config().modelName(), RollbackRequested.newBuilder()
                .setModelName(api.config().modelName()).setVersion(version).setReason(reason).setRequestedBy("search-api admin")
                .setRequestedAt(Instant.now()).build());
        ctx.status(202).json(Map.of("status", "rollback to " + version + " requested"));
    }

    private static void requireAdmin(Context ctx, SearchApi api) {
        String token = api.config().adminToken();
        if (token == null) {
            throw new ApiException(404, "admin is disabled (no ADMIN_TOKEN configured)");
        }
        String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        String given = header.startsWith("Bearer ") ? header.substring(7) : "";
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "missing or wrong bearer token");
        }
    }

    private static void ready(Context ctx, SearchApi api) {
        boolean model = api.models().peek().isPresent();
        boolean database;
        try (Connection c = api.db().getConnection()) {
            database = c.isValid(2);
        } catch (SQLException e) {
            database = false;
        }
        ctx.status(model && database ? 200 : 503).json(Map.of("modelLoaded", model, "databaseReachable", database));
    }

    private static JsonNode jsonBody(Context ctx) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
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
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > max || v.asText().chars().anyMatch(Character::isISOControl)) {
            throw new ApiException(400, field + " must be a string of 1 to " + max + " printable characters");
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
        String s = fromBody != null ? fromBody : Optional.ofNullable(ctx.queryParam("sessionId")).orElse(ctx.header("X-Session-Id"));
        return s == null || s.isBlank() || s.length() > 128 ? null : s;
    }

    private static String resource(String path) throws java.io.IOException {
        try (java.io.InputStream in = Routes.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
