package io.searchloop.search.http;

import io.javalin.http.Context;
import io.searchloop.events.RetrainRequested;
import io.searchloop.events.RollbackRequested;
import io.searchloop.search.SearchApi;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * {@code POST /v1/admin/retrain} and {@code POST /v1/admin/rollback/{version}}: each publishes a
 * request for the trainer. Both need the configured bearer token; without one configured, admin
 * does not exist (404).
 */
final class AdminHandler {
    private static final String DEFAULT_REASON = "requested through the admin API";
    private static final String REQUESTED_BY = "search-api admin";

    private final SearchApi api;

    AdminHandler(SearchApi api) {
        this.api = api;
    }

    void retrain(Context ctx) {
        requireAdmin(ctx);
        publish(
                api.topics().retrainRequests().name(),
                RetrainRequested.newBuilder()
                        .setModelName(api.config().modelName())
                        .setReason(reason(ctx))
                        .setRequestedBy(REQUESTED_BY)
                        .setRequestedAt(Instant.now())
                        .build());
        ctx.status(202).json(Map.of("status", "retrain requested"));
    }

    void rollback(Context ctx) {
        requireAdmin(ctx);
        String version = ctx.pathParam("version");
        if (!version.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ApiException(400, "version must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        publish(
                api.topics().rollbackRequests().name(),
                RollbackRequested.newBuilder()
                        .setModelName(api.config().modelName())
                        .setVersion(version)
                        .setReason(reason(ctx))
                        .setRequestedBy(REQUESTED_BY)
                        .setRequestedAt(Instant.now())
                        .build());
        ctx.status(202).json(Map.of("status", "rollback to " + version + " requested"));
    }

    /** Keyed by model name, so that the trainer sees one model's requests in order. */
    private void publish(String topic, SpecificRecord request) {
        api.publisher().publish(topic, api.config().modelName(), request);
    }

    /** The optional body's {@code reason}; the body itself may be empty. */
    private static String reason(Context ctx) {
        return JsonBody.readIfPresent(ctx)
                .flatMap(body -> body.optionalText("reason", 500))
                .orElse(DEFAULT_REASON);
    }

    private void requireAdmin(Context ctx) {
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
}
