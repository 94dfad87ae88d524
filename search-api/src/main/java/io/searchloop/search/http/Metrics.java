package io.searchloop.search.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Request latency histograms per route and mode, counters, and gauges, in the Prometheus text format. */
public final class Metrics {
    private static final double[] BUCKETS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private record Key(String route, String mode) {}

    private static final class Histogram {
        final LongAdder[] buckets = new LongAdder[BUCKETS_SECONDS.length];
        final LongAdder count = new LongAdder();
        final AtomicLong sumNanos = new AtomicLong();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void observe(long nanos) {
            double seconds = nanos / 1e9;
            for (int i = 0; i < BUCKETS_SECONDS.length; i++) {
                if (seconds <= BUCKETS_SECONDS[i]) {
                    buckets[i].increment();
                }
            }
            count.increment();
            sumNanos.addAndGet(nanos);
        }
    }

    private final Map<Key, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> searches = new ConcurrentHashMap<>();
    private final Map<Key, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new TreeMap<>();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();

    public void observe(String route, String mode, int status, long nanos) {
        latency.computeIfAbsent(new Key(route, mode), k -> new Histogram()).observe(nanos);
        if (status >= 400) {
            errors.computeIfAbsent(new Key(route, Integer.toString(status)), k -> new LongAdder()).increment();
        }
    }

    public void searched(String mode) {
        searches.computeIfAbsent(mode, m -> new LongAdder()).increment();
    }

    /** An interaction (or request) refused before it was published, by reason: bad_token, not_shown, duplicate, rate_limited, … */
    public void rejected(String reason) {
        rejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public long rejectedCount(String reason) {
        LongAdder n = rejected.get(reason);
        return n == null ? 0 : n.sum();
    }

    public synchronized void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
    }

    public synchronized String scrape() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP searchloop_http_request_duration_seconds Request latency by route and search mode.\n");
        out.append("# TYPE searchloop_http_request_duration_seconds histogram\n");
        latency.forEach((key, h) -> {
            String labels = "route=\"" + key.route() + "\",mode=\"" + key.mode() + "\"";
            for (int i = 0; i < BUCKETS_SECONDS.length; i++) {
                out.append("searchloop_http_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(BUCKETS_SECONDS[i])
                        .append("\"} ").append(h.buckets[i].sum()).append('\n');
            }
            out.append("searchloop_http_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ").append(h.count.sum()).append('\n');
            out.append("searchloop_http_request_duration_seconds_sum{").append(labels).append("} ").append(h.sumNanos.get() / 1e9).append('\n');
            out.append("searchloop_http_request_duration_seconds_count{").append(labels).append("} ").append(h.count.sum()).append('\n');
        });
        out.append("# HELP searchloop_searches_total Searches answered, by mode.\n# TYPE searchloop_searches_total counter\n");
        searches.forEach((mode, n) -> out.append("searchloop_searches_total{mode=\"").append(mode).append("\"} ").append(n.sum()).append('\n'));
        out.append("# HELP searchloop_http_errors_total Responses with status >= 400, by route and status.\n# TYPE searchloop_http_errors_total counter\n");
        errors.forEach((key, n) -> out.append("searchloop_http_errors_total{route=\"").append(key.route()).append("\",status=\"")
                .append(key.mode()).append("\"} ").append(n.sum()).append('\n'));
        out.append("# HELP searchloop_requests_rejected_total Requests refused by the trust checks, by reason.\n# TYPE searchloop_requests_rejected_total counter\n");
        rejected.forEach((reason, n) -> out.append("searchloop_requests_rejected_total{reason=\"").append(reason).append("\"} ").append(n.sum()).append('\n'));
        gauges.forEach((name, value) -> out.append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value.getAsLong()).append('\n'));
        return out.toString();
    }
}
