package io.searchloop.pairs.topology;

import java.util.List;

/**
 * When each open search's attribution window closes — by event time and by wall clock — so that a
 * punctuation touches only the searches that are due instead of reading every open search from the
 * store. It is an index of the {@code searches} store, not state of its own: the processor rebuilds
 * it from the store whenever a task starts, so it needs no changelog and survives restarts and
 * rebalances exactly as the store does.
 */
final class ClosingSchedule {
    private final long windowMs;
    private final long graceMs;
    private final DueIndex index = new DueIndex();

    ClosingSchedule(long windowMs, long graceMs) {
        this.windowMs = windowMs;
        this.graceMs = graceMs;
    }

    /** Records when {@code state} closes; a later search arrival moves its event-time deadline. */
    void put(String requestId, SearchState state) {
        index.put(
                requestId,
                state.closesAt(windowMs, graceMs),
                state.firstSeenWallClock() + windowMs + graceMs);
    }

    void remove(String requestId) {
        index.remove(requestId);
    }

    /**
     * Request ids whose window has closed: event-time deadline at or before {@code streamTime}, or
     * wall-clock deadline at or before {@code wallClock} ({@code Long.MIN_VALUE} to skip that
     * test).
     */
    List<String> due(long streamTime, long wallClock) {
        return index.due(streamTime, wallClock);
    }

    int size() {
        return index.size();
    }
}
