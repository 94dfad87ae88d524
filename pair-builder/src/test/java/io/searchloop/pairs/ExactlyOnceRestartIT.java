package io.searchloop.pairs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
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
import java.util.ArrayList;
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
 * Exactly-once against the real broker: the same scripted traffic is processed once by an
 * uninterrupted pair-builder and once by one that is SIGKILLed half-way (a separate JVM, so the
 * kill is real; after a commit, as output of the input's second half appears) and restarted; the
 * committed records of training-pairs must end in the same value must hold the same pairs, the
 * pair-builder's committed statistics (its state changelog) must have counted the same evidence for
 * every pair, and no key may receive the same record twice (a replay that exactly-once let
 * through). Intermediate updates are not compared one by one: the session and burst holds release
 * evidence by wall clock, so how updates batch up differs between any two runs, killed or not.
 */
class ExactlyOnceRestartIT {
    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceRestartIT.class);
    private static final int SEARCHES = 1500;
    private static LocalRegistryServer registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry =
                LocalRegistryServer.start(
                        0, InMemorySchemaRegistry.scope("eos-it-" + UUID.randomUUID()));
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void shouldProduceIdenticalPairsWhenKilledUncleanlyAndRestarted(@TempDir Path tmp)
            throws Exception {
        RestartRuns runs = new RestartRuns(registry.url());
        String prefixA = KafkaFixture.uniqueName("eos-a") + ".";
        String prefixB = KafkaFixture.uniqueName("eos-b") + ".";
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(12));
        List<ProducerRecord<String, byte[]>> inputA = runs.prepare(prefixA, t0, SEARCHES);
        List<ProducerRecord<String, byte[]>> inputB = runs.prepare(prefixB, t0, SEARCHES);
        int expectedInputs = inputA.size();
        RestartRuns.send(inputA);
        int half = inputB.size() / 2;
        RestartRuns.send(inputB.subList(0, half));

        Process uninterrupted = runs.start(prefixA, tmp.resolve("a"), Map.of());
        Map<String, List<TrainingPair>> reference;
        try {
            reference = runs.awaitStableOutput(prefixA, Duration.ofSeconds(10));
        } finally {
            RestartRuns.stop(uninterrupted);
        }
        assertThat(reference).hasSizeGreaterThan(100);
        Map<String, StatsChangelog.Counts> referenceCounts =
                StatsChangelog.read(RestartRuns.applicationId(prefixA));
        assertThat(referenceCounts).hasSizeGreaterThan(100);

        // The kill lands after a commit: the output of the input's first half is committed and
        // has stopped changing before the second half is sent, and the instance is killed as soon
        // as output of the second half appears.
        runs.killAfterACommit(prefixB, tmp.resolve("b"), Map.of(), inputB, half);
        LOG.info("the uninterrupted run committed {} pair records", RestartRuns.records(reference));

        Process second = runs.start(prefixB, tmp.resolve("b"), Map.of());
        try {
            // The restarted instance first waits for the killed one's group session to expire, then
            // resumes from the last commit.
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(
                            () -> {
                                Map<String, List<TrainingPair>> restarted =
                                        runs.readPairs(prefixB, true);
                                assertSameCounts(
                                        StatsChangelog.read(RestartRuns.applicationId(prefixB)),
                                        referenceCounts);
                                assertThat(RestartRuns.interactionPairs(restarted))
                                        .containsExactlyInAnyOrderElementsOf(
                                                RestartRuns.interactionPairs(reference));
                                assertThat(repeated(restarted))
                                        .as(
                                                "records committed twice for a key: a replay the kill let through")
                                        .isEmpty();
                            });
        } finally {
            RestartRuns.stop(second);
        }
        assertThat(repeated(reference)).isEmpty();
        Map<String, List<TrainingPair>> restarted = runs.readPairs(prefixB, true);
        LOG.info(
                "{} input records; uninterrupted: {} pairs in {} records; killed and restarted: {} pairs in {} records, the same evidence "
                        + "counted per pair, {} records repeated",
                expectedInputs,
                reference.size(),
                RestartRuns.records(reference),
                restarted.size(),
                RestartRuns.records(restarted),
                repeated(restarted).size());
    }

    /**
     * The same pairs with the same evidence counted: observations and latest evidence time exactly,
     * the weighted sums up to floating-point rounding (they are added in arrival order).
     */
    private static void assertSameCounts(
            Map<String, StatsChangelog.Counts> actual,
            Map<String, StatsChangelog.Counts> expected) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach(
                (key, want) -> {
                    StatsChangelog.Counts got = actual.get(key);
                    assertThat(got.observations()).as(key).isEqualTo(want.observations());
                    assertThat(got.updatedAt()).as(key).isEqualTo(want.updatedAt());
                    assertThat(got.positives()).as(key).isCloseTo(want.positives(), within(1e-9));
                    assertThat(got.skips()).as(key).isCloseTo(want.skips(), within(1e-9));
                });
    }

    /** Every record that a key received more than once (identical, timestamps included). */
    private static List<TrainingPair> repeated(Map<String, List<TrainingPair>> sequences) {
        List<TrainingPair> out = new ArrayList<>();
        sequences
                .values()
                .forEach(
                        records -> {
                            java.util.Set<TrainingPair> seen = new java.util.HashSet<>();
                            records.stream().filter(r -> !seen.add(r)).forEach(out::add);
                        });
        return out;
    }
}
