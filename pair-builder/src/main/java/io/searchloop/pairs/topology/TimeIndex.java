package io.searchloop.pairs.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A persistent index of store keys by time, for expiry: entries are keyed by the zero-padded time
 * and the key, so the store's own key order is time order and "everything up to t" is one ordered
 * read from the start that stops where expiry stops. Times are non-negative epoch milliseconds.
 *
 * <p>It also keeps, in memory, a time no later than its oldest entry (found with one read when the
 * task starts, lowered by every put), so that asking for what is due while nothing can be opens no
 * range read at all: expiry looks every few seconds of stream time for what is months old.
 */
final class TimeIndex {
    /** One indexed key and its time. */
    record Entry(long at, String key) {}

    private final KeyValueStore<String, String> store;

    /**
     * No entry is older than this, leaving out the entries the last {@link #upTo} returned (their
     * caller removes them); {@code Long.MAX_VALUE} when there is none.
     */
    private long oldest;

    TimeIndex(KeyValueStore<String, String> store) {
        this.store = store;
        this.oldest = Long.MAX_VALUE;
        try (KeyValueIterator<String, String> all = store.all()) {
            if (all.hasNext()) {
                oldest = timeOf(all.next().key);
            }
        }
    }

    void put(long at, String key) {
        store.put(entryKey(at, key), key);
        oldest = Math.min(oldest, Math.max(0, at));
    }

    /**
     * At most {@code limit} entries with a time at or before {@code at}, oldest first. They stay in
     * the index until the caller {@link #remove}s them, which it must do with every one: a caller
     * that re-indexes a key writes its new entry before removing the old one, so a crash in between
     * leaves two entries for the key, never none.
     */
    List<Entry> upTo(long at, int limit) {
        List<Entry> out = new ArrayList<>();
        if (at < oldest) {
            return out;
        }
        long next = Long.MAX_VALUE;
        try (KeyValueIterator<String, String> range = store.all()) {
            while (range.hasNext()) {
                var kv = range.next();
                long time = timeOf(kv.key);
                if (time > at || out.size() == limit) {
                    next = time;
                    break;
                }
                out.add(new Entry(time, kv.value));
            }
        }
        oldest = next;
        return out;
    }

    /** Removes an entry {@link #upTo} returned. */
    void remove(Entry entry) {
        // put(null) does not read the old value back as delete() does.
        store.put(entryKey(entry.at(), entry.key()), null);
    }

    /** True when the index holds no entry but those the last {@link #upTo} returned. */
    boolean isEmpty() {
        return oldest == Long.MAX_VALUE;
    }

    private static long timeOf(String entryKey) {
        return Long.parseLong(entryKey.substring(0, 19));
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
