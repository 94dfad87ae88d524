package io.searchloop.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean loopRunning = new AtomicBoolean(true);
    private ServiceOps ops;
    private int port;

    @BeforeEach
    void start() throws Exception {
        ops = new ServiceOps("unit");
        ops.readiness().add("loop", loopRunning::get);
        port = ops.serve("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        ops.close();
    }

    private HttpResponse<String> request(String method, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldBeLiveAndReadyWhileEveryCheckHolds() throws Exception {
        assertThat(request("GET", "/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = request("GET", "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.path("status").asText()).isEqualTo("ready");
        assertThat(body.path("checks").path("loop").asText()).isEqualTo("up");
    }

    @Test
    void shouldAnswer503NamingTheLoopThatDied() throws Exception {
        loopRunning.set(false);
        HttpResponse<String> ready = request("GET", "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(ready.body()).path("checks").path("loop").asText())
                .isEqualTo("down");
        assertThat(request("GET", "/health/live").statusCode())
                .as("the process is still up")
                .isEqualTo(200);
    }

    @Test
    void shouldAnswer503WhenKafkaCannotBeReached() throws Exception {
        ops.requireKafka("127.0.0.1:" + freePort());
        HttpResponse<String> ready = request("GET", "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode checks = JSON.readTree(ready.body()).path("checks");
        assertThat(checks.path("loop").asText()).isEqualTo("up");
        assertThat(checks.path("kafka").asText()).startsWith("down");
    }

    @Test
    void shouldServePrometheusTextWithHelpJvmMetricsAndTheServiceTag() throws Exception {
        Counter.builder("searchloop.unit.things")
                .description("Things done.")
                .register(ops.metrics().registry())
                .increment(3);
        HttpResponse<String> metrics = request("GET", "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body())
                .contains("# HELP searchloop_unit_things_total Things done.")
                .contains("# TYPE searchloop_unit_things_total counter")
                .contains("searchloop_unit_things_total{service=\"unit\"} 3.0")
                .contains("jvm_memory_used_bytes{")
                .contains("jvm_gc_")
                .contains("jvm_threads_live_threads")
                .contains("process_cpu_usage")
                .contains("process_uptime_seconds")
                .contains("jvm_classes_loaded_classes");
    }

    @Test
    void shouldAnswerUnknownRoutesAndMethodsWithJsonErrors() throws Exception {
        HttpResponse<String> missing = request("GET", "/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("error").asText())
                .isEqualTo("no route GET /nope");
        HttpResponse<String> post = request("POST", "/metrics");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(post.body()).path("error").asText()).contains("POST");
    }

    @Test
    void shouldNameTheServiceAndAddressWhenThePortIsTaken() {
        try (ServiceOps other = new ServiceOps("other")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> other.serve("127.0.0.1", port))
                    .isInstanceOf(java.net.BindException.class)
                    .hasMessageStartingWith(
                            "other cannot serve /metrics and /health on 127.0.0.1:" + port);
        }
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
