package io.searchloop.pairs.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * Evidence for one (query, product) held back for the burst window, as kept in the {@code
 * pair-pending} store: the items, when they fall due (event time and wall clock), and whether the
 * window turned out to be a burst (then the items are gone, and later ones are dropped too until
 * the pair has been quiet for a whole window).
 */
record PendingPair(List<ActorEvidence> items, long dueAt, long dueAtWall, boolean burst) {

    PendingPair with(ActorEvidence item) {
        List<ActorEvidence> more = new ArrayList<>(items);
        more.add(item);
        return new PendingPair(more, dueAt, dueAtWall, burst);
    }

    long engagingActors() {
        return items.stream()
                .filter(i -> i.evidence().positive() > 0)
                .map(ActorEvidence::actor)
                .distinct()
                .count();
    }

    PendingPair extendedTo(long newDueAt, long newDueAtWall) {
        return new PendingPair(items, newDueAt, newDueAtWall, burst);
    }

    PendingPair asBurst() {
        return new PendingPair(List.of(), dueAt, dueAtWall, true);
    }
}
