package io.searchloop.pairs.topology;

import io.searchloop.pairs.scoring.Engagement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One search's attribution window as kept in the {@code searches} store: the search (once seen;
 * {@code searchTimestamp} is -1 until then, since interactions may arrive first), the strongest
 * engagement per product, when the first event of the request arrived (event time and wall clock).
 */
record SearchState(String rawQuery, List<String> results, long searchTimestamp, Map<String, Engagement> engagements,
                   long firstEventTimestamp, long firstSeenWallClock) {

    static SearchState start(long eventTimestamp, long wallClock) {
        return new SearchState(null, List.of(), -1, Map.of(), eventTimestamp, wallClock);
    }

    boolean searchSeen() {
        return searchTimestamp >= 0;
    }

    SearchState withSearch(String query, List<String> shown, long timestamp) {
        return new SearchState(query, List.copyOf(shown), timestamp, engagements, Math.min(firstEventTimestamp, timestamp), firstSeenWallClock);
    }

    SearchState withEngagement(Engagement e, long timestamp) {
        Map<String, Engagement> merged = new HashMap<>(engagements);
        merged.merge(e.productId(), e, Engagement::strongest);
        return new SearchState(rawQuery, results, searchTimestamp, merged, Math.min(firstEventTimestamp, timestamp), firstSeenWallClock);
    }

    /** Event time after which nothing more is attributed: the search (or first event) plus window and grace. */
    long closesAt(long windowMs, long graceMs) {
        return (searchSeen() ? searchTimestamp : firstEventTimestamp) + windowMs + graceMs;
    }
}
