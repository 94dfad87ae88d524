package io.searchloop.pairs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

class TimeIndexTest {
    private final CountingStore<String> store =
            new CountingStore<>(
                    TestStores.inMemory(new MockProcessorContext<>(), "expiry", Serdes.String()));

    @Test
    void shouldReturnAndRemoveDueEntriesOldestFirstInBoundedBatches() {
        TimeIndex index = new TimeIndex(store);
        index.put(300, "c");
        index.put(100, "a");
        index.put(200, "b");
        index.put(900, "late");

        assertThat(poll(index, 250, 1)).containsExactly(new TimeIndex.Entry(100, "a"));
        assertThat(poll(index, 250, 10)).containsExactly(new TimeIndex.Entry(200, "b"));
        assertThat(poll(index, 250, 10)).isEmpty();
        assertThat(poll(index, 300, 10)).containsExactly(new TimeIndex.Entry(300, "c"));
        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void shouldOpenNoRangeReadWhileNothingCanBeDue() {
        TimeIndex index = new TimeIndex(store);
        index.put(1_000, "a");
        index.put(2_000, "b");
        int readsAtStart = store.iteratorsOpened();

        for (long t = 0; t < 1_000; t += 10) {
            assertThat(poll(index, t, 10)).isEmpty();
        }
        assertThat(store.iteratorsOpened()).isEqualTo(readsAtStart);

        assertThat(poll(index, 1_500, 10)).containsExactly(new TimeIndex.Entry(1_000, "a"));
        int afterFirstExpiry = store.iteratorsOpened();
        assertThat(poll(index, 1_999, 10)).isEmpty();
        assertThat(store.iteratorsOpened())
                .as("the read that expired 'a' saw that 'b' is next")
                .isEqualTo(afterFirstExpiry);
    }

    @Test
    void shouldLookAgainWhenAnOlderTimeIsPut() {
        TimeIndex index = new TimeIndex(store);
        index.put(5_000, "a");
        assertThat(poll(index, 1_000, 10)).isEmpty();

        index.put(500, "b");

        assertThat(poll(index, 1_000, 10)).containsExactly(new TimeIndex.Entry(500, "b"));
    }

    @Test
    void shouldFindTheOldestEntryOfAStoreItDidNotWrite() {
        TimeIndex before = new TimeIndex(store);
        before.put(700, "a");
        before.put(400, "b");

        TimeIndex afterRestart = new TimeIndex(store);

        assertThat(poll(afterRestart, 399, 10)).isEmpty();
        assertThat(poll(afterRestart, 400, 10)).containsExactly(new TimeIndex.Entry(400, "b"));
        assertThat(poll(afterRestart, 700, 10)).containsExactly(new TimeIndex.Entry(700, "a"));
    }

    @Test
    void shouldKeepDueEntriesUntilTheyAreRemoved() {
        TimeIndex index = new TimeIndex(store);
        index.put(100, "a");

        List<TimeIndex.Entry> due = index.upTo(500, 10);
        index.put(400, "a");

        assertThat(store.approximateNumEntries())
                .as("a crash here leaves both entries of 'a', never none")
                .isEqualTo(2);
        due.forEach(index::remove);
        assertThat(values()).containsExactly("a");
        assertThat(poll(index, 500, 10)).containsExactly(new TimeIndex.Entry(400, "a"));
    }

    /** What expiry does with due entries it is done with: takes them out. */
    private static List<TimeIndex.Entry> poll(TimeIndex index, long at, int limit) {
        List<TimeIndex.Entry> due = index.upTo(at, limit);
        due.forEach(index::remove);
        return due;
    }

    /** The store's values, in key order. */
    private List<String> values() {
        List<String> out = new ArrayList<>();
        try (KeyValueIterator<String, String> all = store.all()) {
            all.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }
}
