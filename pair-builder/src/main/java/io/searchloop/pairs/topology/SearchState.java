package io.searchloop.pairs.topology;

import io.searchloop.events.InteractionType;
import io.searchloop.pairs.scoring.Engagement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One search's attribution window as kept in the {@code searches} store: the search (once seen;
 * {@code searchTimestamp} is -1 until then, since interactions may arrive first) with its session
 * and logged results, the interactions received for it (at most the per-request cap: one more and
 * the request is {@code flooded}, its touches are dropped and it counts for nothing), and when the
 * first event of the request arrived (event time and wall clock). Its size is bounded by the
 * results and the cap, never by what a client sends.
 */
record SearchState(
        String rawQuery,
        String sessionId,
        List<String> results,
        long searchTimestamp,
        List<Touch> touches,
        boolean flooded,
        long firstEventTimestamp,
        long firstSeenWallClock) {

    SearchState {
        // Entries written before touches existed (an upgrade with windows open) read back with
        // nulls.
        results = results == null ? List.of() : results;
        touches = touches == null ? List.of() : touches;
    }

    /**
     * One interaction as received: its product, kind and time. The client's position is not kept.
     */
    record Touch(String productId, InteractionType type, long timestamp) {}

    static SearchState start(long eventTimestamp, long wallClock) {
        return new SearchState(
                null, null, List.of(), -1, List.of(), false, eventTimestamp, wallClock);
    }

    boolean searchSeen() {
        return searchTimestamp >= 0;
    }

    SearchState withSearch(String query, String session, List<String> shown, long timestamp) {
        return new SearchState(
                query,
                session,
                List.copyOf(shown),
                timestamp,
                touches,
                flooded,
                Math.min(firstEventTimestamp, timestamp),
                firstSeenWallClock);
    }

    SearchState withTouch(Touch touch) {
        List<Touch> more = new ArrayList<>(touches);
        more.add(touch);
        return new SearchState(
                rawQuery,
                sessionId,
                results,
                searchTimestamp,
                more,
                flooded,
                Math.min(firstEventTimestamp, touch.timestamp()),
                firstSeenWallClock);
    }

    /**
     * Over the per-request cap: forget the touches, remember that this request counts for nothing.
     */
    SearchState asFlooded() {
        return new SearchState(
                rawQuery,
                sessionId,
                results,
                searchTimestamp,
                List.of(),
                true,
                firstEventTimestamp,
                firstSeenWallClock);
    }

    /** The strongest engagement per product, in the order first touched. */
    Map<String, Engagement> engagements() {
        Map<String, Engagement> out = new LinkedHashMap<>();
        for (Touch t : touches) {
            out.merge(
                    t.productId(), new Engagement(t.productId(), t.type()), Engagement::strongest);
        }
        return out;
    }

    /** Products purchased in this search that were never put in the cart in it. */
    int cartlessPurchases() {
        Set<String> carted = new HashSet<>();
        touches.stream()
                .filter(t -> t.type() == InteractionType.ADD_TO_CART)
                .forEach(t -> carted.add(t.productId()));
        return (int)
                touches.stream()
                        .filter(
                                t ->
                                        t.type() == InteractionType.PURCHASE
                                                && !carted.contains(t.productId()))
                        .map(Touch::productId)
                        .distinct()
                        .count();
    }

    /**
     * An upper bound of the JSON size in characters (UTF-8 may take up to 3 bytes each), cheap
     * enough for every record.
     */
    long approximateChars() {
        long chars =
                256L
                        + (rawQuery == null ? 0 : rawQuery.length())
                        + (sessionId == null ? 0 : sessionId.length());
        for (String r : results) {
            chars += r.length() + 8;
        }
        for (Touch t : touches) {
            chars += t.productId().length() + 80;
        }
        return chars;
    }

    /**
     * Event time after which nothing more is attributed: the search (or first event) plus window
     * and grace.
     */
    long closesAt(long windowMs, long graceMs) {
        return (searchSeen() ? searchTimestamp : firstEventTimestamp) + windowMs + graceMs;
    }
}
