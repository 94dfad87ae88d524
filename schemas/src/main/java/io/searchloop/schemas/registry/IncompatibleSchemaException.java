package io.searchloop.schemas.registry;

/** The registry refused a schema as incompatible with the subject's earlier versions (HTTP 409). */
public final class IncompatibleSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public IncompatibleSchemaException(String message, int errorCode) {
        super(message, errorCode);
    }

    public IncompatibleSchemaException(String message, int errorCode, Throwable cause) {
        super(message, errorCode, cause);
    }
}
