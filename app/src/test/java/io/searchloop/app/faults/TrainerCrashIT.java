package io.searchloop.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.searchloop.encoder.TinyModels;
import io.searchloop.events.CatalogItem;
import io.searchloop.events.RetrainRequested;
import io.searchloop.schemas.registry.LocalRegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 2 of issue 15: the trainer JVM is SIGKILLed the moment its first artifact directory
 * appears (between the rename and the database commit, or just after it), then started again and
 * asked to retrain. The next round must succeed — no "already exists", no version number reused —
 * the model store must hold exactly the recorded versions, and the embedder's requested version
 * must equal the trainer's production version.
 */
class TrainerCrashIT {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerCrashIT.class);

    @Test
    void shouldRecoverFromASigkillRightAfterTheArtifactAppears() throws Exception {
        try (FaultRig rig = new FaultRig();
                LocalRegistryServer registry = LocalRegistryServer.start(0, rig.schemas)) {
            Map<String, String> env = rig.env(registry.url());
            env.put("RETRAIN_MIN_NEW_PAIRS", "100");
            env.put("RETRAIN_MIN_INTERVAL", "PT0S");
            env.put("TRAINER_CHECK_INTERVAL", "PT1S");
            env.put("HOLDOUT_FRACTION", "0.2");
            env.put("TRAIN_EPOCHS", "1");
            env.put("TRAIN_BATCH_SIZE", "8");
            env.put("TRAIN_MAX_STEPS", "3");
            // The gate is not under test: every round promotes.
            env.put("PROMOTE_MIN_NDCG_GAIN", "-1");
            env.put("PROMOTE_MAX_CATALOG_RECALL_DROP", "1");
            env.put("FORGETTING_MAX_ROUND_DROP", "2");
            env.put("FORGETTING_MAX_TOTAL_DROP", "2");
            // A tiny BERT as the base model of both services: the crash is under test, not MiniLM's
            // speed.
            env.put("BASE_MODEL", TinyModels.write(rig.dir.resolve("tiny"), 11).toString());
            Path versions = rig.dir.resolve("models").resolve("catalog-encoder");

            List<CatalogItem> catalog = FaultRig.catalog(60);
            rig.produceCatalog(catalog);
            rig.producePairs(
                    FaultRig.pairs(
                            catalog,
                            120)); // 120 distinct pairs: a positive and a negative per item
            Process trainer = rig.start("trainer", env);
            rig.start("embedder", env);

            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> Files.isDirectory(versions.resolve("v1")));
            trainer.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
            String recordedAtKill =
                    String.valueOf(
                            rig.text(
                                    "SELECT string_agg(version || ' ' || status, ', ') FROM model_versions"));
            LOG.info(
                    "scenario 2: killed the trainer as v1/ appeared; the database then recorded: {}",
                    recordedAtKill);

            Instant restarted = Instant.now();
            rig.start("trainer", env);
            rig.produce(
                    rig.topics.retrainRequests(),
                    List.of(
                            Map.entry(
                                    "catalog-encoder",
                                    RetrainRequested.newBuilder()
                                            .setModelName("catalog-encoder")
                                            .setReason("after a crash")
                                            .setRequestedBy("TrainerCrashIT")
                                            .setRequestedAt(Instant.now())
                                            .build())));

            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(
                            () ->
                                    rig.number(
                                                    "SELECT count(*) FROM model_versions WHERE status = 'PROMOTED' AND updated_at > '"
                                                            + restarted
                                                            + "'")
                                            >= 1);
            String production =
                    rig.text(
                            "SELECT version FROM model_versions WHERE status = 'PROMOTED' ORDER BY updated_at DESC LIMIT 1");
            assertThat(production)
                    .isNotEqualTo("v1")
                    .as("a new round, with a number never used before");
            assertThat(rig.log("trainer")).doesNotContain("already exists");

            Set<String> recorded =
                    Set.copyOf(
                            List.of(
                                    rig.text("SELECT string_agg(version, ',') FROM model_versions")
                                            .split(",")));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(directories(versions)).isEqualTo(recorded));
            await().atMost(Duration.ofMinutes(2))
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    rig.text(
                                                            "SELECT model_version FROM index_requests WHERE model_name = 'catalog-encoder'"))
                                            .isEqualTo(production));
            LOG.info(
                    "scenario 2: after restart {} promoted; versions recorded {}; artifacts {}; embedder requested {}",
                    production,
                    recorded,
                    directories(versions),
                    production);
        }
    }

    private static Set<String> directories(Path dir) throws Exception {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .collect(Collectors.toSet());
        }
    }
}
