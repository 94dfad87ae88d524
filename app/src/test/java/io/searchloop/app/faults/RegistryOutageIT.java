package io.searchloop.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.TrainingPair;
import io.searchloop.schemas.registry.LocalRegistryServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 1 of issue 15: a cold start with the schema registry down for 30 s. The trainer and the
 * embedder run as their own JVMs against a registry URL whose port refuses connections while 100
 * training pairs and 100 catalog items arrive; then a registry starts on that port. Nothing may
 * reach a dead-letter topic and nothing may be committed unapplied: every row appears, and both
 * consumer groups' lag reaches 0.
 */
class RegistryOutageIT {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryOutageIT.class);
    private static final int ITEMS = 100;
    private static final int PAIRS = 100;

    @Test
    void shouldDeadLetterNothingAndLoseNothingWhenTheRegistryIsDownAtColdStart() throws Exception {
        try (FaultRig rig = new FaultRig()) {
            int port = freePort();
            Map<String, String> env = rig.env("http://127.0.0.1:" + port);
            env.put("RETRAIN_MIN_NEW_PAIRS", "100000"); // ingestion only
            env.put("RETRAIN_MIN_INTERVAL", "PT1H");
            rig.start("trainer", env);
            rig.start("embedder", env);

            List<CatalogItem> catalog = FaultRig.catalog(ITEMS);
            List<TrainingPair> pairs = FaultRig.pairs(catalog, PAIRS);
            rig.produceCatalog(catalog);
            rig.producePairs(pairs);
            String catalogTopic = rig.topics.catalog().name();
            String pairsTopic = rig.topics.trainingPairs().name();

            // 30 s without a registry: nothing dead-lettered, nothing applied (so nothing can have
            // been committed unapplied).
            await().during(Duration.ofSeconds(30))
                    .atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(
                            () ->
                                    rig.deadLetters(catalogTopic) + rig.deadLetters(pairsTopic) == 0
                                            && rig.number("SELECT count(*) FROM trainer_pairs")
                                                            + rig.number(
                                                                    "SELECT count(*) FROM catalog_items")
                                                    == 0);
            assertThat(rig.log("trainer")).contains("nothing committed");
            assertThat(rig.log("embedder")).contains("nothing committed");

            try (LocalRegistryServer registry = LocalRegistryServer.start(port, rig.schemas)) {
                assertThat(registry.url())
                        .as("back at the address the services retry")
                        .endsWith(":" + port);
                long up = System.nanoTime();
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(
                                () -> {
                                    assertThat(rig.number("SELECT count(*) FROM trainer_pairs"))
                                            .isEqualTo(PAIRS);
                                    assertThat(rig.number("SELECT count(*) FROM trainer_catalog"))
                                            .isEqualTo(ITEMS);
                                    assertThat(rig.number("SELECT count(*) FROM catalog_items"))
                                            .isEqualTo(ITEMS);
                                    assertThat(rig.activeIndexRows()).isEqualTo(ITEMS);
                                    assertThat(
                                                    rig.lag(
                                                            rig.prefix + "trainer",
                                                            pairsTopic,
                                                            catalogTopic))
                                            .isZero();
                                    assertThat(rig.lag(rig.prefix + "embedder", catalogTopic))
                                            .isZero();
                                });
                LOG.info(
                        "scenario 1: registry down 30 s; caught up {} s after it came back",
                        (System.nanoTime() - up) / 1_000_000_000);
            }
            assertThat(rig.deadLetters(catalogTopic)).isZero();
            assertThat(rig.deadLetters(pairsTopic)).isZero();
            LOG.info(
                    "scenario 1: in {} pairs + {} items; out {} trainer_pairs, {} trainer_catalog, {} catalog_items, {} index rows; dead-lettered 0",
                    PAIRS,
                    ITEMS,
                    rig.number("SELECT count(*) FROM trainer_pairs"),
                    rig.number("SELECT count(*) FROM trainer_catalog"),
                    rig.number("SELECT count(*) FROM catalog_items"),
                    rig.activeIndexRows());
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
