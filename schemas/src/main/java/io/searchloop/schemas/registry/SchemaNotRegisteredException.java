package io.searchloop.schemas.registry;

/**
 * A schema, or the subject itself, is not registered where it was looked up (registry errors 40401
 * / 40403).
 */
public final class SchemaNotRegisteredException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public SchemaNotRegisteredException(String message, int errorCode) {
        super(message, errorCode);
    }

    public SchemaNotRegisteredException(String message, int errorCode, Throwable cause) {
        super(message, errorCode, cause);
    }
}
