package io.searchloop.pairs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.searchloop.events.TrainingPair;
import io.searchloop.pairs.topology.StatsChangelog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private static RestartRuns runs;

    @BeforeAll
    static void startRegistry() throws Exception {
        runs = RestartRuns.withRegistry("eos-it");
    }

    @AfterAll
    static void stopRegistry() {
        runs.close();
    }

    @Test
    void shouldProduceIdenticalPairsWhenKilledUncleanlyAndRestarted(@TempDir Path tmp)
            throws Exception {
        RestartRuns.Compared run = runs.killedBesideUninterrupted("eos", tmp, SEARCHES, Map.of());
        Map<String, List<TrainingPair>> reference = run.reference();
        String prefix = run.restartedPrefix();
        try {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(
                            () -> {
                                Map<String, List<TrainingPair>> restarted =
                                        runs.readPairs(prefix, true);
                                assertSameCounts(
                                        StatsChangelog.read(RestartRuns.applicationId(prefix)),
                                        run.referenceCounts());
                                assertThat(RestartRuns.interactionPairs(restarted))
                                        .containsExactlyInAnyOrderElementsOf(
                                                RestartRuns.interactionPairs(reference));
                                assertThat(repeated(restarted))
                                        .as(
                                                "records committed twice for a key: a replay the kill let through")
                                        .isEmpty();
                            });
        } finally {
            RestartRuns.stop(run.restarted());
        }
        assertThat(repeated(reference)).isEmpty();
        Map<String, List<TrainingPair>> restarted = runs.readPairs(prefix, true);
        LOG.info(
                "{} input records; uninterrupted: {} pairs in {} records; killed and restarted: {} pairs in {} records, the same evidence "
                        + "counted per pair, {} records repeated",
                run.inputs(),
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
