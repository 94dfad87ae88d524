package io.searchloop.pairs.topology;

import io.searchloop.pairs.DropReason;
import io.searchloop.pairs.EvidenceLimits;
import io.searchloop.pairs.PairMetrics;
import io.searchloop.pairs.PairSettings;
import io.searchloop.pairs.scoring.Evidence;
import io.searchloop.schemas.keys.PairKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Judges actors before their evidence counts. Closed searches arrive keyed by actor; a session's
 * searches are held for {@code sessionHold} of event time (or wall clock) after they arrive, so
 * that the session's later activity can still show what it is; they are and released only if it
 * still looks human then. A session that interacts faster than a human in some minute, engages more
 * than the per-session cap while searches are held, or buys too many products it never put in a
 * cart is flagged: everything it holds is dropped and counted, and it stays muted until {@code
 * flagRetention} after its last activity. A search without a session is its own actor and is judged
 * at once (the per-request cap already bounds it). Released evidence goes on keyed by pair key. A
 * {@link DueIndex}, rebuilt from the store when the task starts, says which actors are due.
 */
final class SessionGuard implements Processor<String, ClosedSearch, String, ActorEvidence> {
    static final String STORE = "actors";

    private final PairSettings settings;
    private final EvidenceLimits limits;
    private final PairMetrics metrics;
    private final DueIndex due = new DueIndex();
    private final StateSize<ActorState> stateSize;
    private ProcessorContext<String, ActorEvidence> context;
    private KeyValueStore<String, ActorState> store;

    SessionGuard(PairSettings settings, PairMetrics metrics) {
        this.settings = settings;
        this.limits = settings.limits();
        this.metrics = metrics;
        this.stateSize =
                new StateSize<>(StateSerdes.actorState().serializer(), limits.maxStateBytes());
    }

    @Override
    public void init(ProcessorContext<String, ActorEvidence> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        StateSerdes.forEachReadable(store, this::index);
        context.schedule(
                settings.punctuateInterval(),
                PunctuationType.STREAM_TIME,
                streamTime -> releaseDue(streamTime, Long.MIN_VALUE));
        context.schedule(
                settings.punctuateInterval(),
                PunctuationType.WALL_CLOCK_TIME,
                wall -> releaseDue(context.currentStreamTimeMs(), wall));
    }

    @Override
    public void process(Record<String, ClosedSearch> record) {
        judge(record);
        releaseDue(
                context.currentStreamTimeMs(),
                Long.MIN_VALUE); // what this record's time made due, without waiting for a
        // punctuation
    }

    private void judge(Record<String, ClosedSearch> record) {
        ClosedSearch search = record.value();
        String actor = record.key();
        ActorState stored = store.get(actor);
        ActorState state = stored == null ? ActorState.empty() : stored;
        long wall = context.currentSystemTimeMs();
        int interactions = search.interactionTimes().size();
        if (state.isFlagged()) {
            metrics.dropped(DropReason.valueOf(state.flagged()), interactions);
            state =
                    state.muted(
                            state.flagged(),
                            Math.max(search.searchTimestamp(), context.currentStreamTimeMs())
                                    + limits.flagRetention().toMillis(),
                            wall + limits.flagRetention().toMillis());
            save(actor, state);
            return;
        }
        // A search that comes again is, under at-least-once, what a crash left uncommitted being
        // processed again. Counted twice it would push a human session over its caps and mute it.
        // Known by its request id and what it counts: a request id reused for other interactions
        // is a new search.
        String key = repeatKey(search);
        if (state.holds(key)) {
            metrics.searchRepeated(); // its evidence is here and will be released: nothing lost
            return;
        }
        // Released already: its evidence may not have reached its topic before the crash (the
        // state's changelog is written apart from it), so it is held again, and counted again
        // only towards the engagement cap. It can come more than once: the killed run's own
        // uncommitted output is read again, and the search is closed again.
        boolean repeat = state.hasCounted(key);
        if (repeat) {
            metrics.searchRepeated();
        }
        boolean session = actor.startsWith("session:");
        long holdMs = session ? limits.sessionHold().toMillis() : 0;
        // Held for hold after it closed, in event time: searches closed in one go after a quiet
        // spell still wait for each other. The record's time (the stream time it closed at), not
        // this task's stream time: after a crash under at-least-once this task resumes ahead, at
        // what the killed run had read, while the searches since the last commit close again;
        // held until then, a session's searches were judged together and its counters spanned
        // them (AtLeastOnceRestartIT: 1-13 human sessions muted for cart-less purchases). The
        // price: a search that closes far behind this task's stream time (an upstream task that
        // lags) waits less than the hold, or not at all.
        long releaseAt =
                Math.max(
                                search.searchTimestamp()
                                        + settings.window().toMillis()
                                        + settings.grace().toMillis(),
                                record.timestamp())
                        + holdMs;
        ActorState.Held held =
                new ActorState.Held(
                        session ? releaseAt : Long.MIN_VALUE,
                        wall + holdMs,
                        search.evidence(),
                        interactions,
                        key);
        state =
                repeat
                        ? state.holdingAgain(held)
                        : state.holding(
                                held,
                                search.interactionTimes(),
                                search.cartlessPurchases(),
                                Math.max(1, limits.sessionHold().toMinutes() + 1),
                                limits.maxEngagementsPerSession());
        DropReason reason = judge(state);
        if (reason == null && stateSize.check(state) != null) {
            reason = DropReason.SESSION_CAP; // holds more evidence than a store entry may: no human
            // does that
        }
        if (reason != null) {
            metrics.sessionFlagged(reason);
            metrics.dropped(reason, state.heldInteractions());
            state =
                    state.muted(
                            reason.name(),
                            Math.max(search.searchTimestamp(), context.currentStreamTimeMs())
                                    + limits.flagRetention().toMillis(),
                            wall + limits.flagRetention().toMillis());
            save(actor, state);
            return;
        }
        if (!session) {
            release(actor, state, stored != null, Long.MAX_VALUE, Long.MAX_VALUE);
            return;
        }
        save(actor, state);
    }

    /**
     * The request id with a digest of what the search counts (its time, interaction times,
     * cart-less purchases and evidence), computed the same way in every JVM; null without a request
     * id.
     */
    static String repeatKey(ClosedSearch search) {
        if (search.requestId() == null) {
            return null;
        }
        long h = search.searchTimestamp();
        for (long t : search.interactionTimes()) {
            h = 31 * h + t;
        }
        h = 31 * h + search.cartlessPurchases();
        for (Evidence e : search.evidence()) {
            h = 31 * h + e.productId().hashCode();
            h = 31 * h + Double.hashCode(e.positive());
            h = 31 * h + Double.hashCode(e.skip());
        }
        return search.requestId() + "#" + Long.toHexString(h);
    }

    /** Why this actor is not human, or null. */
    private DropReason judge(ActorState state) {
        if (state.busiestMinute() > limits.maxInteractionsPerMinute()) {
            return DropReason.SESSION_RATE;
        }
        if (state.engagements() > limits.maxEngagementsPerSession()
                || state.held().size() > limits.maxEngagementsPerSession()) {
            return DropReason.SESSION_CAP;
        }
        if (state.cartlessPurchases() > limits.maxCartlessPurchases()) {
            return DropReason.CARTLESS_PURCHASE;
        }
        return null;
    }

    private void releaseDue(long streamTime, long wallClock) {
        for (String actor : due.due(streamTime, wallClock)) {
            ActorState state = store.get(actor);
            if (state == null) {
                due.remove(actor);
            } else if (state.isFlagged()) {
                if (state.mutedUntil() <= streamTime
                        || (wallClock != Long.MIN_VALUE && state.mutedUntilWall() <= wallClock)) {
                    store.put(actor, null);
                    due.remove(actor);
                }
            } else if (state.onlyRemembers()) {
                if (wallClock != Long.MIN_VALUE && state.forgetAtWall() <= wallClock) {
                    store.put(actor, null);
                    due.remove(actor);
                }
            } else {
                release(actor, state, true, streamTime, wallClock);
            }
        }
    }

    /**
     * Forwards the held searches that are due; keeps the rest. When nothing is left, a session's
     * counted request ids are remembered for the session hold (wall clock): after a crash under
     * at-least-once its searches since the last commit are closed again, and counted again as new
     * they would push it over its caps (in {@code AtLeastOnceRestartIT} 3-13 human sessions were
     * muted that way). Otherwise the actor is forgotten ({@code stored}: whether the store holds
     * the actor, so that an actor never stored costs no second read and no tombstone).
     */
    private void release(
            String actor, ActorState state, boolean stored, long streamTime, long wallClock) {
        List<ActorState.Held> remaining = new ArrayList<>();
        long stamp = Math.max(context.currentStreamTimeMs(), 0);
        for (ActorState.Held held : state.held()) {
            if (held.releaseAt() <= streamTime
                    || (wallClock != Long.MIN_VALUE && held.releaseAtWall() <= wallClock)) {
                for (Evidence e : held.evidence()) {
                    context.forward(
                            new Record<>(
                                    PairKey.of(e.normalizedQuery(), e.productId()),
                                    new ActorEvidence(actor, e),
                                    Math.max(stamp, e.timestamp())));
                }
            } else {
                remaining.add(held);
            }
        }
        if (remaining.isEmpty() && actor.startsWith("session:") && !state.counted().isEmpty()) {
            save(
                    actor,
                    state.withHeld(
                            remaining,
                            context.currentSystemTimeMs() + limits.sessionHold().toMillis()));
        } else if (remaining.isEmpty()) {
            if (stored) {
                store.put(actor, null);
            }
            due.remove(actor);
        } else {
            save(actor, state.withHeld(remaining, 0));
        }
    }

    private void save(String actor, ActorState state) {
        store.put(actor, state);
        index(actor, state);
    }

    private void index(String actor, ActorState state) {
        long[] next = state.nextDeadline();
        due.put(actor, next[0], next[1]);
    }
}
