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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
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
 */
final class SessionProcessor implements Processor<String, Object, String, Evidence> {
    static final String STORE = "searches";

    private final PairSettings settings;
    private final ImpressionLabeler labeler;
    private final PairMetrics metrics;
    private ProcessorContext<String, Evidence> context;
    private KeyValueStore<String, SearchState> store;

    SessionProcessor(PairSettings settings, PairMetrics metrics) {
        this.settings = settings;
        this.labeler = new ImpressionLabeler(settings.weights(), settings.propensity());
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Evidence> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
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
    }

    private void closeExpired(long streamTime, long wallClock) {
        long window = settings.window().toMillis();
        long grace = settings.grace().toMillis();
        List<KeyValue<String, SearchState>> expired = new ArrayList<>();
        try (KeyValueIterator<String, SearchState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, SearchState> entry = all.next();
                SearchState s = entry.value;
                boolean eventTimePassed = streamTime >= s.closesAt(window, grace);
                boolean idleTooLong = wallClock != Long.MIN_VALUE && wallClock >= s.firstSeenWallClock() + window + grace;
                if (eventTimePassed || idleTooLong) {
                    expired.add(entry);
                }
            }
        }
        for (KeyValue<String, SearchState> entry : expired) {
            close(entry.value);
            store.delete(entry.key);
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
