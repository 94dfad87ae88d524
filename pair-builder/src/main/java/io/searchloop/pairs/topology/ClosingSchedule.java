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
 * When each open search's attribution window closes — by event time and by wall clock — held in
 * memory in deadline order, so that a punctuation touches only the searches that are due instead
 * of reading every open search from the store. It is an index of the {@code searches} store, not
 * state of its own: the processor rebuilds it from the store whenever a task starts, so it needs no
 * changelog and survives restarts and rebalances exactly as the store does.
 */
final class ClosingSchedule {
    private record Entry(long at, String requestId) {}

    private record Deadlines(long eventTime, long wallClock) {}

    private static final Comparator<Entry> ORDER = Comparator.comparingLong(Entry::at).thenComparing(Entry::requestId);

    private final long windowMs;
    private final long graceMs;
    private final Map<String, Deadlines> byRequest = new HashMap<>();
    private final NavigableSet<Entry> byEventTime = new TreeSet<>(ORDER);
    private final NavigableSet<Entry> byWallClock = new TreeSet<>(ORDER);

    ClosingSchedule(long windowMs, long graceMs) {
        this.windowMs = windowMs;
        this.graceMs = graceMs;
    }

    /** Records when {@code state} closes; a later search arrival moves its event-time deadline. */
    void put(String requestId, SearchState state) {
        Deadlines next = new Deadlines(state.closesAt(windowMs, graceMs), state.firstSeenWallClock() + windowMs + graceMs);
        Deadlines previous = byRequest.put(requestId, next);
        if (next.equals(previous)) {
            return;
        }
        if (previous != null) {
            unindex(requestId, previous);
        }
        byEventTime.add(new Entry(next.eventTime(), requestId));
        byWallClock.add(new Entry(next.wallClock(), requestId));
    }

    void remove(String requestId) {
        Deadlines previous = byRequest.remove(requestId);
        if (previous != null) {
            unindex(requestId, previous);
        }
    }

    /**
     * Request ids whose window has closed: event-time deadline at or before {@code streamTime}, or
     * wall-clock deadline at or before {@code wallClock} ({@code Long.MIN_VALUE} to skip that test).
     */
    List<String> due(long streamTime, long wallClock) {
        Set<String> due = new LinkedHashSet<>();
        byEventTime.headSet(new Entry(streamTime, "\uffff"), true).forEach(e -> due.add(e.requestId()));
        if (wallClock != Long.MIN_VALUE) {
            byWallClock.headSet(new Entry(wallClock, "\uffff"), true).forEach(e -> due.add(e.requestId()));
        }
        return new ArrayList<>(due);
    }

    int size() {
        return byRequest.size();
    }

    private void unindex(String requestId, Deadlines deadlines) {
        byEventTime.remove(new Entry(deadlines.eventTime(), requestId));
        byWallClock.remove(new Entry(deadlines.wallClock(), requestId));
    }
}
