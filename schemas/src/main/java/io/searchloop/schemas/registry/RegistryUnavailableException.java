package io.searchloop.schemas.registry;

/**
 * The registry could not be reached, or kept answering with server errors after the bounded
 * retries.
 */
public final class RegistryUnavailableException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, int errorCode) {
        super(message, errorCode);
    }

    public RegistryUnavailableException(String message, int errorCode, Throwable cause) {
        super(message, errorCode, cause);
    }
}
