package io.searchloop.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.searchloop.embedder.index.IndexRepository;
import io.searchloop.encoder.TinyModels;
import io.searchloop.events.CatalogItem;
import io.searchloop.schemas.registry.LocalRegistryServer;
import io.searchloop.testkit.EmbeddedKafkaBroker;
import io.searchloop.testkit.KafkaFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 3b of issue 15: the broker goes away between the embedder's write and its commit. The
 * broker runs as its own process (the shared one of the test JVM cannot be stopped), the embedder
 * as another. The test holds a lock on one row of the active index, so the embedder's poll of a
 * wave of changes is caught with its catalog rows written and its index write waiting; then the
 * broker is SIGKILLed, the lock released (the write completes in PostgreSQL, the offsets cannot be
 * committed), and the broker stays away for {@code OUTAGE} (90 s as in the issue; the system
 * property {@code searchloop.brokerOutage} shortens it for a quick local run, to no less than 40 s:
 * the failed commit takes 30 s to give up) before it is started again on the same port over the
 * same storage. Afterwards: every change applied once, no stale row in the active index, nothing
 * dead-lettered, lag 0, the embedder's process alive and its loop applying a later wave.
 */
class BrokerOutageIT {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageIT.class);
    private static final int ITEMS = 100;
    private static final Duration OUTAGE =
            Duration.parse(System.getProperty("searchloop.brokerOutage", "PT90S"));

    @Test
    void shouldLoseAndRepeatNothingWhenTheBrokerDiesBetweenAWriteAndItsCommit() throws Exception {
        Path brokerDir =
                Files.createDirectories(
                        Path.of("target", "faults", KafkaFixture.uniqueName("broker"))
                                .toAbsolutePath());
        try (BrokerProcess broker =
                        new BrokerProcess(
                                brokerDir,
                                EmbeddedKafkaBroker.freePort(),
                                EmbeddedKafkaBroker.freePort());
                FaultRig rig = new FaultRig(broker.start());
                LocalRegistryServer registry = LocalRegistryServer.start(0, rig.schemas)) {
            Map<String, String> env = rig.env(registry.url());
            env.put("BASE_MODEL", TinyModels.write(rig.dir.resolve("tiny"), 7).toString());
            String group = rig.prefix + "embedder";
            String catalogTopic = rig.topics.catalog().name();
            rig.produceCatalog(FaultRig.catalog(ITEMS));
            Process embedder = rig.start("embedder", env);
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    rig.activeIndexRows() == ITEMS
                                            && rig.lag(group, catalogTopic) == 0);
            String table = rig.text("SELECT table_name FROM active_index");

            long retriesBefore;
            long writtenDuringOutage;
            long outageMillis;
            try (RowLock indexRow =
                    RowLock.take(rig, table, "product_id", DatabaseOutageIT.LOCKED)) {
                rig.produceCatalog(wave(1));
                indexRow.awaitBlockedWriter(rig, "INSERT INTO " + table);
                long uncommitted = rig.lag(group, catalogTopic);
                assertThat(uncommitted).as("the poll being written is not committed").isPositive();
                retriesBefore = retries(rig);
                broker.kill();
                long down = System.nanoTime();
                indexRow.release();
                // The write completes in PostgreSQL while no commit can reach the broker.
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () ->
                                        writtenAtWave(rig, 1, DatabaseOutageIT.LOCKED)
                                                && staleRows(rig, table).isEmpty());
                writtenDuringOutage =
                        rig.number("SELECT count(*) FROM catalog_items WHERE title LIKE '% v1'");
                LOG.info(
                        "scenario 3b: broker killed with {} records not committed; {} of them in PostgreSQL (the index write finished after the kill)",
                        uncommitted,
                        writtenDuringOutage);
                Duration left = OUTAGE.minusNanos(System.nanoTime() - down);
                left = left.isNegative() ? Duration.ofSeconds(1) : left;
                await().during(left)
                        .atMost(left.plusSeconds(5))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(embedder::isAlive);
                assertThat(retries(rig))
                        .as("the commit failed and the poll was put back, not committed")
                        .isGreaterThan(retriesBefore);
                broker.start();
                outageMillis = (System.nanoTime() - down) / 1_000_000;
            }
            long up = System.nanoTime();
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertCaughtUp(rig, table, 1));
            long recoveredMillis = (System.nanoTime() - up) / 1_000_000;
            long retriesDuringOutage = retries(rig) - retriesBefore;

            // The loop goes on after the outage: a later wave lands too.
            rig.produceCatalog(wave(2));
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertCaughtUp(rig, table, 2));
            assertThat(embedder.isAlive())
                    .as(
                            "the ingestion loop survived the outage; a loop that gives up ends the process")
                    .isTrue();
            assertThat(rig.deadLetters(catalogTopic)).isZero();
            assertThat(rig.number("SELECT count(DISTINCT id) FROM catalog_items")).isEqualTo(ITEMS);
            LOG.info(
                    "scenario 3b: in {} catalog records ({} items, 2 waves of changes); broker down {} ms ({} polls put back, nothing committed); "
                            + "caught up {} ms after it came back; out {} items at their last version, {} index rows, 0 stale, 0 dead-lettered, lag 0",
                    3 * ITEMS,
                    ITEMS,
                    outageMillis,
                    retriesDuringOutage,
                    recoveredMillis,
                    rig.number("SELECT count(*) FROM catalog_items WHERE title LIKE '% v2'"),
                    rig.activeIndexRows());
        }
    }

    private static void assertCaughtUp(FaultRig rig, String table, int wave) throws Exception {
        assertThat(
                        rig.number(
                                "SELECT count(*) FROM catalog_items WHERE title LIKE '% v"
                                        + wave
                                        + "'"))
                .isEqualTo(ITEMS);
        assertThat(rig.activeIndexRows()).isEqualTo(ITEMS);
        assertThat(staleRows(rig, table)).isEmpty();
        assertThat(rig.lag(rig.prefix + "embedder", rig.topics.catalog().name())).isZero();
    }

    private static List<CatalogItem> wave(int wave) {
        List<CatalogItem> changed = new ArrayList<>();
        for (CatalogItem item : FaultRig.catalog(ITEMS)) {
            changed.add(
                    CatalogItem.newBuilder(item)
                            .setTitle(item.getTitle() + " v" + wave)
                            .setUpdatedAt(Instant.now())
                            .build());
        }
        return changed;
    }

    private static boolean writtenAtWave(FaultRig rig, int wave, String id) throws Exception {
        return rig.number(
                        "SELECT count(*) FROM catalog_items WHERE id = '"
                                + id
                                + "' AND title LIKE '% v"
                                + wave
                                + "'")
                == 1;
    }

    /** How often the embedder's ingestion put a poll back (its log says so each time). */
    private static long retries(FaultRig rig) throws IOException {
        return rig.log("embedder").lines().filter(l -> l.contains("nothing committed")).count();
    }

    private static List<String> staleRows(FaultRig rig, String table) throws Exception {
        try (Connection c = rig.db.url().connect()) {
            return new IndexRepository().stale(c, table);
        }
    }

    /**
     * The broker as a process of its own ({@link StandaloneBroker}) on fixed ports over {@code
     * dir}: killed and started again.
     */
    private static final class BrokerProcess implements AutoCloseable {
        private final Path dir;
        private final int port;
        private final int controllerPort;
        private Process process;

        BrokerProcess(Path dir, int port, int controllerPort) {
            this.dir = dir;
            this.port = port;
            this.controllerPort = controllerPort;
        }

        /** Starts it and waits until it answers; returns its bootstrap servers. */
        String start() throws IOException {
            ProcessBuilder builder =
                    new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-Xmx512m",
                            "-Dlogback.configurationFile="
                                    + System.getProperty("logback.configurationFile", ""),
                            "-cp",
                            System.getProperty("java.class.path"),
                            StandaloneBroker.class.getName());
            builder.environment()
                    .putAll(
                            Map.of(
                                    "BROKER_DIR",
                                    dir.resolve("storage").toString(),
                                    "BROKER_PORT",
                                    Integer.toString(port),
                                    "CONTROLLER_PORT",
                                    Integer.toString(controllerPort)));
            builder.redirectErrorStream(true)
                    .redirectOutput(
                            ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()));
            process = builder.start();
            String bootstrap = "127.0.0.1:" + port;
            Process started = process;
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .failFast(
                            "the broker process ended; see " + dir.resolve("broker.log"),
                            () -> !started.isAlive())
                    .until(
                            () -> {
                                try (Admin admin =
                                        Admin.create(
                                                Map.of(
                                                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                                        bootstrap,
                                                        AdminClientConfig
                                                                .DEFAULT_API_TIMEOUT_MS_CONFIG,
                                                        5000,
                                                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                                        5000))) {
                                    return admin.describeCluster()
                                                    .nodes()
                                                    .get(5, TimeUnit.SECONDS)
                                                    .size()
                                            == 1;
                                }
                            });
            return bootstrap;
        }

        /**
         * SIGKILL: no clean shutdown, connections reset, the port refuses until {@link #start()}.
         */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            if (process != null && process.isAlive()) {
                FaultRig.stopQuietly(process);
            }
        }
    }
}
