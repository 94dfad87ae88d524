package io.searchloop.search.guard;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which (token, product, type) engagements were accepted, until their token expires, so a
 * replay is refused. Bounded: at capacity, expired entries are forgotten first (oldest first); if
 * it is still full the engagement is refused as "busy" rather than remembered without bound.
 */
public final class EngagementLedger {
    /** What {@link #record} decided. */
    public enum Outcome {
        NEW,
        DUPLICATE,
        FULL
    }

    private final int capacity;
    private final Map<String, Long> expiresAt = new LinkedHashMap<>();

    public EngagementLedger(int capacity) {
        this.capacity = capacity;
    }

    public synchronized Outcome record(
            String tokenMac, String productId, String type, Instant expires, Instant now) {
        String key = tokenMac + "|" + productId + "|" + type;
        if (expiresAt.containsKey(key)) {
            return Outcome.DUPLICATE;
        }
        if (expiresAt.size() >= capacity) {
            forgetExpired(now.toEpochMilli());
            if (expiresAt.size() >= capacity) {
                return Outcome.FULL;
            }
        }
        expiresAt.put(key, expires.toEpochMilli());
        return Outcome.NEW;
    }

    public synchronized int size() {
        return expiresAt.size();
    }

    private void forgetExpired(long now) {
        Iterator<Map.Entry<String, Long>> it = expiresAt.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue() <= now) {
                it.remove();
            }
        }
    }
}
