package io.searchloop.search.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.searchloop.schemas.contracts.PublishedVersions;
import io.searchloop.search.SearchApi;
import io.searchloop.search.model.ActiveModel;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/models/active} (the model this process searches with) and {@code GET /v1/models}
 * (the trainer's version history, read through the contract the trainer publishes).
 */
final class ModelsHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SearchApi api;

    ModelsHandler(SearchApi api) {
        this.api = api;
    }

    void active(Context ctx) {
        ActiveModel m =
                api.models()
                        .peek()
                        .orElseThrow(() -> new ApiException(503, "no model is loaded yet"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("modelName", api.config().modelName());
        body.put("version", m.version());
        body.put("index", m.table());
        body.put("dimension", m.encoder().dimension());
        body.put("engine", m.encoder().engine());
        body.put("activatedAt", m.activatedAt().toString());
        ctx.json(body);
    }

    void versions(Context ctx) throws SQLException {
        ctx.json(Map.of("modelName", api.config().modelName(), "versions", readVersions()));
    }

    /** The trainer's version history, read-only; empty when the trainer's tables are elsewhere. */
    private List<Map<String, Object>> readVersions() throws SQLException {
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
            } catch (IOException e) {
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
}
