package io.searchloop.schemas.registry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach a schema registry. {@code urls} are tried in order on connection failure; a {@code
 * mock://scope} URL selects the in-memory registry. At most one of basic auth ({@code
 * user:password}) and a bearer token may be set. {@link #toString()} hides secrets.
 */
public record RegistryConfig(
        List<String> urls,
        String basicAuthUserInfo,
        String bearerToken,
        Duration requestTimeout,
        int maxRetries,
        Duration retryBackoff) {

    /** What {@code SCHEMA_REGISTRY_URL} must hold, for error messages. */
    public static final String URL_HINT =
            "the schema registry's URL(s), e.g. http://schema-registry:8081 (comma-separated for several nodes); "
                    + "mock://<scope> only when every producer and consumer runs in one JVM";

    /** Whether these URLs name the in-memory registry, which other processes cannot see. */
    public boolean inMemory() {
        return urls.get(0).startsWith(SchemaRegistries.MOCK_PREFIX);
    }

    public RegistryConfig {
        Objects.requireNonNull(urls, "urls");
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("schema registry URL is empty");
        }
        urls = List.copyOf(urls);
        if (basicAuthUserInfo != null && bearerToken != null) {
            throw new IllegalArgumentException(
                    "schema registry: set basic auth or a bearer token, not both");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException(
                    "schema registry: maxRetries must be >= 0, got " + maxRetries);
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
    }

    /** A config with the defaults: no auth, 10 s timeout, 3 retries starting at 200 ms. */
    public static RegistryConfig of(String commaSeparatedUrls) {
        List<String> urls =
                List.of(commaSeparatedUrls.split(",")).stream()
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
        return new RegistryConfig(
                urls, null, null, Duration.ofSeconds(10), 3, Duration.ofMillis(200));
    }

    public RegistryConfig withBasicAuth(String userInfo) {
        return new RegistryConfig(urls, userInfo, null, requestTimeout, maxRetries, retryBackoff);
    }

    public RegistryConfig withBearerToken(String token) {
        return new RegistryConfig(urls, null, token, requestTimeout, maxRetries, retryBackoff);
    }

    public RegistryConfig withRetries(int retries, Duration backoff) {
        return new RegistryConfig(
                urls, basicAuthUserInfo, bearerToken, requestTimeout, retries, backoff);
    }

    public RegistryConfig withRequestTimeout(Duration timeout) {
        return new RegistryConfig(
                urls, basicAuthUserInfo, bearerToken, timeout, maxRetries, retryBackoff);
    }

    @Override
    public String toString() {
        String auth =
                basicAuthUserInfo != null
                        ? "basic(****)"
                        : bearerToken != null ? "bearer(****)" : "none";
        return "RegistryConfig[urls="
                + urls
                + ", auth="
                + auth
                + ", requestTimeout="
                + requestTimeout
                + ", maxRetries="
                + maxRetries
                + ", retryBackoff="
                + retryBackoff
                + "]";
    }
}
