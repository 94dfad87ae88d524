package io.searchloop.pairs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class TimeIndexTest {
    private final CountingStore store = new CountingStore();

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
        assertThat(store.entries).hasSize(1);
    }

    @Test
    void shouldOpenNoRangeReadWhileNothingCanBeDue() {
        TimeIndex index = new TimeIndex(store);
        index.put(1_000, "a");
        index.put(2_000, "b");
        int readsAtStart = store.iteratorsOpened;

        for (long t = 0; t < 1_000; t += 10) {
            assertThat(poll(index, t, 10)).isEmpty();
        }
        assertThat(store.iteratorsOpened).isEqualTo(readsAtStart);

        assertThat(poll(index, 1_500, 10)).containsExactly(new TimeIndex.Entry(1_000, "a"));
        int afterFirstExpiry = store.iteratorsOpened;
        assertThat(poll(index, 1_999, 10)).isEmpty();
        assertThat(store.iteratorsOpened)
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

        assertThat(store.entries)
                .as("a crash here leaves both entries of 'a', never none")
                .hasSize(2);
        due.forEach(index::remove);
        assertThat(store.entries.values()).containsExactly("a");
        assertThat(poll(index, 500, 10)).containsExactly(new TimeIndex.Entry(400, "a"));
    }

    /** What expiry does with due entries it is done with: takes them out. */
    private static List<TimeIndex.Entry> poll(TimeIndex index, long at, int limit) {
        List<TimeIndex.Entry> due = index.upTo(at, limit);
        due.forEach(index::remove);
        return due;
    }

    /** A sorted in-memory store that counts the iterators opened on it. */
    private static final class CountingStore implements KeyValueStore<String, String> {
        private final TreeMap<String, String> entries = new TreeMap<>();
        private int iteratorsOpened;

        @Override
        public void put(String key, String value) {
            if (value == null) {
                entries.remove(key);
            } else {
                entries.put(key, value);
            }
        }

        @Override
        public String putIfAbsent(String key, String value) {
            return entries.putIfAbsent(key, value);
        }

        @Override
        public void putAll(List<KeyValue<String, String>> all) {
            all.forEach(kv -> put(kv.key, kv.value));
        }

        @Override
        public String delete(String key) {
            return entries.remove(key);
        }

        @Override
        public String get(String key) {
            return entries.get(key);
        }

        @Override
        public KeyValueIterator<String, String> range(String from, String to) {
            return iterator(entries.subMap(from, true, to, true));
        }

        @Override
        public KeyValueIterator<String, String> all() {
            return iterator(entries);
        }

        private KeyValueIterator<String, String> iterator(Map<String, String> view) {
            iteratorsOpened++;
            Iterator<Map.Entry<String, String>> snapshot = List.copyOf(view.entrySet()).iterator();
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return snapshot.hasNext();
                }

                @Override
                public KeyValue<String, String> next() {
                    Map.Entry<String, String> e = snapshot.next();
                    return KeyValue.pair(e.getKey(), e.getValue());
                }

                @Override
                public void close() {}

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException("not used by TimeIndex");
                }
            };
        }

        @Override
        public long approximateNumEntries() {
            return entries.size();
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public void init(StateStoreContext context, StateStore root) {}

        @Override
        public void flush() {}

        @Override
        public void close() {}

        @Override
        public boolean persistent() {
            return false;
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }
}
