package io.searchloop.schemas.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OutboxRelayTest {
    /** An outbox table in memory: id → event, and the ids marked sent. */
    private static final class Table implements OutboxRelay.Outbox<String> {
        final TreeMap<Long, String> rows = new TreeMap<>();
        final List<Long> sent = new ArrayList<>();

        Table(int count) {
            for (long id = 1; id <= count; id++) {
                rows.put(id, "e" + id);
            }
        }

        @Override
        public List<OutboxRelay.Pending<String>> unsent(int limit) {
            return rows.entrySet().stream()
                    .filter(e -> !sent.contains(e.getKey()))
                    .limit(limit)
                    .map(e -> new OutboxRelay.Pending<>(e.getKey(), e.getValue()))
                    .toList();
        }

        @Override
        public void markSent(long id) {
            sent.add(id);
        }
    }

    @Test
    void shouldPublishEveryUnsentEventInOrderAcrossBatchesAndNothingTwice() throws Exception {
        Table table = new Table(250);
        List<String> published = new ArrayList<>();
        OutboxRelay<String> relay = new OutboxRelay<>("test events", table, published::add);

        assertThat(relay.publishPending()).isEqualTo(250);
        assertThat(published).hasSize(250).startsWith("e1", "e2").endsWith("e249", "e250");
        assertThat(relay.publishPending()).isZero();
        assertThat(published).hasSize(250);
    }

    @Test
    void shouldStopAtTheFirstFailedPublishAndMarkOnlyWhatWasAcknowledged() throws Exception {
        Table table = new Table(5);
        List<String> published = new ArrayList<>();
        Set<String> refused = new java.util.HashSet<>(Set.of("e3"));
        OutboxRelay<String> relay =
                new OutboxRelay<>(
                        "test events",
                        table,
                        e -> {
                            if (refused.contains(e)) {
                                throw new IllegalStateException("cannot publish " + e);
                            }
                            published.add(e);
                        });

        assertThatThrownBy(relay::publishPending).hasMessage("cannot publish e3");
        assertThat(table.sent).containsExactly(1L, 2L);
        relay.publishQuietly(); // logs, keeps the rest for later
        assertThat(published).containsExactly("e1", "e2");

        refused.clear();
        assertThat(relay.publishPending()).isEqualTo(3);
        assertThat(published).containsExactly("e1", "e2", "e3", "e4", "e5");
    }
}
