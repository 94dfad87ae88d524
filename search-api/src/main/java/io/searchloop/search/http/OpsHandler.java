package io.searchloop.search.http;

import io.javalin.http.Context;
import io.searchloop.observe.OpsServer;
import io.searchloop.observe.Readiness;
import io.searchloop.search.SearchApi;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Health, Prometheus metrics and the OpenAPI document: what operators and clients read. */
final class OpsHandler {
    private final SearchApi api;

    OpsHandler(SearchApi api) {
        this.api = api;
    }

    void live(Context ctx) {
        ctx.json(Map.of("status", "up"));
    }

    /**
     * 200 when a model is loaded, PostgreSQL and Kafka answer and the event threads run; else 503
     * naming what is not.
     */
    void ready(Context ctx) {
        Readiness.Report report = api.readiness().evaluate();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.ready() ? "ready" : "not ready");
        body.put("checks", report.checks());
        ctx.status(report.ready() ? 200 : 503).json(body);
    }

    void metrics(Context ctx) {
        ctx.contentType(OpsServer.PROMETHEUS_TEXT).result(api.metrics().scrape());
    }

    void openApi(Context ctx) throws IOException {
        ctx.contentType("application/yaml").result(resource("/openapi.yaml"));
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = OpsHandler.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
