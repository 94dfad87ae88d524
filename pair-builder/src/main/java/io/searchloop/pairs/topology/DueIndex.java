package io.searchloop.pairs.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * When each key of a store falls due — by event time and by wall clock — held in memory in deadline
 * order, so that a punctuation touches only the keys that are due instead of reading the whole
 * store. It is an index of a store, not state of its own: its processor rebuilds it from the store
 * when a task starts, so it needs no changelog and survives restarts and rebalances exactly as the
 * store does.
 */
final class DueIndex {
    private record Entry(long at, String key) {}

    private record Deadlines(long eventTime, long wallClock) {}

    private static final Comparator<Entry> ORDER =
            Comparator.comparingLong(Entry::at).thenComparing(Entry::key);

    private final Map<String, Deadlines> byKey = new HashMap<>();
    private final NavigableSet<Entry> byEventTime = new TreeSet<>(ORDER);
    private final NavigableSet<Entry> byWallClock = new TreeSet<>(ORDER);

    /** Records when {@code key} falls due, replacing its earlier deadlines. */
    void put(String key, long eventTime, long wallClock) {
        Deadlines next = new Deadlines(eventTime, wallClock);
        Deadlines previous = byKey.put(key, next);
        if (next.equals(previous)) {
            return;
        }
        if (previous != null) {
            unindex(key, previous);
        }
        byEventTime.add(new Entry(eventTime, key));
        byWallClock.add(new Entry(wallClock, key));
    }

    void remove(String key) {
        Deadlines previous = byKey.remove(key);
        if (previous != null) {
            unindex(key, previous);
        }
    }

    /**
     * Keys whose event-time deadline is at or before {@code streamTime}, or whose wall-clock
     * deadline is at or before {@code wallClock} ({@code Long.MIN_VALUE} to skip that test).
     */
    List<String> due(long streamTime, long wallClock) {
        Set<String> due = new LinkedHashSet<>();
        byEventTime.headSet(new Entry(streamTime, "\uffff"), true).forEach(e -> due.add(e.key()));
        if (wallClock != Long.MIN_VALUE) {
            byWallClock
                    .headSet(new Entry(wallClock, "\uffff"), true)
                    .forEach(e -> due.add(e.key()));
        }
        return new ArrayList<>(due);
    }

    int size() {
        return byKey.size();
    }

    private void unindex(String key, Deadlines deadlines) {
        byEventTime.remove(new Entry(deadlines.eventTime(), key));
        byWallClock.remove(new Entry(deadlines.wallClock(), key));
    }
}
