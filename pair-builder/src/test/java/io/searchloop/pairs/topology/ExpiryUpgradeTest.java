package io.searchloop.pairs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.events.TrainingPair;
import io.searchloop.pairs.PairMetrics;
import io.searchloop.pairs.PairSettings;
import io.searchloop.pairs.scoring.PairStats;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * State from a version before the expiry index: its pairs have statistics but no index entry, and a
 * pair is indexed only when first seen, so without a rebuild at task start they would never expire.
 */
class ExpiryUpgradeTest {
    private final MockProcessorContext<String, TrainingPair> context = new MockProcessorContext<>();

    @Test
    void shouldIndexPairsThatHaveStatisticsButNoExpiryEntry() {
        KeyValueStore<String, PairStats> stats =
                store(PairAggregator.STATS_STORE, StateSerdes.pairStats());
        KeyValueStore<String, String> expiry = store(PairAggregator.EXPIRY_STORE, Serdes.String());
        store(PairAggregator.AWAITING_STORE, Serdes.Long());
        store(PairAggregator.PENDING_STORE, StateSerdes.pendingPair());
        TestStores.addUnreadStores(context);
        stats.put("q|p1", new PairStats("кран", "кран", "p1", 1, 0, 3, Double.NaN, false, 5_000));
        stats.put("q|p2", new PairStats("кран", "кран", "p2", 0, 1, 1, Double.NaN, false, 7_000));

        new PairAggregator(PairSettings.defaults(), new PairMetrics()).init(context);

        assertThat(entries(expiry))
                .containsExactly(
                        KeyValue.pair(timeKey(5_000, "q|p1"), "q|p1"),
                        KeyValue.pair(timeKey(7_000, "q|p2"), "q|p2"));

        // Once indexed, a restart does not index again.
        stats.put("q|p3", new PairStats("кран", "кран", "p3", 1, 0, 1, Double.NaN, false, 1_000));
        new PairAggregator(PairSettings.defaults(), new PairMetrics()).init(context);
        assertThat(entries(expiry)).hasSize(2);
    }

    private <V> KeyValueStore<String, V> store(String name, Serde<V> values) {
        KeyValueStore<String, V> store = TestStores.inMemory(context, name, values);
        context.addStateStore(store);
        return store;
    }

    private static List<KeyValue<String, String>> entries(KeyValueStore<String, String> store) {
        List<KeyValue<String, String>> out = new ArrayList<>();
        try (KeyValueIterator<String, String> all = store.all()) {
            all.forEachRemaining(out::add);
        }
        return out;
    }

    private static String timeKey(long at, String key) {
        String digits = Long.toString(at);
        return "0".repeat(19 - digits.length()) + digits + "|" + key;
    }
}
