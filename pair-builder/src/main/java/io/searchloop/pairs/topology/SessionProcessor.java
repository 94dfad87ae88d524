package io.searchloop.pairs.topology;

import io.searchloop.events.Interaction;
import io.searchloop.events.SearchPerformed;
import io.searchloop.events.SearchResult;
import io.searchloop.pairs.DropReason;
import io.searchloop.pairs.EvidenceLimits;
import io.searchloop.pairs.PairMetrics;
import io.searchloop.pairs.PairSettings;
import io.searchloop.pairs.scoring.ImpressionLabeler;
import io.searchloop.schemas.keys.QueryNormalizer;
import io.searchloop.schemas.topics.DeadLetters;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Attributes interactions to their search by request id and, when the search's window (plus grace)
 * has passed, labels what the shopper saw and forwards a {@link ClosedSearch}, keyed by its actor
 * (session, or request when the search has none), to the session guard. The logged result list is
 * the truth: an interaction with a product the search did not show is dropped and counted, and the
 * client's position is never used. A request id holds at most the per-request cap of interactions;
 * one more and the whole request counts for nothing. A record that would grow a request's state
 * past what a store can hold is sent to its dead-letter topic instead. Labelling waits for the
 * window to close so that the skip-above boundary is final: in-order and out-of-order arrival
 * inside the grace period give the same evidence. A window closes when stream time passes it, or —
 * so that quiet periods do not hold evidence back — when that much wall-clock time has passed since
 * the request was first seen. Interactions whose search never arrives are counted and dropped. The
 * {@link ClosingSchedule}, rebuilt from the store when the task starts, says which searches are
 * due, so closing costs what closes, not what is open.
 */
final class SessionProcessor implements Processor<String, Object, String, Object> {
    static final String STORE = "searches";

    private final PairSettings settings;
    private final EvidenceLimits limits;
    private final ImpressionLabeler labeler;
    private final PairMetrics metrics;
    private final StateSize<SearchState> stateSize;
    private final String searchTopic;
    private final Serializer<SearchPerformed> searchSerializer;
    private final String interactionTopic;
    private final Serializer<Interaction> interactionSerializer;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, SearchState> store;
    private ClosingSchedule schedule;

    SessionProcessor(
            PairSettings settings,
            PairMetrics metrics,
            String searchTopic,
            Serializer<SearchPerformed> searchSerializer,
            String interactionTopic,
            Serializer<Interaction> interactionSerializer) {
        this.settings = settings;
        this.limits = settings.limits();
        this.labeler = new ImpressionLabeler(settings.weights(), settings.propensity());
        this.metrics = metrics;
        this.stateSize =
                new StateSize<>(StateSerdes.searchState().serializer(), limits.maxStateBytes());
        this.searchTopic = searchTopic;
        this.searchSerializer = searchSerializer;
        this.interactionTopic = interactionTopic;
        this.interactionSerializer = interactionSerializer;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.schedule =
                new ClosingSchedule(settings.window().toMillis(), settings.grace().toMillis());
        StateSerdes.forEachReadable(store, schedule::put);
        context.schedule(
                settings.punctuateInterval(),
                PunctuationType.STREAM_TIME,
                streamTime -> closeExpired(streamTime, Long.MIN_VALUE));
        context.schedule(
                settings.punctuateInterval(),
                PunctuationType.WALL_CLOCK_TIME,
                wallClock -> closeExpired(context.currentStreamTimeMs(), wallClock));
    }

    @Override
    public void process(Record<String, Object> record) {
        String requestId = record.key();
        if (requestId == null) {
            return;
        }
        SearchState state = store.get(requestId);
        if (state == null) {
            state = SearchState.start(record.timestamp(), context.currentSystemTimeMs());
        }
        SearchState next;
        if (record.value() instanceof SearchPerformed search) {
            List<String> shown =
                    search.getResults().stream()
                            .sorted(Comparator.comparingInt(SearchResult::getPosition))
                            .map(SearchResult::getProductId)
                            .toList();
            next =
                    state.withSearch(
                            search.getQuery(),
                            search.getSessionId(),
                            shown,
                            search.getTimestamp().toEpochMilli());
        } else if (record.value() instanceof Interaction interaction) {
            next = attribute(state, interaction);
            if (next == null) {
                return;
            }
        } else {
            return;
        }
        // Serializing to measure only when the state could come near the limit (JSON escapes can
        // make a character up to 6 bytes).
        String tooLarge =
                next.approximateChars() * 6 < limits.maxStateBytes() ? null : stateSize.check(next);
        if (tooLarge != null) {
            refuse(record, "state of request " + requestId + " " + tooLarge);
            return;
        }
        store.put(requestId, next);
        schedule.put(requestId, next);
    }

    /**
     * The state with this interaction attributed, or null when it is dropped (and counted) instead.
     */
    private SearchState attribute(SearchState state, Interaction interaction) {
        long at = interaction.getTimestamp().toEpochMilli();
        if (state.flooded()) {
            metrics.dropped(DropReason.REQUEST_CAP, 1);
            return null;
        }
        if (state.searchSeen() && at > state.searchTimestamp() + settings.window().toMillis()) {
            metrics.dropped(DropReason.AFTER_WINDOW, 1);
            return null;
        }
        if (state.searchSeen() && !state.results().contains(interaction.getProductId())) {
            metrics.dropped(DropReason.NOT_SHOWN, 1);
            return null;
        }
        if (state.touches().size() >= limits.maxInteractionsPerRequest()) {
            metrics.dropped(DropReason.REQUEST_CAP, state.touches().size() + 1L);
            return state.asFlooded();
        }
        return state.withTouch(
                new SearchState.Touch(interaction.getProductId(), interaction.getType(), at));
    }

    /**
     * Sends the input record, re-encoded, to its topic's dead-letter topic with the reason; its
     * state stays as it was.
     */
    private void refuse(Record<String, Object> record, String reason) {
        metrics.deadLettered();
        byte[] raw;
        String topic;
        if (record.value() instanceof SearchPerformed search) {
            topic = searchTopic;
            raw = searchSerializer.serialize(topic, search);
        } else {
            topic = interactionTopic;
            raw = interactionSerializer.serialize(topic, (Interaction) record.value());
            metrics.dropped(DropReason.UNSTORABLE, 1);
        }
        IllegalStateException error = new IllegalStateException(reason);
        Headers headers =
                context.recordMetadata()
                        .map(
                                m ->
                                        DeadLetters.headers(
                                                record.headers(),
                                                error,
                                                m.topic(),
                                                m.partition(),
                                                m.offset()))
                        .orElseGet(
                                () -> DeadLetters.headers(record.headers(), error, null, -1, -1));
        context.forward(
                new Record<String, Object>(
                        record.key(), new Refused(topic, raw), record.timestamp(), headers));
    }

    private void closeExpired(long streamTime, long wallClock) {
        for (String requestId : schedule.due(streamTime, wallClock)) {
            SearchState state = store.get(requestId);
            if (state != null) {
                close(requestId, state);
                store.put(
                        requestId,
                        null); // a delete that, unlike delete(), does not read back the old value
            }
            schedule.remove(requestId);
        }
    }

    private void close(String requestId, SearchState state) {
        if (!state.searchSeen()) {
            metrics.dropped(DropReason.NO_SEARCH, state.touches().size());
            return;
        }
        metrics.searchClosed();
        String normalized = QueryNormalizer.normalize(state.rawQuery());
        if (state.flooded() || state.touches().isEmpty() || normalized.isEmpty()) {
            return;
        }
        Set<String> shown = new HashSet<>(state.results());
        long notShown =
                state.touches().stream().filter(t -> !shown.contains(t.productId())).count();
        metrics.dropped(DropReason.NOT_SHOWN, notShown);
        ImpressionLabeler.Labelled labelled =
                labeler.label(
                        state.rawQuery(),
                        normalized,
                        state.results(),
                        state.engagements(),
                        state.searchTimestamp());
        List<Long> times =
                state.touches().stream()
                        .filter(t -> shown.contains(t.productId()))
                        .map(SearchState.Touch::timestamp)
                        .toList();
        String actor =
                state.sessionId() != null ? "session:" + state.sessionId() : "request:" + requestId;
        // Stamped with stream time (not the search's time) so that downstream stream time moves on
        // and the holds there can close.
        long stamp = Math.max(context.currentStreamTimeMs(), state.searchTimestamp());
        context.forward(
                new Record<>(
                        actor,
                        new ClosedSearch(
                                actor,
                                requestId,
                                state.searchTimestamp(),
                                labelled.evidence(),
                                times,
                                state.cartlessPurchases()),
                        stamp));
    }
}
