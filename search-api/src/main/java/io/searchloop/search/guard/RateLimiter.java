package io.searchloop.search.guard;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client ({@code perSecond} refill, {@code burst} size), answering how many
 * seconds a refused client should wait. Bounded: at {@code maxClients} buckets, full (idle) ones
 * are forgotten; clients beyond that share one overflow bucket. {@code perSecond} 0 turns it off.
 */
public final class RateLimiter {
    private static final String OVERFLOW = "\u0000overflow";

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    private final double perSecond;
    private final double burst;
    private final int maxClients;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double perSecond, double burst, int maxClients) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.maxClients = maxClients;
    }

    /** 0 if {@code client} may go ahead now (and takes a token), else the whole seconds to wait. */
    public long acquire(String client, long nowNanos) {
        if (perSecond <= 0) {
            return 0;
        }
        if (!buckets.containsKey(client) && buckets.size() >= maxClients) {
            forgetIdle(nowNanos);
            if (buckets.size() >= maxClients) {
                client = OVERFLOW;
            }
        }
        Bucket b = buckets.computeIfAbsent(client, c -> new Bucket(burst, nowNanos));
        synchronized (b) {
            refill(b, nowNanos);
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond));
        }
    }

    int clients() {
        return buckets.size();
    }

    private void refill(Bucket b, long nowNanos) {
        b.tokens = Math.min(burst, b.tokens + (nowNanos - b.updatedNanos) / 1e9 * perSecond);
        b.updatedNanos = nowNanos;
    }

    private synchronized void forgetIdle(long nowNanos) {
        buckets.entrySet()
                .removeIf(
                        e -> {
                            synchronized (e.getValue()) {
                                refill(e.getValue(), nowNanos);
                                return e.getValue().tokens >= burst && !e.getKey().equals(OVERFLOW);
                            }
                        });
    }
}
