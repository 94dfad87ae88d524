package io.searchloop.pairs.topology;

import io.searchloop.pairs.scoring.Evidence;
import java.util.List;

/**
 * A search whose attribution window has closed, on its way to the session guard: who searched
 * ({@code actor}: the session, or the request itself when the search had no session), the evidence
 * it gives, and what the guard judges the actor by — when each credited interaction happened, and
 * how many purchases skipped the cart.
 */
record ClosedSearch(
        String actor,
        String requestId,
        long searchTimestamp,
        List<Evidence> evidence,
        List<Long> interactionTimes,
        int cartlessPurchases) {}
