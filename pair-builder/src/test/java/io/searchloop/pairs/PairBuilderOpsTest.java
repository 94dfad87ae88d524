package io.searchloop.pairs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pair-builder's operations endpoints with no broker at all: live, not ready (naming why),
 * metrics served.
 */
class PairBuilderOpsTest {
    @Test
    void shouldBeLiveButNotReadyWhileItsStreamsDoNotRunAndKafkaIsUnreachable(@TempDir Path state)
            throws Exception {
        int nobody;
        try (ServerSocket s = new ServerSocket(0)) {
            nobody = s.getLocalPort();
        }
        PairBuilderConfig config =
                PairBuilderConfig.fromEnv(
                        Map.of(
                                "KAFKA_BOOTSTRAP_SERVERS",
                                "127.0.0.1:" + nobody,
                                "SCHEMA_REGISTRY_URL",
                                "mock://pair-builder-ops-test",
                                "PAIR_BUILDER_STATE_DIR",
                                state.toString()));
        try (PairBuilderService service = new PairBuilderService(config, (who, cause) -> {})) {
            int port = service.serve("127.0.0.1", 0);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:" + port + "/health/ready"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode checks = new ObjectMapper().readTree(ready.body()).path("checks");
            assertThat(checks.path("streams").asText())
                    .isEqualTo("down: IllegalStateException: Kafka Streams is CREATED");
            assertThat(checks.path("kafka").asText()).startsWith("down");
            assertThat(
                            http.send(
                                            HttpRequest.newBuilder(
                                                            URI.create(
                                                                    "http://127.0.0.1:"
                                                                            + port
                                                                            + "/health/live"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode())
                    .isEqualTo(200);
            String metrics =
                    http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + port
                                                                    + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            assertThat(metrics)
                    .contains(
                            "searchloop_pairs_emitted_total{service=\"pair-builder\",source=\"INTERACTIONS\"} 0.0")
                    .contains("jvm_memory_used_bytes");
        }
    }
}
