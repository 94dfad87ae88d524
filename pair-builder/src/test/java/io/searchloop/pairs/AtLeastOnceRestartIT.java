package io.searchloop.pairs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.searchloop.events.TrainingPair;
import io.searchloop.pairs.topology.StatsChangelog;
import io.searchloop.schemas.registry.InMemorySchemaRegistry;
import io.searchloop.schemas.registry.LocalRegistryServer;
import io.searchloop.testkit.KafkaFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At-least-once against the real broker: the same scripted traffic is processed once by an
 * uninterrupted pair-builder and once by one that is SIGKILLed after a commit and restarted (a
 * separate JVM, so the kill is real). A replay may count evidence twice, but nothing may be lost:
 * every pair of the uninterrupted run must be there with at least its evidence — whatever reached
 * one changelog before the kill and not another (a pair's statistics without its expiry entry, a
 * search's closing without its evidence) must not make the restarted run count less.
 */
class AtLeastOnceRestartIT {
    private static final Logger LOG = LoggerFactory.getLogger(AtLeastOnceRestartIT.class);
    private static final int SEARCHES = 1500;
    private static final Map<String, String> AT_LEAST_ONCE =
            Map.of("PAIR_PROCESSING_GUARANTEE", "at_least_once");
    private static LocalRegistryServer registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry =
                LocalRegistryServer.start(
                        0, InMemorySchemaRegistry.scope("alos-it-" + UUID.randomUUID()));
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void shouldLoseNoEvidenceWhenKilledUncleanlyAndRestarted(@TempDir Path tmp) throws Exception {
        RestartRuns runs = new RestartRuns(registry.url());
        String prefixA = KafkaFixture.uniqueName("alos-a") + ".";
        String prefixB = KafkaFixture.uniqueName("alos-b") + ".";
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(12));
        List<ProducerRecord<String, byte[]>> inputA = runs.prepare(prefixA, t0, SEARCHES);
        List<ProducerRecord<String, byte[]>> inputB = runs.prepare(prefixB, t0, SEARCHES);
        RestartRuns.send(inputA);
        int half = inputB.size() / 2;
        RestartRuns.send(inputB.subList(0, half));

        Process uninterrupted = runs.start(prefixA, tmp.resolve("a"), AT_LEAST_ONCE);
        Map<String, List<TrainingPair>> reference;
        try {
            reference = runs.awaitStableOutput(prefixA, Duration.ofSeconds(10));
        } finally {
            RestartRuns.stop(uninterrupted);
        }
        Map<String, StatsChangelog.Counts> referenceCounts =
                StatsChangelog.read(RestartRuns.applicationId(prefixA));
        assertThat(referenceCounts).hasSizeGreaterThan(100);

        runs.killAfterACommit(prefixB, tmp.resolve("b"), AT_LEAST_ONCE, inputB, half);

        Process second = runs.start(prefixB, tmp.resolve("b"), AT_LEAST_ONCE);
        try {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(
                            () -> {
                                assertNoLess(
                                        StatsChangelog.read(RestartRuns.applicationId(prefixB)),
                                        referenceCounts);
                                assertThat(
                                                RestartRuns.interactionPairs(
                                                        runs.readPairs(prefixB, true)))
                                        .containsAll(RestartRuns.interactionPairs(reference));
                            });
        } finally {
            RestartRuns.stop(second);
        }
        Map<String, StatsChangelog.Counts> restarted =
                StatsChangelog.read(RestartRuns.applicationId(prefixB));
        long countedMore =
                referenceCounts.entrySet().stream()
                        .filter(
                                e ->
                                        restarted.get(e.getKey()).observations()
                                                > e.getValue().observations())
                        .count();
        LOG.info(
                "uninterrupted: {} pairs; killed and restarted: {} pairs, none with less evidence,"
                        + " {} with more (the replay)",
                referenceCounts.size(),
                restarted.size(),
                countedMore);
    }

    /** Every pair of {@code expected} with at least its evidence (a replay may add some). */
    private static void assertNoLess(
            Map<String, StatsChangelog.Counts> actual,
            Map<String, StatsChangelog.Counts> expected) {
        assertThat(actual.keySet()).containsAll(expected.keySet());
        expected.forEach(
                (key, want) -> {
                    StatsChangelog.Counts got = actual.get(key);
                    assertThat(got.observations())
                            .as(key)
                            .isGreaterThanOrEqualTo(want.observations());
                    assertThat(got.updatedAt()).as(key).isGreaterThanOrEqualTo(want.updatedAt());
                    assertThat(got.positives()).as(key).isGreaterThan(want.positives() - 1e-9);
                    assertThat(got.skips()).as(key).isGreaterThan(want.skips() - 1e-9);
                });
    }
}
