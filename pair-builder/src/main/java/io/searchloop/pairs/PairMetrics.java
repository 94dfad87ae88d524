package io.searchloop.pairs;

import io.searchloop.events.PairSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pair-builder's own counters, beside Kafka Streams' metrics: pairs emitted by source,
 * interactions not credited by reason, sessions judged non-human by reason, records sent to a
 * dead-letter topic, state entries expired by retention, stream threads replaced. Thread-safe;
 * one instance per service, shared by its stream threads.
 */
public final class PairMetrics {
    private final Map<PairSource, AtomicLong> emitted = new EnumMap<>(PairSource.class);
    private final Map<DropReason, AtomicLong> dropped = new EnumMap<>(DropReason.class);
    private final Map<DropReason, AtomicLong> flaggedSessions = new EnumMap<>(DropReason.class);
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong searchesClosed = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong threadsReplaced = new AtomicLong();

    public PairMetrics() {
        for (PairSource s : PairSource.values()) {
            emitted.put(s, new AtomicLong());
        }
        for (DropReason r : DropReason.values()) {
            dropped.put(r, new AtomicLong());
            flaggedSessions.put(r, new AtomicLong());
        }
    }

    public void emitted(PairSource source) {
        emitted.get(source).incrementAndGet();
    }

    /** {@code count} interactions were not credited, for {@code reason}. */
    public void dropped(DropReason reason, long count) {
        dropped.get(reason).addAndGet(count);
    }

    /** A session was judged non-human for {@code reason}; its interactions are counted by {@link #dropped}. */
    public void sessionFlagged(DropReason reason) {
        flaggedSessions.get(reason).incrementAndGet();
    }

    public void deadLettered() {
        deadLettered.incrementAndGet();
    }

    public void searchClosed() {
        searchesClosed.incrementAndGet();
    }

    public void expired(long count) {
        expired.addAndGet(count);
    }

    public void threadReplaced() {
        threadsReplaced.incrementAndGet();
    }

    public long emittedCount(PairSource source) {
        return emitted.get(source).get();
    }

    public long droppedCount(DropReason reason) {
        return dropped.get(reason).get();
    }

    public long flaggedSessionCount(DropReason reason) {
        return flaggedSessions.get(reason).get();
    }

    /** Interactions whose search never arrived or that came after its window. */
    public long unmatchedInteractionCount() {
        return droppedCount(DropReason.NO_SEARCH) + droppedCount(DropReason.AFTER_WINDOW);
    }

    public long deadLetterCount() {
        return deadLettered.get();
    }

    public long searchesClosedCount() {
        return searchesClosed.get();
    }

    public long expiredCount() {
        return expired.get();
    }

    public long threadsReplacedCount() {
        return threadsReplaced.get();
    }

    /** Every counter by name, in the Prometheus text format (names {@code searchloop_pairs_*}). */
    public String scrape() {
        StringBuilder out = new StringBuilder();
        out.append("# TYPE searchloop_pairs_emitted_total counter\n");
        emitted.forEach((s, n) -> out.append("searchloop_pairs_emitted_total{source=\"").append(s).append("\"} ").append(n.get()).append('\n'));
        out.append("# TYPE searchloop_pairs_interactions_dropped_total counter\n");
        dropped.forEach((r, n) -> out.append("searchloop_pairs_interactions_dropped_total{reason=\"").append(r.label()).append("\"} ").append(n.get()).append('\n'));
        out.append("# TYPE searchloop_pairs_sessions_flagged_total counter\n");
        flaggedSessions.forEach((r, n) -> out.append("searchloop_pairs_sessions_flagged_total{reason=\"").append(r.label()).append("\"} ").append(n.get()).append('\n'));
        out.append("# TYPE searchloop_pairs_dead_lettered_total counter\nsearchloop_pairs_dead_lettered_total ").append(deadLettered.get()).append('\n');
        out.append("# TYPE searchloop_pairs_searches_closed_total counter\nsearchloop_pairs_searches_closed_total ").append(searchesClosed.get()).append('\n');
        out.append("# TYPE searchloop_pairs_state_expired_total counter\nsearchloop_pairs_state_expired_total ").append(expired.get()).append('\n');
        out.append("# TYPE searchloop_pairs_stream_threads_replaced_total counter\nsearchloop_pairs_stream_threads_replaced_total ").append(threadsReplaced.get()).append('\n');
        return out.toString();
    }

    @Override
    public String toString() {
        return "pairs emitted " + emitted + ", searches closed " + searchesClosed + ", dropped " + dropped + ", sessions flagged " + flaggedSessions
                + ", dead-lettered " + deadLettered + ", expired " + expired + ", threads replaced " + threadsReplaced;
    }
}
