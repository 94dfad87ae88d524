package io.searchloop.search.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.observe.ServiceMetrics;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void shouldExposeRequestsAsAHistogramByRouteModeAndStatusAndCountersWithHelp() {
        try (ServiceMetrics service = new ServiceMetrics("search-api")) {
            Metrics metrics = new Metrics(service);
            metrics.observe("/v1/search", "vector", 200, 30_000_000L);
            metrics.observe("/v1/search", "vector", 200, 700_000_000L);
            metrics.observe("/v1/interactions", "-", 409, 2_000_000L);
            metrics.searched("vector");
            metrics.rejected("duplicate");
            metrics.rejected("duplicate");
            AtomicLong published = new AtomicLong(5);
            metrics.counter(
                    "searchloop.events.published",
                    "Events the broker acknowledged",
                    published,
                    AtomicLong::get);
            metrics.gauge("searchloop.query.encoder.queue", "Queries waiting", () -> 3);
            String text = service.scrape();

            assertThat(text)
                    .contains(
                            "# HELP searchloop_http_request_duration_seconds Requests answered, by route, search mode and status")
                    .contains("# TYPE searchloop_http_request_duration_seconds histogram");
            List<String> buckets =
                    text.lines()
                            .filter(
                                    l ->
                                            l.startsWith(
                                                            "searchloop_http_request_duration_seconds_bucket{")
                                                    && l.contains("mode=\"vector\"")
                                                    && l.contains("route=\"/v1/search\"")
                                                    && l.contains("status=\"200\""))
                            .toList();
            assertThat(buckets)
                    .anyMatch(l -> l.contains("le=\"0.05\"") && l.endsWith(" 1"))
                    .anyMatch(l -> l.contains("le=\"1.0\"") && l.endsWith(" 2"))
                    .anyMatch(l -> l.contains("le=\"+Inf\"") && l.endsWith(" 2"));
            assertThat(text)
                    .containsPattern(
                            "searchloop_http_request_duration_seconds_count\\{mode=\"-\",route=\"/v1/interactions\",service=\"search-api\",status=\"409\"} 1")
                    .contains(
                            "searchloop_searches_total{mode=\"vector\",service=\"search-api\"} 1.0")
                    .contains("# TYPE searchloop_requests_rejected_total counter")
                    .contains(
                            "searchloop_requests_rejected_total{reason=\"duplicate\",service=\"search-api\"} 2.0")
                    .contains("searchloop_events_published_total{service=\"search-api\"} 5.0")
                    .contains("# TYPE searchloop_query_encoder_queue gauge")
                    .contains("searchloop_query_encoder_queue{service=\"search-api\"} 3.0");
            assertThat(metrics.rejectedCount("duplicate")).isEqualTo(2);
            assertThat(text)
                    .as("known reasons and modes exist before they first move")
                    .contains(
                            "searchloop_requests_rejected_total{reason=\"rate_limited\",service=\"search-api\"} 0.0")
                    .contains(
                            "searchloop_searches_total{mode=\"hybrid\",service=\"search-api\"} 0.0");
        }
    }
}
