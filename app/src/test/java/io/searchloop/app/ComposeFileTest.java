package io.searchloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The rules an operator relies on when running {@code docker compose up} from the repository,
 * checked on the files themselves (no Docker engine runs on the build machines; CI also runs
 * Compose v2's {@code config}). SnakeYAML resolves the file's anchors and merge keys as Compose
 * does.
 */
class ComposeFileTest {
    private static final Path ROOT = Path.of("..");
    private static final List<String> SERVICES =
            List.of("pair-builder", "trainer", "embedder", "search-api");
    private static final String LOCAL_ONLY = "${BIND_ADDRESS:-127.0.0.1}:";
    private static String text;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        text = Files.readString(ROOT.resolve("docker-compose.yml"));
        Map<String, Object> compose = new Yaml().load(text);
        assertThat(compose).as("the obsolete top-level version key").doesNotContainKey("version");
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void shouldBuildEverySearchloopImageFromTheRepositoryInsteadOfPullingIt() {
        List<String> ours =
                services.entrySet().stream()
                        .filter(
                                e ->
                                        String.valueOf(e.getValue().get("image"))
                                                .startsWith("searchloop:"))
                        .map(Map.Entry::getKey)
                        .toList();
        assertThat(ours).containsAll(SERVICES).contains("topics");
        for (String name : ours) {
            assertThat(services.get(name))
                    .as(name)
                    .containsEntry("build", ".")
                    .containsEntry("pull_policy", "build");
        }
    }

    @Test
    void shouldPublishHostPortsOnLoopbackUnlessTheOperatorSaysOtherwise() {
        services.forEach(
                (name, service) -> {
                    Object ports = service.get("ports");
                    if (ports != null) {
                        assertThat((List<?>) ports)
                                .as(name)
                                .allSatisfy(
                                        p -> assertThat(String.valueOf(p)).startsWith(LOCAL_ONLY));
                    }
                });
    }

    @Test
    void shouldRequireThePostgresPasswordInsteadOfDefaultingIt() throws IOException {
        assertThat(text)
                .contains("${POSTGRES_PASSWORD:?")
                .doesNotContain("${POSTGRES_PASSWORD:-")
                .doesNotContain("${POSTGRES_PASSWORD}");
        assertThat(Files.readAllLines(ROOT.resolve(".env.example"))).contains("POSTGRES_PASSWORD=");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldStartServicesOnlyWhenTheirDependenciesAreHealthy() {
        for (String name : SERVICES) {
            Map<String, Map<String, String>> dependsOn =
                    (Map<String, Map<String, String>>) services.get(name).get("depends_on");
            assertThat(dependsOn)
                    .as(name)
                    .containsKeys("kafka", "schema-registry", "postgres", "topics");
            for (String dependency : List.of("kafka", "schema-registry", "postgres")) {
                assertThat(dependsOn.get(dependency))
                        .as(name + " on " + dependency)
                        .containsEntry("condition", "service_healthy");
            }
            assertThat(dependsOn.get("topics"))
                    .containsEntry("condition", "service_completed_successfully");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldAdvertiseTheKafkaPortThatIsPublished() {
        Map<String, String> env = (Map<String, String>) services.get("kafka").get("environment");
        assertThat(env.get("KAFKA_ADVERTISED_LISTENERS"))
                .contains("HOST://${KAFKA_ADVERTISED_HOST:-localhost}:${KAFKA_HOST_PORT:-29092}");
        assertThat(env.get("KAFKA_LISTENERS")).contains("HOST://:${KAFKA_HOST_PORT:-29092}");
        assertThat((List<String>) services.get("kafka").get("ports"))
                .containsExactly(
                        LOCAL_ONLY + "${KAFKA_HOST_PORT:-29092}:${KAFKA_HOST_PORT:-29092}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldTakeJvmOptionsFromTheEnvironmentAndKeepModelsAndCachesOnVolumes() {
        for (String name : SERVICES) {
            Map<String, String> env = (Map<String, String>) services.get(name).get("environment");
            assertThat(env)
                    .as(name)
                    .containsKey("JAVA_OPTS")
                    .containsEntry("SCHEMA_REGISTRY_URL", "http://schema-registry:8081");
        }
        for (String name : List.of("trainer", "embedder", "search-api")) {
            assertThat((List<String>) services.get(name).get("volumes"))
                    .as(name)
                    .contains(
                            "model-store:/var/lib/searchloop/models",
                            "model-cache:/var/lib/searchloop/cache");
        }
        assertThat((List<String>) services.get("pair-builder").get("volumes"))
                .contains("streams-state:/var/lib/searchloop/streams");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldCheckEveryServiceThroughItsReadinessEndpointOnItsOwnPort() {
        for (String name : SERVICES) {
            Map<String, Object> check = (Map<String, Object>) services.get(name).get("healthcheck");
            assertThat(check).as(name + " healthcheck").isNotNull();
            assertThat(String.valueOf(check.get("test")))
                    .as(name)
                    .contains("/dev/tcp/localhost/" + httpPort(name) + " ")
                    .contains("GET /health/ready");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldScrapeEveryServiceWithPrometheusAndProvisionGrafana() throws IOException {
        Map<String, Object> prometheus =
                new Yaml()
                        .load(Files.readString(ROOT.resolve("compose/prometheus/prometheus.yml")));
        List<String> targets =
                ((List<Map<String, Object>>) prometheus.get("scrape_configs"))
                        .stream()
                                .flatMap(
                                        job ->
                                                ((List<Map<String, List<String>>>)
                                                                job.get("static_configs"))
                                                        .stream())
                                .flatMap(c -> c.get("targets").stream())
                                .toList();
        for (String name : SERVICES) {
            assertThat(targets).as("Prometheus targets").contains(name + ":" + httpPort(name));
        }
        assertThat((List<String>) services.get("prometheus").get("volumes"))
                .contains("./compose/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        Map<String, String> grafana =
                (Map<String, String>) services.get("grafana").get("environment");
        assertThat(grafana.get("GF_SECURITY_ADMIN_PASSWORD"))
                .startsWith("${GRAFANA_ADMIN_PASSWORD:?");
        assertThat((List<String>) services.get("grafana").get("volumes"))
                .contains(
                        "./compose/grafana/provisioning:/etc/grafana/provisioning:ro",
                        "./compose/grafana/dashboards:/var/lib/grafana/dashboards:ro");
        assertThat(ROOT.resolve("compose/grafana/dashboards/searchloop.json")).exists();
        assertThat(Files.readAllLines(ROOT.resolve(".env.example")))
                .contains("GRAFANA_ADMIN_PASSWORD=");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldChartOnlySeriesTheScrapeTestFoundInARealRun() throws IOException {
        Set<String> scraped = new HashSet<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/expected-metrics.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                scraped.add(line.split("\\s+", -1)[1].replaceFirst("\\{.*", ""));
            }
        }
        Map<String, Object> dashboard =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readValue(
                                ROOT.resolve("compose/grafana/dashboards/searchloop.json").toFile(),
                                Map.class);
        List<String> expressions =
                ((List<Map<String, Object>>) dashboard.get("panels"))
                        .stream()
                                .flatMap(
                                        p ->
                                                ((List<Map<String, Object>>)
                                                                p.getOrDefault(
                                                                        "targets", List.of()))
                                                        .stream())
                                .map(t -> (String) t.get("expr"))
                                .toList();
        assertThat(expressions).hasSizeGreaterThan(20);
        Matcher series =
                Pattern.compile("\\b((?:searchloop|kafka|jvm|process|hikaricp|system)_[a-z0-9_]+)")
                        .matcher(String.join("\n", expressions));
        Set<String> charted = new HashSet<>();
        while (series.find()) {
            charted.add(series.group(1));
        }
        assertThat(charted).as("series the dashboard charts").isNotEmpty().isSubsetOf(scraped);
        for (String name :
                List.of(
                        "searchloop_searches_total",
                        "searchloop_http_request_duration_seconds_bucket",
                        "searchloop_pairs_interactions_dropped_total",
                        "kafka_consumer_fetch_manager_records_lag_max",
                        "searchloop_trainer_loss",
                        "searchloop_trainer_eta_seconds",
                        "searchloop_embedder_builds_total",
                        "searchloop_trainer_production_version")) {
            assertThat(charted).as("the issue's panels").contains(name);
        }
    }

    /** The port a service's HTTP server (metrics and health) listens on inside its container. */
    @SuppressWarnings("unchecked")
    private static String httpPort(String service) {
        Map<String, String> env = (Map<String, String>) services.get(service).get("environment");
        String key =
                service.equals("search-api")
                        ? "HTTP_PORT"
                        : service.toUpperCase(Locale.ROOT).replace('-', '_') + "_HTTP_PORT";
        assertThat(env).as(service).containsKey(key);
        return env.get(key);
    }

    @Test
    void shouldRunTheImageAsAnUnprivilegedUserWithHeapAndCachesFromTheEnvironment()
            throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"));
        List<String> users = lines.stream().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).isNotEmpty();
        assertThat(users.get(users.size() - 1)).isNotIn("USER root", "USER 0");
        assertThat(String.join("\n", lines))
                .doesNotContain("-Xmx")
                .contains("MaxRAMPercentage")
                .contains("DJL_CACHE_DIR=/var/lib/searchloop/cache");
    }
}
