package io.searchloop.schemas.failure;

import java.time.Duration;

/**
 * Doubling waits between {@code initial} and {@code max}, with up to 20% jitter; {@link #reset()}
 * after a success. Not thread-safe.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The wait to use now; the one after it is twice as long, up to the maximum. */
    public Duration next() {
        Duration now = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        long jitter = (long) (now.toMillis() * 0.2 * Math.random());
        return now.plusMillis(jitter);
    }

    public void reset() {
        next = initial;
    }

    /** Sleeps {@link #next()}. */
    public void pause() throws InterruptedException {
        Thread.sleep(next().toMillis());
    }
}
