package io.searchloop.search.http;

import io.javalin.http.Context;
import io.searchloop.events.SearchPerformed;
import io.searchloop.events.SearchResult;
import io.searchloop.schemas.keys.QueryNormalizer;
import io.searchloop.search.SearchApi;
import io.searchloop.search.model.ActiveModel;
import io.searchloop.search.query.Hit;
import io.searchloop.search.query.SearchMode;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /v1/search}: validates the query, searches with the active model (or lexically), logs
 * the search to Kafka and answers the hits with the impression token that engagements must carry.
 */
final class SearchHandler {
    static final int MAX_QUERY = 256;

    private final SearchApi api;

    SearchHandler(SearchApi api) {
        this.api = api;
    }

    void search(Context ctx) throws SQLException {
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
        ctx.attribute(Routes.MODE_ATTRIBUTE, mode.label());
        String category = ctx.queryParam("category");
        if (category != null && (category.isBlank() || category.length() > 200)) {
            throw new ApiException(400, "category must be 1 to 200 characters");
        }
        Optional<ActiveModel> acquired = api.models().acquire();
        if (acquired.isEmpty() && mode != SearchMode.LEXICAL) {
            throw ApiException.unavailable(
                    "no model is loaded yet; try mode=lexical or retry shortly");
        }
        String version = acquired.map(ActiveModel::version).orElse(null);
        SearchMode served = api.searcher().served(mode);
        // Counted and timed by the mode that answered: a hybrid search answered by vectors alone
        // (the lexical index still loading) has a vector search's cost and scores.
        ctx.attribute(Routes.MODE_ATTRIBUTE, served.label());
        List<Hit> hits;
        try {
            hits = api.searcher().search(served, acquired.orElse(null), normalized, category, k);
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
        api.metrics().searched(served.label());
        String sessionId = sessionId(ctx);
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
        body.put("retrievals", served.retrievals());
        body.put("results", results);
        ctx.json(body);
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

    /** The client's session from {@code ?sessionId} or {@code X-Session-Id}; null when unusable. */
    private static String sessionId(Context ctx) {
        String s =
                Optional.ofNullable(ctx.queryParam("sessionId")).orElse(ctx.header("X-Session-Id"));
        return s == null || s.isBlank() || s.length() > 128 ? null : s;
    }
}
