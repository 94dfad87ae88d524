package io.searchloop.pairs;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when a stream thread dies: replace it, at most {@code maxReplacements} times over the
 * instance's life; after that shut the instance down, so that a record that fails every time ends
 * in a red health check and a restart by the supervisor instead of a loop.
 */
final class ThreadReplacement implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadReplacement.class);

    private final int maxReplacements;
    private final PairMetrics metrics;
    private final AtomicInteger failures = new AtomicInteger();

    ThreadReplacement(int maxReplacements, PairMetrics metrics) {
        this.maxReplacements = maxReplacements;
        this.metrics = metrics;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable error) {
        int failure = failures.incrementAndGet();
        if (failure > maxReplacements) {
            LOG.error(
                    "pair-builder stream thread failed after {} replacements; shutting the instance down",
                    maxReplacements,
                    error);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        metrics.threadReplaced();
        LOG.error(
                "pair-builder stream thread failed; replacing it ({} of {})",
                failure,
                maxReplacements,
                error);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
