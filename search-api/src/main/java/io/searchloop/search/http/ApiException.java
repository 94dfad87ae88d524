package io.searchloop.search.http;

/**
 * A client mistake or unavailable dependency, answered with its status and a JSON {@code {"error":
 * …}}.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final int retryAfterSeconds;

    public ApiException(int status, String message) {
        this(status, message, 0);
    }

    private ApiException(int status, String message, int retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * Something the request needs is not ready yet (a model, an index loading): 503 with {@code
     * Retry-After: 1}, as the other 503s say when to come back.
     */
    public static ApiException unavailable(String message) {
        return new ApiException(503, message, 1);
    }

    public int status() {
        return status;
    }

    /** Seconds to wait before retrying ({@code Retry-After}); 0 when the answer says none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
