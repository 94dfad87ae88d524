package io.searchloop.pairs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.events.TrainingPair;
import io.searchloop.pairs.EvidenceLimits;
import io.searchloop.pairs.PairMetrics;
import io.searchloop.pairs.PairSettings;
import io.searchloop.pairs.scoring.PairStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pair statistics whose expiry entry was lost — under at-least-once a crash can keep a new pair's
 * statistics and lose its index entry, the two going to two changelogs — are still forgotten after
 * the retention: a bounded sweep of the statistics per wall-clock punctuation finds them.
 */
class ExpirySweepTest {
    private static final Duration RETENTION = Duration.ofDays(1);
    private static final long DAY = RETENTION.toMillis();

    private final MockProcessorContext<String, TrainingPair> context = new MockProcessorContext<>();
    private final PairMetrics metrics = new PairMetrics();
    private KeyValueStore<String, PairStats> stats;
    private KeyValueStore<String, String> expiry;
    private KeyValueStore<String, Long> awaiting;

    @BeforeEach
    void stores() {
        stats = store(PairAggregator.STATS_STORE, StateSerdes.pairStats());
        expiry = store(PairAggregator.EXPIRY_STORE, Serdes.String());
        awaiting = store(PairAggregator.AWAITING_STORE, Serdes.Long());
        store(PairAggregator.PENDING_STORE, StateSerdes.pendingPair());
        TestStores.addUnreadStores(context);
    }

    @Test
    void shouldForgetAPairPastItsRetentionThatHasNoExpiryEntry() {
        stats.put("q|lost", pair("lost", 5_000));
        stats.put("q|indexed", pair("indexed", 6_000));
        stats.put("q|recent", pair("recent", 5_000 + DAY));
        // Waiting for its catalog item, not for long enough to be forgotten for that: the sweep
        // clears it with the pair.
        awaiting.put("q|lost", 6_000 + DAY);
        // Not empty, so the start-up rebuild of an empty index does not run: "q|lost" has no entry.
        expiry.put(timeKey(6_000, "q|indexed"), "q|indexed");
        expiry.put(timeKey(5_000 + DAY, "q|recent"), "q|recent");
        start(100);

        context.setCurrentStreamTimeMs(5_000 + DAY - 1);
        punctuate(PunctuationType.WALL_CLOCK_TIME);
        assertThat(keys(stats)).as("nothing is past its retention yet").hasSize(3);

        context.setCurrentStreamTimeMs(6_000 + DAY);
        punctuate(PunctuationType.WALL_CLOCK_TIME);
        assertThat(keys(stats)).containsExactly("q|recent");
        assertThat(keys(awaiting)).isEmpty();
        assertThat(metrics.expiredCount()).isEqualTo(2);

        // The index's own expiry then finds the swept pair gone: its entry goes, counted once.
        punctuate(PunctuationType.STREAM_TIME);
        assertThat(keys(expiry)).containsExactly(timeKey(5_000 + DAY, "q|recent"));
        assertThat(metrics.expiredCount()).isEqualTo(2);
    }

    @Test
    void shouldReadABoundedBatchPerPunctuationAndContinueWhereTheLastStopped() {
        expiry.put(timeKey(3 * DAY, "q|x"), "q|x");
        for (int i = 0; i < 4; i++) {
            stats.put("q|a" + i, pair("a" + i, 3 * DAY));
        }
        for (int i = 0; i < 5; i++) {
            stats.put("q|p" + i, pair("p" + i, 1_000));
        }
        start(2);
        context.setCurrentStreamTimeMs(3 * DAY);

        punctuate(PunctuationType.WALL_CLOCK_TIME);
        punctuate(PunctuationType.WALL_CLOCK_TIME);
        assertThat(keys(stats))
                .as("two entries read per punctuation, all four of them recent")
                .hasSize(9);
        punctuate(PunctuationType.WALL_CLOCK_TIME);
        assertThat(keys(stats)).doesNotContain("q|p0", "q|p1").hasSize(7);

        // Behind the cursor (now after q|p1): reached once the sweep has gone round.
        stats.put("q|b", pair("b", 1_000));
        punctuate(PunctuationType.WALL_CLOCK_TIME);
        punctuate(PunctuationType.WALL_CLOCK_TIME);
        assertThat(keys(stats)).contains("q|b").doesNotContain("q|p2", "q|p3", "q|p4");
        punctuate(PunctuationType.WALL_CLOCK_TIME);
        punctuate(PunctuationType.WALL_CLOCK_TIME);
        punctuate(PunctuationType.WALL_CLOCK_TIME);
        assertThat(keys(stats)).containsExactly("q|a0", "q|a1", "q|a2", "q|a3");
        assertThat(metrics.expiredCount()).isEqualTo(6);
    }

    /** Starts the aggregator, its sweep at the first key, {@code batch} entries a punctuation. */
    private void start(int batch) {
        PairSettings settings =
                PairSettings.defaults()
                        .withLimits(
                                EvidenceLimits.defaults()
                                        .withPairRetention(RETENTION)
                                        .withAwaitingRetryBatch(batch));
        new PairAggregator(settings, metrics, null).init(context);
    }

    private void punctuate(PunctuationType type) {
        CapturedPunctuator punctuator =
                context.scheduledPunctuators().stream()
                        .filter(p -> p.getType() == type)
                        .findFirst()
                        .orElseThrow();
        punctuator.getPunctuator().punctuate(context.currentStreamTimeMs());
    }

    private static PairStats pair(String product, long updatedAt) {
        return new PairStats("кран", "кран", product, 1, 0, 3, Double.NaN, false, updatedAt);
    }

    private <V> KeyValueStore<String, V> store(String name, Serde<V> values) {
        KeyValueStore<String, V> store = TestStores.inMemory(context, name, values);
        context.addStateStore(store);
        return store;
    }

    private static List<String> keys(KeyValueStore<String, ?> store) {
        List<String> out = new ArrayList<>();
        try (KeyValueIterator<String, ?> all = store.all()) {
            all.forEachRemaining(kv -> out.add(kv.key));
        }
        return out;
    }

    private static String timeKey(long at, String key) {
        String digits = Long.toString(at);
        return "0".repeat(19 - digits.length()) + digits + "|" + key;
    }
}
