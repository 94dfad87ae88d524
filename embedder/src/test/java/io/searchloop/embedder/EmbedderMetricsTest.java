package io.searchloop.embedder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.observe.ServiceMetrics;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbedderMetricsTest {
    @Test
    void shouldNameBuildProgressOutcomesAndTheActiveIndexWithHelp() {
        try (ServiceMetrics registry = new ServiceMetrics("embedder")) {
            EmbedderMetrics metrics = new EmbedderMetrics(registry.registry());
            metrics.phases().begin("encode", 5000);
            metrics.phases().advance(1280);
            metrics.build("activated");
            metrics.active("v7", 4999);
            String tag = "service=\"embedder\"";
            assertThat(registry.scrape())
                    .contains("# HELP searchloop_embedder_builds_total Index switches by outcome")
                    .contains(
                            "searchloop_embedder_builds_total{outcome=\"activated\","
                                    + tag
                                    + "} 1.0")
                    .contains(
                            "searchloop_embedder_builds_total{outcome=\"failed\"," + tag + "} 0.0")
                    .contains("searchloop_embedder_phase{phase=\"encode\"," + tag + "} 1.0")
                    .contains("searchloop_embedder_phase_done{" + tag + "} 1280.0")
                    .contains("searchloop_embedder_phase_planned{" + tag + "} 5000.0")
                    .contains("searchloop_embedder_active_version{" + tag + "} 7.0")
                    .contains("searchloop_embedder_active_items{" + tag + "} 4999.0");
            metrics.active("base", 10);
            assertThat(registry.scrape())
                    .contains("searchloop_embedder_active_version{" + tag + "} 0.0");
            assertThatThrownBy(() -> metrics.build("exploded"))
                    .hasMessageContaining("unknown build outcome exploded");
        }
    }

    @Test
    void shouldNotBeReadyWhileIngestionIsNotRunningAndItsDependenciesAreUnreachable()
            throws Exception {
        int nobody;
        try (ServerSocket s = new ServerSocket(0)) {
            nobody = s.getLocalPort();
        }
        EmbedderConfig config =
                EmbedderConfig.fromEnv(
                        Map.of(
                                "KAFKA_BOOTSTRAP_SERVERS",
                                "127.0.0.1:" + nobody,
                                "SCHEMA_REGISTRY_URL",
                                "mock://embedder-ops-test",
                                "DATABASE_URL",
                                "jdbc:postgresql://127.0.0.1:"
                                        + nobody
                                        + "/nothing?user=u&password=p"));
        assertThat(config.httpPort()).isEqualTo(8083);
        try (EmbedderService service = new EmbedderService(config)) {
            var report = service.ops().readiness().evaluate();
            assertThat(report.ready()).isFalse();
            assertThat(report.checks())
                    .containsEntry(
                            "ingest",
                            "down: IllegalStateException: the ingestion loop is not running")
                    .containsEntry("index-loop", "up");
            assertThat(report.checks().get("database")).startsWith("down: ");
            assertThat(report.checks().get("kafka")).startsWith("down");
        }
    }
}
