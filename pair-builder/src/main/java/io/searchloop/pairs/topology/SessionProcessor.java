package io.searchloop.pairs.topology;

import io.searchloop.events.Interaction;
import io.searchloop.events.SearchPerformed;
import io.searchloop.events.SearchResult;
import io.searchloop.pairs.PairMetrics;
import io.searchloop.pairs.PairSettings;
import io.searchloop.pairs.scoring.Engagement;
import io.searchloop.pairs.scoring.Evidence;
import io.searchloop.pairs.scoring.ImpressionLabeler;
import io.searchloop.schemas.keys.PairKey;
import io.searchloop.schemas.keys.QueryNormalizer;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Attributes interactions to their search by request id and, when the search's window (plus
 * grace) has passed, labels what the shopper saw and forwards one {@link Evidence} per
 * (normalized query, product), keyed by the pair key. Labelling waits for the window to close so
 * that the skip-above boundary is final: in-order and out-of-order arrival inside the grace
 * period give the same evidence. A window closes when stream time passes it, or — so that quiet
 * periods do not hold evidence back — when that much wall-clock time has passed since the
 * request was first seen. Interactions whose search never arrives are counted and dropped.
 * The {@link ClosingSchedule}, rebuilt from the store when the task starts, says which searches
 * are due, so closing costs what closes, not what is open.
 */
final class SessionProcessor implements Processor<String, Object, String, Evidence> {
    static final String STORE = "searches";

    private final PairSettings settings;
    private final ImpressionLabeler labeler;
    private final PairMetrics metrics;
    private ProcessorContext<String, Evidence> context;
    private KeyValueStore<String, SearchState> store;
    private ClosingSchedule schedule;

    SessionProcessor(PairSettings settings, PairMetrics metrics) {
        this.settings = settings;
        this.labeler = new ImpressionLabeler(settings.weights(), settings.propensity());
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Evidence> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.schedule = new ClosingSchedule(settings.window().toMillis(), settings.grace().toMillis());
        try (KeyValueIterator<String, SearchState> open = store.all()) {
            open.forEachRemaining(entry -> schedule.put(entry.key, entry.value));
        }
        context.schedule(settings.punctuateInterval(), PunctuationType.STREAM_TIME, streamTime -> closeExpired(streamTime, Long.MIN_VALUE));
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME,
                wallClock -> closeExpired(context.currentStreamTimeMs(), wallClock));
    }

    @Override
    public void process(Record<String, Object> record) {
        String requestId = record.key();
        if (requestId == null) {
            return;
        }
        long timestamp = record.timestamp();
        SearchState state = store.get(requestId);
        if (state == null) {
            state = SearchState.start(timestamp, context.currentSystemTimeMs());
        }
        if (record.value() instanceof SearchPerformed search) {
            List<String> shown = search.getResults().stream()
                    .sorted(Comparator.comparingInt(SearchResult::getPosition))
                    .map(SearchResult::getProductId)
                    .toList();
            state = state.withSearch(search.getQuery(), shown, search.getTimestamp().toEpochMilli());
        } else if (record.value() instanceof Interaction interaction) {
            long at = interaction.getTimestamp().toEpochMilli();
            if (state.searchSeen() && at > state.searchTimestamp() + settings.window().toMillis()) {
                metrics.unmatchedInteractions(1); // after the attribution window
                return;
            }
            state = state.withEngagement(new Engagement(interaction.getProductId(), interaction.getType(), interaction.getPosition()), at);
        } else {
            return;
        }
        store.put(requestId, state);
        schedule.put(requestId, state);
    }

    private void closeExpired(long streamTime, long wallClock) {
        for (String requestId : schedule.due(streamTime, wallClock)) {
            SearchState state = store.get(requestId);
            if (state != null) {
                close(state);
                store.put(requestId, null); // a delete that, unlike delete(), does not read back the old value
            }
            schedule.remove(requestId);
        }
    }

    private void close(SearchState state) {
        if (!state.searchSeen()) {
            metrics.unmatchedInteractions(state.engagements().size());
            return;
        }
        metrics.searchClosed();
        String normalized = QueryNormalizer.normalize(state.rawQuery());
        if (normalized.isEmpty()) {
            return;
        }
        for (Evidence e : labeler.label(state.rawQuery(), normalized, state.results(), state.engagements(), state.searchTimestamp())) {
            context.forward(new Record<>(PairKey.of(normalized, e.productId()), e, state.searchTimestamp()));
        }
    }
}
