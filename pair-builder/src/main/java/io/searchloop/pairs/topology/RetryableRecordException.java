package io.searchloop.pairs.topology;

import org.apache.kafka.streams.errors.StreamsException;

/**
 * A record could not be processed because a dependency is down; the task fails and its records are
 * processed again.
 */
public final class RetryableRecordException extends StreamsException {
    private static final long serialVersionUID = 1L;

    public RetryableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
