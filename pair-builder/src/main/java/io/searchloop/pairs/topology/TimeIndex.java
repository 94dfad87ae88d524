package io.searchloop.pairs.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A persistent index of store keys by time, for expiry: entries are keyed by the zero-padded time
 * and the key, so the store's own key order is time order and "everything up to t" is one range
 * read that stops where expiry stops. Times are non-negative epoch milliseconds.
 */
final class TimeIndex {
    /** One indexed key and its time. */
    record Entry(long at, String key) {}

    private final KeyValueStore<String, String> store;

    TimeIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    void put(long at, String key) {
        store.put(entryKey(at, key), key);
    }

    void remove(long at, String key) {
        store.delete(entryKey(at, key));
    }

    /** At most {@code limit} entries with a time at or before {@code at}, oldest first. */
    List<Entry> upTo(long at, int limit) {
        List<Entry> out = new ArrayList<>();
        if (at < 0) {
            return out;
        }
        try (KeyValueIterator<String, String> range = store.range(prefix(0), prefix(at + 1))) {
            while (range.hasNext() && out.size() < limit) {
                var kv = range.next();
                long time = Long.parseLong(kv.key.substring(0, 19));
                if (time <= at) {
                    out.add(new Entry(time, kv.value));
                }
            }
        }
        return out;
    }

    private static String entryKey(long at, String key) {
        return prefix(at) + "|" + key;
    }

    /** The time zero-padded to 19 digits (String.format's {@code %019d}, without its cost). */
    private static String prefix(long at) {
        String digits = Long.toString(Math.max(0, at));
        return "0".repeat(19 - digits.length()) + digits;
    }
}
