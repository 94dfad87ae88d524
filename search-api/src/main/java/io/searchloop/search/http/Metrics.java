package io.searchloop.search.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.searchloop.observe.ServiceMetrics;
import io.searchloop.search.query.SearchMode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The search API's own meters on its Micrometer registry: request latency by route, search mode and
 * status as a Prometheus histogram ({@code searchloop_http_request_duration_seconds}), searches by
 * mode, requests refused by the trust checks by reason, and gauges and counters read from the parts
 * that own them (events published and dropped, the query encoder's queue, the active model).
 */
public final class Metrics {
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    /**
     * Why a request is refused; each series exists from the start at 0, so dashboards and alerts
     * see it before it first moves.
     */
    public static final List<String> REJECTION_REASONS =
            List.of(
                    "bad_token",
                    "expired_token",
                    "token_mismatch",
                    "not_shown",
                    "duplicate",
                    "ledger_full",
                    "content_type",
                    "rate_limited");

    private final ServiceMetrics service;
    private final MeterRegistry registry;

    public Metrics(ServiceMetrics service) {
        this.service = service;
        this.registry = service.registry();
        REJECTION_REASONS.forEach(this::rejectedCounter);
        for (SearchMode mode : SearchMode.values()) {
            searchCounter(mode.label());
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Every meter of the service (JVM, pool, Kafka clients and these), in the Prometheus text
     * format.
     */
    public String scrape() {
        return service.scrape();
    }

    /**
     * A request answered: {@code mode} is the search mode or "-", {@code status} the HTTP status.
     */
    public void observe(String route, String mode, int status, long nanos) {
        Timer.builder("searchloop.http.request.duration")
                .tag("route", route)
                .tag("mode", mode)
                .tag("status", Integer.toString(status))
                .serviceLevelObjectives(BUCKETS)
                .description(
                        "Requests answered, by route, search mode and status, with their latency")
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void searched(String mode) {
        searchCounter(mode).increment();
    }

    private Counter searchCounter(String mode) {
        return Counter.builder("searchloop.searches")
                .tag("mode", mode)
                .description("Searches answered, by mode")
                .register(registry);
    }

    /**
     * An interaction (or request) refused before it was published, by reason: bad_token, not_shown,
     * duplicate, rate_limited, …
     */
    public void rejected(String reason) {
        rejectedCounter(reason).increment();
    }

    public long rejectedCount(String reason) {
        return (long) rejectedCounter(reason).count();
    }

    private Counter rejectedCounter(String reason) {
        return Counter.builder("searchloop.requests.rejected")
                .tag("reason", reason)
                .description("Requests refused by the trust checks, by reason")
                .register(registry);
    }

    /** A gauge read from {@code owner} at each scrape. */
    public <T> void gauge(String name, String help, T owner, ToDoubleFunction<T> value) {
        Gauge.builder(name, owner, value).description(help).register(registry);
    }

    /** A counter kept by {@code owner} (monotonic), read at each scrape. */
    public <T> void counter(String name, String help, T owner, ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, owner, value).description(help).register(registry);
    }

    /** A gauge with one tag, computed at each scrape. */
    public void gauge(
            String name, String help, String tag, String tagValue, Supplier<Number> value) {
        Gauge.builder(name, value).tag(tag, tagValue).description(help).register(registry);
    }

    /** A gauge whose value is computed at each scrape. */
    public void gauge(String name, String help, Supplier<Number> value) {
        Gauge.builder(name, value).description(help).register(registry);
    }
}
