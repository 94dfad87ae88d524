package io.searchloop.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.searchloop.embedder.index.IndexRepository;
import io.searchloop.encoder.TinyModels;
import io.searchloop.events.CatalogItem;
import io.searchloop.schemas.registry.LocalRegistryServer;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 3a of issue 15: the embedder's (own JVM) PostgreSQL backend is terminated in the middle
 * of its writes, twice per wave of catalog changes — once while it writes {@code catalog_items}
 * (its transaction rolls back) and once after that commit, while it writes the active index (so the
 * catalog already holds the new text and the index the old one). To catch the write in progress,
 * not an idle connection, the test holds a row lock that the write needs, waits until the
 * embedder's backend is blocked on it, terminates exactly that backend, then lets go. The ingestion
 * must read the poll again, every change must land, the active index must hold no stale row,
 * nothing may be dead-lettered, lag 0, and the process stays up.
 */
class DatabaseOutageIT {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutageIT.class);
    private static final int ITEMS = 100;
    private static final int WAVES = 5;

    /**
     * The item whose rows the test locks: in the middle of each write, so part of the write is done
     * when it blocks.
     */
    static final String LOCKED = "p0050";

    @Test
    void shouldApplyEveryCatalogChangeAcrossBackendsTerminatedMidWrite() throws Exception {
        try (FaultRig rig = new FaultRig();
                LocalRegistryServer registry = LocalRegistryServer.start(0, rig.schemas)) {
            Map<String, String> env = rig.env(registry.url());
            env.put("BASE_MODEL", TinyModels.write(rig.dir.resolve("tiny"), 7).toString());
            rig.produceCatalog(FaultRig.catalog(ITEMS));
            Process embedder = rig.start("embedder", env);
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    rig.activeIndexRows() == ITEMS
                                            && rig.lag(
                                                            rig.prefix + "embedder",
                                                            rig.topics.catalog().name())
                                                    == 0);
            String table = rig.text("SELECT table_name FROM active_index");

            List<RowLock.Blocked> terminated = new ArrayList<>();
            for (int wave = 1; wave <= WAVES; wave++) {
                List<CatalogItem> changed = new ArrayList<>();
                for (CatalogItem item : FaultRig.catalog(ITEMS)) {
                    changed.add(
                            CatalogItem.newBuilder(item)
                                    .setTitle(item.getTitle() + " v" + wave)
                                    .setUpdatedAt(Instant.now())
                                    .build());
                }
                try (RowLock catalogRow = RowLock.take(rig, "catalog_items", "id", LOCKED);
                        RowLock indexRow = RowLock.take(rig, table, "product_id", LOCKED)) {
                    rig.produceCatalog(changed);
                    terminated.add(
                            catalogRow.terminateBlockedWriter(rig, "INSERT INTO catalog_items"));
                    catalogRow
                            .release(); // the replayed poll now commits the catalog, then blocks on
                    // the index row
                    terminated.add(indexRow.terminateBlockedWriter(rig, "INSERT INTO " + table));
                }
                // Each wave on its own: the next one starts once this one is committed.
                await().atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () ->
                                        rig.lag(
                                                        rig.prefix + "embedder",
                                                        rig.topics.catalog().name())
                                                == 0);
            }
            String title = "%v" + WAVES;
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(
                            () -> {
                                assertThat(
                                                rig.number(
                                                        "SELECT count(*) FROM catalog_items WHERE title LIKE '"
                                                                + title
                                                                + "'"))
                                        .isEqualTo(ITEMS);
                                assertThat(rig.activeIndexRows()).isEqualTo(ITEMS);
                                assertThat(staleRows(rig, table)).isEmpty();
                                assertThat(
                                                rig.lag(
                                                        rig.prefix + "embedder",
                                                        rig.topics.catalog().name()))
                                        .isZero();
                            });
            assertThat(embedder.isAlive())
                    .as("the ingestion loop survived; a loop that gives up ends the process")
                    .isTrue();
            assertThat(rig.deadLetters(rig.topics.catalog().name())).isZero();
            assertThat(terminated).hasSize(2 * WAVES);
            long retries = retries(rig);
            assertThat(retries)
                    .as("every terminated write made the embedder read its poll again")
                    .isGreaterThanOrEqualTo(2L * WAVES);
            LOG.info(
                    "scenario 3a: {} backends terminated mid-write ({}) during {} waves of {} changes; {} polls read again; {} items, "
                            + "index rows {}, stale 0, dead-lettered 0, lag 0",
                    terminated.size(),
                    terminated,
                    WAVES,
                    ITEMS,
                    retries,
                    rig.number("SELECT count(*) FROM catalog_items"),
                    rig.activeIndexRows());
        }
    }

    /** How often the embedder's ingestion put a poll back (its log says so each time). */
    private static long retries(FaultRig rig) throws Exception {
        return rig.log("embedder").lines().filter(l -> l.contains("nothing committed")).count();
    }

    private static List<String> staleRows(FaultRig rig, String table) throws Exception {
        try (Connection c = rig.db.url().connect()) {
            return new IndexRepository().stale(c, table);
        }
    }
}
