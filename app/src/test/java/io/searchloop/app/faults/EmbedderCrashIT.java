package io.searchloop.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.searchloop.encoder.BaseModel;
import io.searchloop.encoder.TinyModels;
import io.searchloop.encoder.weights.ModelChecksum;
import io.searchloop.events.CatalogItem;
import io.searchloop.events.ModelStatus;
import io.searchloop.events.ModelVersion;
import io.searchloop.schemas.registry.LocalRegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 4 of issue 15: the embedder JVM is SIGKILLed while it re-encodes the catalog for a newly
 * promoted version. The active index must stay the old one, complete, throughout; the restarted
 * embedder completes the build and switches to it with every item.
 */
class EmbedderCrashIT {
    private static final Logger LOG = LoggerFactory.getLogger(EmbedderCrashIT.class);
    private static final int ITEMS = 300;

    @Test
    void shouldKeepServingTheOldIndexAndFinishTheBuildAfterASigkill() throws Exception {
        try (FaultRig rig = new FaultRig();
                LocalRegistryServer registry = LocalRegistryServer.start(0, rig.schemas)) {
            Map<String, String> env = rig.env(registry.url());
            Path tiny = TinyModels.write(rig.dir.resolve("tiny"), 5);
            env.put("BASE_MODEL", tiny.toString()); // the first index: quick
            env.put(
                    "EMBED_BATCH_SIZE",
                    "10"); // the MiniLM build: slow enough to be killed half-way
            List<CatalogItem> catalog = FaultRig.catalog(ITEMS);
            rig.produceCatalog(catalog);
            Process embedder = rig.start("embedder", env);
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> "base".equals(active(rig)) && rig.activeIndexRows() == ITEMS);
            String baseTable = rig.text("SELECT table_name FROM active_index");

            Path minilm = BaseModel.directory();
            rig.produce(
                    rig.topics.modelVersions(),
                    List.of(
                            Map.entry(
                                    "catalog-encoder:v2",
                                    ModelVersion.newBuilder()
                                            .setModelName("catalog-encoder")
                                            .setVersion("v2")
                                            .setBaseModel("test")
                                            .setArtifactUri(minilm.toUri().toString())
                                            .setSha256(ModelChecksum.sha256(minilm))
                                            .setStatus(ModelStatus.PROMOTED)
                                            .setPairCount(0)
                                            .setCreatedAt(Instant.now())
                                            .build())));
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> rowsOf(rig, "v2") >= 30);
            embedder.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL mid-build
            long builtAtKill = rowsOf(rig, "v2");
            assertThat(builtAtKill).isLessThan(ITEMS);
            assertThat(active(rig)).isEqualTo("base");
            assertThat(rig.activeIndexRows()).isEqualTo(ITEMS);
            LOG.info(
                    "scenario 4: killed the embedder with {} of {} rows of v2 built; active index {} with {} rows",
                    builtAtKill,
                    ITEMS,
                    baseTable,
                    rig.activeIndexRows());

            rig.start("embedder", env);
            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(
                            () -> {
                                assertThat(active(rig)).isEqualTo("v2");
                                assertThat(rig.activeIndexRows()).isEqualTo(ITEMS);
                            });
            assertThat(rig.text("SELECT status FROM embedding_indexes WHERE model_version = 'v2'"))
                    .isEqualTo("READY");
            LOG.info(
                    "scenario 4: the restarted embedder activated v2 with {} rows",
                    rig.activeIndexRows());
        }
    }

    private static String active(FaultRig rig) throws Exception {
        return rig.text(
                "SELECT model_version FROM active_index WHERE model_name = 'catalog-encoder'");
    }

    private static long rowsOf(FaultRig rig, String version) throws Exception {
        String table =
                rig.text(
                        "SELECT table_name FROM embedding_indexes WHERE model_version = '"
                                + version
                                + "'");
        return table == null ? 0 : rig.number("SELECT count(*) FROM " + table);
    }
}
