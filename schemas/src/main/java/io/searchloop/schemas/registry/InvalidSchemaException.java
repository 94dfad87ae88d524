package io.searchloop.schemas.registry;

/** The registry refused a schema as invalid (registry error 42201). */
public final class InvalidSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public InvalidSchemaException(String message, int errorCode) {
        super(message, errorCode);
    }

    public InvalidSchemaException(String message, int errorCode, Throwable cause) {
        super(message, errorCode, cause);
    }
}
