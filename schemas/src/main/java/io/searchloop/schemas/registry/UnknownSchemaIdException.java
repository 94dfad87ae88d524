package io.searchloop.schemas.registry;

/** No schema is registered under a global id (registry error 40403 on a lookup by id). */
public final class UnknownSchemaIdException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public UnknownSchemaIdException(String message, int errorCode) {
        super(message, errorCode);
    }

    public UnknownSchemaIdException(String message, int errorCode, Throwable cause) {
        super(message, errorCode, cause);
    }
}
