package io.searchloop.search.http;

/**
 * A client mistake or unavailable dependency, answered with its status and a JSON {@code {"error":
 * …}}.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
