package io.searchloop.pairs;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.searchloop.events.PairSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pair-builder's own counters, beside Kafka Streams' metrics: pairs emitted by source,
 * interactions not credited by reason, sessions judged non-human by reason, records sent to a
 * dead-letter topic, closed searches seen again, state entries expired by retention, stream threads
 * replaced. Thread-safe; one instance per service, shared by its stream threads.
 */
public final class PairMetrics implements MeterBinder {
    private final Map<PairSource, AtomicLong> emitted = new EnumMap<>(PairSource.class);
    private final Map<DropReason, AtomicLong> dropped = new EnumMap<>(DropReason.class);
    private final Map<DropReason, AtomicLong> flaggedSessions = new EnumMap<>(DropReason.class);
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong searchesClosed = new AtomicLong();
    private final AtomicLong searchesRepeated = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong threadsReplaced = new AtomicLong();
    private final AtomicLong unreadableState = new AtomicLong();

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

    /**
     * A session was judged non-human for {@code reason}; its interactions are counted by {@link
     * #dropped}.
     */
    public void sessionFlagged(DropReason reason) {
        flaggedSessions.get(reason).incrementAndGet();
    }

    public void deadLettered() {
        deadLettered.incrementAndGet();
    }

    public void searchClosed() {
        searchesClosed.incrementAndGet();
    }

    /**
     * A closed search reached the session guard again after it had counted (under at-least-once:
     * processed again after a crash): ignored while it is held, held again once released, and not
     * counted again towards the rate and cart-less caps.
     */
    public void searchRepeated() {
        searchesRepeated.incrementAndGet();
    }

    public long searchesRepeatedCount() {
        return searchesRepeated.get();
    }

    public void expired(long count) {
        expired.addAndGet(count);
    }

    /** A state-store value that could not be read and was treated as absent. */
    public void unreadableState() {
        unreadableState.incrementAndGet();
    }

    public long unreadableStateCount() {
        return unreadableState.get();
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

    /**
     * Every counter as a Prometheus counter named {@code searchloop_pairs_*_total}, read live from
     * this object.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        emitted.forEach(
                (source, n) ->
                        FunctionCounter.builder("searchloop.pairs.emitted", n, AtomicLong::get)
                                .tag("source", source.name())
                                .description("Training pairs emitted to training-pairs, by source")
                                .register(registry));
        dropped.forEach(
                (reason, n) ->
                        FunctionCounter.builder(
                                        "searchloop.pairs.interactions.dropped", n, AtomicLong::get)
                                .tag("reason", reason.label())
                                .description("Interactions not credited as evidence, by reason")
                                .register(registry));
        flaggedSessions.forEach(
                (reason, n) ->
                        FunctionCounter.builder(
                                        "searchloop.pairs.sessions.flagged", n, AtomicLong::get)
                                .tag("reason", reason.label())
                                .description("Sessions judged non-human, by reason")
                                .register(registry));
        FunctionCounter.builder("searchloop.pairs.dead.lettered", deadLettered, AtomicLong::get)
                .description(
                        "Input records sent to a dead-letter topic because they can never be read")
                .register(registry);
        FunctionCounter.builder("searchloop.pairs.searches.closed", searchesClosed, AtomicLong::get)
                .description(
                        "Searches whose attribution window closed and whose evidence was scored")
                .register(registry);
        FunctionCounter.builder(
                        "searchloop.pairs.searches.repeated", searchesRepeated, AtomicLong::get)
                .description(
                        "Closed searches that reached the session guard again (processed again"
                                + " after a crash under at-least-once) and did not count again")
                .register(registry);
        FunctionCounter.builder("searchloop.pairs.state.expired", expired, AtomicLong::get)
                .description("State-store entries removed by retention")
                .register(registry);
        FunctionCounter.builder(
                        "searchloop.pairs.stream.threads.replaced",
                        threadsReplaced,
                        AtomicLong::get)
                .description("Kafka Streams threads that failed and were replaced")
                .register(registry);
        FunctionCounter.builder(
                        "searchloop.pairs.state.unreadable", unreadableState, AtomicLong::get)
                .description("State-store values that could not be read and counted as absent")
                .register(registry);
    }

    @Override
    public String toString() {
        return "pairs emitted "
                + emitted
                + ", searches closed "
                + searchesClosed
                + ", searches repeated "
                + searchesRepeated
                + ", dropped "
                + dropped
                + ", sessions flagged "
                + flaggedSessions
                + ", dead-lettered "
                + deadLettered
                + ", expired "
                + expired
                + ", threads replaced "
                + threadsReplaced
                + ", unreadable state "
                + unreadableState;
    }
}
