package io.searchloop.pairs.topology;

import io.searchloop.pairs.scoring.Evidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the session guard knows of one actor (a session, or a request without one), as kept in the
 * {@code actors} store: its closed searches still held back, its interactions per minute while any
 * are held, engagements and cart-less purchases in that time, the request ids of the searches it
 * counted, and — once judged non-human — why, and until when (event time and wall clock) it stays
 * muted. Once nothing is held the counters start again, but the request ids (each with a digest of
 * what it counted) are remembered until {@code forgetAtWall}, so that a search processed again
 * after a crash is recognized. Bounded: a held search counts towards the caps, crossing one flags
 * the actor and drops what it held, and at most a given number of request ids is remembered.
 */
record ActorState(
        String flagged,
        long mutedUntil,
        long mutedUntilWall,
        List<Held> held,
        Map<Long, Integer> perMinute,
        int engagements,
        int cartlessPurchases,
        List<String> counted,
        long forgetAtWall) {

    /** State stored before {@code counted} existed reads as having counted nothing. */
    ActorState {
        counted = counted == null ? List.of() : counted;
    }

    /**
     * A closed search waiting for its release time ({@code requestId}: its request id with a digest
     * of what it counts, see {@code SessionGuard.repeatKey}; null in state stored before it was
     * kept).
     */
    record Held(
            long releaseAt,
            long releaseAtWall,
            List<Evidence> evidence,
            int interactions,
            String requestId) {}

    static ActorState empty() {
        return new ActorState(null, 0, 0, List.of(), Map.of(), 0, 0, List.of(), 0);
    }

    boolean isFlagged() {
        return flagged != null;
    }

    /** Whether the search of this request id is held. */
    boolean holds(String requestId) {
        return requestId != null && held.stream().anyMatch(h -> requestId.equals(h.requestId()));
    }

    /** Whether the search of this request id counted towards the caps. */
    boolean hasCounted(String requestId) {
        return requestId != null && counted.contains(requestId);
    }

    /**
     * With one more closed search held and counted (its request id remembered when it has
     * interactions, the oldest forgotten beyond {@code maxIds}: one that counts nothing needs no
     * guard against a repeat); minutes older than {@code keepMinutes} before the newest are
     * forgotten.
     */
    ActorState holding(
            Held search, List<Long> interactionTimes, int cartless, long keepMinutes, int maxIds) {
        List<Held> more = new ArrayList<>(held);
        more.add(search);
        List<String> ids = counted;
        if (!interactionTimes.isEmpty() && search.requestId() != null) {
            ids = new ArrayList<>(counted);
            ids.add(search.requestId());
            if (ids.size() > maxIds) {
                ids = new ArrayList<>(ids.subList(ids.size() - maxIds, ids.size()));
            }
        }
        TreeMap<Long, Integer> minutes = new TreeMap<>(perMinute);
        for (long t : interactionTimes) {
            minutes.merge(Math.floorDiv(t, 60_000L), 1, Integer::sum);
        }
        if (!minutes.isEmpty()) {
            minutes.headMap(minutes.lastKey() - keepMinutes).clear();
        }
        return new ActorState(
                null,
                0,
                0,
                more,
                minutes,
                engagements + interactionTimes.size(),
                cartlessPurchases + cartless,
                ids,
                0);
    }

    /**
     * With a search that counted before held again. Its interactions count towards the engagement
     * cap again (so that repeating a search cannot push a pair without bound), but not towards the
     * rate or the cart-less purchases, which a repeat would distort (the same minute, the same
     * purchase, twice).
     */
    ActorState holdingAgain(Held search) {
        List<Held> more = new ArrayList<>(held);
        more.add(search);
        return new ActorState(
                flagged,
                mutedUntil,
                mutedUntilWall,
                more,
                perMinute,
                engagements + search.interactions(),
                cartlessPurchases,
                counted,
                0);
    }

    int heldInteractions() {
        return held.stream().mapToInt(Held::interactions).sum();
    }

    int busiestMinute() {
        return perMinute.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    ActorState muted(String reason, long until, long untilWall) {
        return new ActorState(reason, until, untilWall, List.of(), Map.of(), 0, 0, List.of(), 0);
    }

    /**
     * With only {@code remaining} held; when that is nothing, the counters start again and the
     * request ids are remembered until {@code forgetAtWall}.
     */
    ActorState withHeld(List<Held> remaining, long forgetAtWall) {
        if (remaining.isEmpty()) {
            return new ActorState(null, 0, 0, List.of(), Map.of(), 0, 0, counted, forgetAtWall);
        }
        return new ActorState(
                flagged,
                mutedUntil,
                mutedUntilWall,
                remaining,
                perMinute,
                engagements,
                cartlessPurchases,
                counted,
                0);
    }

    /** Whether nothing is held or muted and only request ids are remembered. */
    boolean onlyRemembers() {
        return !isFlagged() && held.isEmpty();
    }

    /** The earliest release, unmute or forgetting time, event time and wall clock. */
    long[] nextDeadline() {
        if (isFlagged()) {
            return new long[] {mutedUntil, mutedUntilWall};
        }
        if (held.isEmpty()) {
            return new long[] {Long.MAX_VALUE, forgetAtWall};
        }
        long event = held.stream().mapToLong(Held::releaseAt).min().orElse(Long.MAX_VALUE);
        long wall = held.stream().mapToLong(Held::releaseAtWall).min().orElse(Long.MAX_VALUE);
        return new long[] {event, wall};
    }
}
