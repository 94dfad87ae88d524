package io.searchloop.search.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.searchloop.search.SearchApi;
import io.searchloop.search.guard.RateLimiter;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every route of the search API, registered by one function that the service and the tests share:
 * the handlers per resource, the filters every request passes (JSON bodies only, rate limits,
 * timing) and the mapping of exceptions to statuses. Client mistakes get a 4xx with {@code
 * {"error": …}}; nothing a client sends yields a 5xx.
 */
public final class Routes {
    /** The largest request body read, by Javalin and by the JSON handlers alike. */
    public static final int MAX_BODY_BYTES = 16_384;

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

    /** The search mode a handler served, as the metrics label it; absent for other routes. */
    static final String MODE_ATTRIBUTE = "mode";

    private static final String STARTED_ATTRIBUTE = "started";
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

    private Routes() {}

    public static void routes(Javalin app, SearchApi api) {
        filters(app, api);
        exceptions(app);

        SearchHandler search = new SearchHandler(api);
        InteractionHandler interactions = new InteractionHandler(api);
        ModelsHandler models = new ModelsHandler(api);
        AdminHandler admin = new AdminHandler(api);
        OpsHandler ops = new OpsHandler(api);
        app.get("/v1/search", search::search);
        app.post("/v1/interactions", interactions::record);
        app.get("/v1/models/active", models::active);
        app.get("/v1/models", models::versions);
        app.post("/v1/admin/retrain", admin::retrain);
        app.post("/v1/admin/rollback/{version}", admin::rollback);
        app.get("/health/live", ops::live);
        app.get("/health/ready", ops::ready);
        app.get("/metrics", ops::metrics);
        app.get("/openapi.yaml", ops::openApi);
    }

    private static void filters(Javalin app, SearchApi api) {
        app.before(ctx -> ctx.attribute(STARTED_ATTRIBUTE, System.nanoTime()));
        app.before(ctx -> requireJsonBody(ctx, api));
        app.before("/v1/search", ctx -> limitRate(ctx, api, api.searchLimiter()));
        app.before("/v1/interactions", ctx -> limitRate(ctx, api, api.interactionLimiter()));
        app.after(
                ctx -> {
                    Long started = ctx.attribute(STARTED_ATTRIBUTE);
                    String mode = ctx.attribute(MODE_ATTRIBUTE);
                    if (started != null) {
                        api.metrics()
                                .observe(
                                        routeOf(ctx),
                                        mode == null ? "-" : mode,
                                        ctx.statusCode(),
                                        System.nanoTime() - started);
                    }
                });
    }

    private static void exceptions(Javalin app) {
        app.exception(
                ApiException.class,
                (e, ctx) -> {
                    if (e.retryAfterSeconds() > 0) {
                        ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
                    }
                    ctx.status(e.status()).json(Map.of("error", e.getMessage()));
                });
        app.exception(
                IllegalArgumentException.class,
                (e, ctx) -> ctx.status(400).json(Map.of("error", e.getMessage())));
        // Every pooled connection busy for DB_POOL_TIMEOUT: overloaded. Say so quickly instead of
        // queueing without bound.
        app.exception(
                SQLTransientConnectionException.class,
                (e, ctx) -> {
                    LOG.warn("request {} shed: {}", ctx.path(), e.getMessage());
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
                        LOG.warn("request {} cancelled by statement_timeout", ctx.path());
                        ctx.status(503)
                                .header("Retry-After", "1")
                                .json(Map.of("error", "search took too long; retry shortly"));
                        return;
                    }
                    internalError(e, ctx);
                });
        app.exception(Exception.class, Routes::internalError);
        app.error(
                404,
                ctx -> {
                    if (!String.valueOf(ctx.res().getContentType())
                            .startsWith("application/json")) {
                        ctx.json(Map.of("error", "no route " + ctx.method() + " " + ctx.path()));
                    }
                });
        app.error(413, ctx -> ctx.json(Map.of("error", "request body too large")));
    }

    private static void internalError(Exception e, Context ctx) {
        LOG.error("request {} failed", ctx.path(), e);
        ctx.status(500).json(Map.of("error", "internal error"));
    }

    private static String routeOf(Context ctx) {
        String path = ctx.endpointHandlerPath();
        return path == null || path.isEmpty() || path.equals("*") ? "unmatched" : path;
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

    private static void limitRate(Context ctx, SearchApi api, RateLimiter limiter) {
        String header = api.config().guard().clientHeader();
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
}
