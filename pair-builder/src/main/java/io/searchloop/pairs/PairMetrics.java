package io.searchloop.pairs;

import io.searchloop.events.PairSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pair-builder's own counters, beside Kafka Streams' metrics: pairs emitted by source,
 * interactions that matched no search, records sent to a dead-letter topic. Thread-safe; one
 * instance per service, shared by its stream threads.
 */
public final class PairMetrics {
    private final Map<PairSource, AtomicLong> emitted = new EnumMap<>(PairSource.class);
    private final AtomicLong unmatched = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong searchesClosed = new AtomicLong();

    public PairMetrics() {
        for (PairSource s : PairSource.values()) {
            emitted.put(s, new AtomicLong());
        }
    }

    public void emitted(PairSource source) {
        emitted.get(source).incrementAndGet();
    }

    public void unmatchedInteractions(int count) {
        unmatched.addAndGet(count);
    }

    public void deadLettered() {
        deadLettered.incrementAndGet();
    }

    public void searchClosed() {
        searchesClosed.incrementAndGet();
    }

    public long emittedCount(PairSource source) {
        return emitted.get(source).get();
    }

    public long unmatchedInteractionCount() {
        return unmatched.get();
    }

    public long deadLetterCount() {
        return deadLettered.get();
    }

    public long searchesClosedCount() {
        return searchesClosed.get();
    }

    @Override
    public String toString() {
        return "pairs emitted " + emitted + ", searches closed " + searchesClosed + ", unmatched interactions " + unmatched
                + ", dead-lettered " + deadLettered;
    }
}
