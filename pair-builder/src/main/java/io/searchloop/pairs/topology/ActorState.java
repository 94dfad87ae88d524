package io.searchloop.pairs.topology;

import io.searchloop.pairs.scoring.Evidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the session guard knows of one actor (a session, or a request without one), as kept in the
 * {@code actors} store: its closed searches still held back, its interactions per minute while any
 * are held, engagements and cart-less purchases in that time, and — once judged non-human — why,
 * and until when (event time and wall clock) it stays muted. Bounded: a held search counts towards
 * the caps, and crossing one flags the actor and drops what it held.
 */
record ActorState(
        String flagged,
        long mutedUntil,
        long mutedUntilWall,
        List<Held> held,
        Map<Long, Integer> perMinute,
        int engagements,
        int cartlessPurchases) {

    /** A closed search waiting for its release time. */
    record Held(long releaseAt, long releaseAtWall, List<Evidence> evidence, int interactions) {}

    static ActorState empty() {
        return new ActorState(null, 0, 0, List.of(), Map.of(), 0, 0);
    }

    boolean isFlagged() {
        return flagged != null;
    }

    /**
     * With one more closed search held; minutes older than {@code keepMinutes} before the newest
     * are forgotten.
     */
    ActorState holding(Held search, List<Long> interactionTimes, int cartless, long keepMinutes) {
        List<Held> more = new ArrayList<>(held);
        more.add(search);
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
                cartlessPurchases + cartless);
    }

    int heldInteractions() {
        return held.stream().mapToInt(Held::interactions).sum();
    }

    int busiestMinute() {
        return perMinute.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    ActorState muted(String reason, long until, long untilWall) {
        return new ActorState(reason, until, untilWall, List.of(), Map.of(), 0, 0);
    }

    ActorState withHeld(List<Held> remaining) {
        return new ActorState(
                flagged,
                mutedUntil,
                mutedUntilWall,
                remaining,
                perMinute,
                engagements,
                cartlessPurchases);
    }

    /** The earliest release or unmute time, event time and wall clock. */
    long[] nextDeadline() {
        if (isFlagged()) {
            return new long[] {mutedUntil, mutedUntilWall};
        }
        long event = held.stream().mapToLong(Held::releaseAt).min().orElse(Long.MAX_VALUE);
        long wall = held.stream().mapToLong(Held::releaseAtWall).min().orElse(Long.MAX_VALUE);
        return new long[] {event, wall};
    }
}
