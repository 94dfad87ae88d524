package io.searchloop.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes are not a valid event: truncated, corrupt Avro, or not resolvable to the
 * reader's schema.
 */
public class MalformedEventException extends SerializationException {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
