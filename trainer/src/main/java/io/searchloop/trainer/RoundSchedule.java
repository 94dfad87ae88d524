package io.searchloop.trainer;

import io.searchloop.schemas.failure.Fatal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduled evaluation of the retrain trigger. A round that fails with an exception is logged
 * and the trigger waits {@code backoff} before it is evaluated again; an {@link Error} (out of
 * memory in a round, a native library failing) goes to the service's {@link Fatal}, so the process
 * is restarted instead of the schedule dying silently while the trainer still looks alive.
 */
final class RoundSchedule implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RoundSchedule.class);

    /** Evaluates the trigger and runs a round if it fires. */
    @FunctionalInterface
    interface Check {
        boolean run() throws Exception;
    }

    private final Check check;
    private final Duration backoff;
    private final Fatal fatal;
    private final Clock clock;
    private volatile Instant retryNotBefore = Instant.MIN;

    RoundSchedule(Check check, Duration backoff, Fatal fatal, Clock clock) {
        this.check = check;
        this.backoff = backoff;
        this.fatal = fatal;
        this.clock = clock;
    }

    @Override
    public void run() {
        if (clock.instant().isBefore(retryNotBefore)) {
            return;
        }
        try {
            boolean unusedRan = check.run();
        } catch (Exception e) {
            retryNotBefore = clock.instant().plus(backoff);
            LOG.error(
                    "training round failed; the trigger will be evaluated again after {}",
                    backoff,
                    e);
        } catch (Error e) {
            fatal.stop("trainer round schedule", e);
        }
    }
}
