package io.searchloop.schemas.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A schema-registry call failed. It extends Kafka's {@link SerializationException} so that a
 * consumer's or Streams app's deserialization handler sees it as a bad record and can route it to a
 * dead-letter topic. {@link #errorCode()} is the registry's numeric error code (e.g. 40403), or -1
 * when the failure did not come from the registry's answer.
 */
public class SchemaRegistryException extends SerializationException {
    private static final long serialVersionUID = 1L;
    private final int errorCode;

    public SchemaRegistryException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, int errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public int errorCode() {
        return errorCode;
    }
}
