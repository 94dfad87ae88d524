package io.searchloop.pairs;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.events.PairSource;
import io.searchloop.observe.ServiceMetrics;
import org.junit.jupiter.api.Test;

class PairMetricsTest {
    @Test
    void shouldExposeEveryCounterAsAPrometheusCounterWithHelp() {
        PairMetrics metrics = new PairMetrics();
        try (ServiceMetrics registry = new ServiceMetrics("pair-builder")) {
            registry.bind(metrics);
            metrics.emitted(PairSource.INTERACTIONS);
            metrics.emitted(PairSource.INTERACTIONS);
            metrics.dropped(DropReason.NOT_SHOWN, 3);
            metrics.sessionFlagged(DropReason.SESSION_RATE);
            metrics.deadLettered();
            metrics.searchClosed();
            metrics.searchRepeated();
            metrics.expired(4);
            metrics.threadReplaced();
            metrics.unreadableState();
            String text = registry.scrape();
            assertThat(text)
                    .contains(
                            "# HELP searchloop_pairs_emitted_total Training pairs emitted to training-pairs, by source")
                    .contains("# TYPE searchloop_pairs_emitted_total counter")
                    .contains(
                            "searchloop_pairs_emitted_total{service=\"pair-builder\",source=\"INTERACTIONS\"} 2.0")
                    .contains(
                            "searchloop_pairs_interactions_dropped_total{reason=\""
                                    + DropReason.NOT_SHOWN.label()
                                    + "\",service=\"pair-builder\"} 3.0")
                    .contains(
                            "searchloop_pairs_sessions_flagged_total{reason=\""
                                    + DropReason.SESSION_RATE.label()
                                    + "\",service=\"pair-builder\"} 1.0")
                    .contains("searchloop_pairs_dead_lettered_total{service=\"pair-builder\"} 1.0")
                    .contains(
                            "searchloop_pairs_searches_closed_total{service=\"pair-builder\"} 1.0")
                    .contains(
                            "searchloop_pairs_searches_repeated_total{service=\"pair-builder\"} 1.0")
                    .contains("searchloop_pairs_state_expired_total{service=\"pair-builder\"} 4.0")
                    .contains(
                            "searchloop_pairs_stream_threads_replaced_total{service=\"pair-builder\"} 1.0")
                    .contains(
                            "searchloop_pairs_state_unreadable_total{service=\"pair-builder\"} 1.0");
        }
    }
}
