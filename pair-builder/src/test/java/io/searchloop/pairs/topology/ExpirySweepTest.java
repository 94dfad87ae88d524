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
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
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

    @BeforeEach
    void stores() {
        stats = store(PairAggregator.STATS_STORE, StateSerdes.pairStats());
        expiry = store(PairAggregator.EXPIRY_STORE, Serdes.String());
        store(PairAggregator.AWAITING_STORE, Serdes.Long());
        store(PairAggregator.PENDING_STORE, StateSerdes.pendingPair());
        StateStore catalog =
                Stores.timestampedKeyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(PairAggregator.CATALOG_STORE),
                                Serdes.String(),
                                Serdes.String()) // never read here
                        .withLoggingDisabled()
                        .build();
        catalog.init(context.getStateStoreContext(), catalog);
        context.addStateStore(catalog);
    }

    @Test
    void shouldForgetAPairPastItsRetentionThatHasNoExpiryEntry() {
        stats.put("q|lost", pair("lost", 5_000));
        stats.put("q|indexed", pair("indexed", 6_000));
        stats.put("q|recent", pair("recent", 5_000 + DAY));
        // Not empty, so the start-up rebuild of an empty index does not run: "q|lost" has no entry.
        expiry.put(timeKey(6_000, "q|indexed"), "q|indexed");
        expiry.put(timeKey(5_000 + DAY, "q|recent"), "q|recent");
        Runnable punctuate = wallClockPunctuation(100);

        context.setCurrentStreamTimeMs(5_000 + DAY - 1);
        punctuate.run();
        assertThat(keys(stats)).as("nothing is past its retention yet").hasSize(3);

        context.setCurrentStreamTimeMs(6_000 + DAY);
        punctuate.run();
        assertThat(keys(stats)).containsExactly("q|recent");
        assertThat(metrics.expiredCount()).isEqualTo(2);
    }

    @Test
    void shouldSweepABoundedBatchPerPunctuationAndGoRoundTheStore() {
        expiry.put(timeKey(Long.MAX_VALUE / 2, "q|x"), "q|x");
        for (int i = 0; i < 5; i++) {
            stats.put("q|p" + i, pair("p" + i, 1_000));
        }
        stats.put("q|recent", pair("recent", 3 * DAY));
        Runnable punctuate = wallClockPunctuation(2);
        context.setCurrentStreamTimeMs(3 * DAY);

        punctuate.run();
        assertThat(keys(stats)).as("two of six entries read").hasSize(4);
        punctuate.run();
        punctuate.run();
        assertThat(keys(stats)).containsExactly("q|recent");
        // Round again from the start: what arrives behind the cursor is reached too.
        stats.put("q|a", pair("a", 1_000));
        punctuate.run();
        punctuate.run();
        assertThat(keys(stats)).containsExactly("q|recent");
        assertThat(metrics.expiredCount()).isEqualTo(6);
    }

    /** Starts the aggregator; returns its wall-clock punctuation. */
    private Runnable wallClockPunctuation(int batch) {
        PairSettings settings =
                PairSettings.defaults()
                        .withLimits(
                                EvidenceLimits.defaults()
                                        .withPairRetention(RETENTION)
                                        .withAwaitingRetryBatch(batch));
        new PairAggregator(settings, metrics).init(context);
        CapturedPunctuator wallClock =
                context.scheduledPunctuators().stream()
                        .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME)
                        .findFirst()
                        .orElseThrow();
        return () -> wallClock.getPunctuator().punctuate(0);
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
