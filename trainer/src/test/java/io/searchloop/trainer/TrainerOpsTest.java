package io.searchloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.observe.Readiness;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's readiness with nothing running: its ingestion loop, PostgreSQL and Kafka each named
 * as down.
 */
class TrainerOpsTest {
    @Test
    void shouldNotBeReadyWhileItsLoopIsNotRunningAndItsDependenciesAreUnreachable(
            @TempDir Path store) throws Exception {
        int nobody;
        try (ServerSocket s = new ServerSocket(0)) {
            nobody = s.getLocalPort();
        }
        TrainerConfig config =
                TrainerConfig.fromEnv(
                        Map.of(
                                "KAFKA_BOOTSTRAP_SERVERS",
                                "127.0.0.1:" + nobody,
                                "SCHEMA_REGISTRY_URL",
                                "mock://trainer-ops-test",
                                "DATABASE_URL",
                                "jdbc:postgresql://127.0.0.1:"
                                        + nobody
                                        + "/nothing?user=u&password=p",
                                "MODEL_STORE_DIR",
                                store.toString()));
        try (TrainerService service = new TrainerService(config, (who, cause) -> {})) {
            Readiness.Report report = service.ops().readiness().evaluate();
            assertThat(report.ready()).isFalse();
            assertThat(report.checks())
                    .containsEntry(
                            "ingest",
                            "down: IllegalStateException: the ingestion loop is not running");
            assertThat(report.checks().get("database")).startsWith("down: ");
            assertThat(report.checks().get("kafka")).startsWith("down");
            assertThat(service.ops().metrics().scrape())
                    .contains(
                            "searchloop_ingest_alive{loop=\"trainer-ingest\",service=\"trainer\"} 0.0");
        }
    }
}
