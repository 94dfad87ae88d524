package io.searchloop.pairs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.pairs.scoring.PairStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.Test;

/**
 * A processor scans its store when its task starts; an entry that cannot be read must be skipped
 * and removed there, not fail the task (and fail it again after every restart).
 */
class ReadableEntriesTest {
    @Test
    void shouldSkipAndDeleteEntriesThatCannotBeRead() {
        List<String> reported = new ArrayList<>();
        KeyValueStore<String, PairStats> store =
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore("stats"),
                                Serdes.String(),
                                StateSerdes.lenient(
                                        StateSerdes.pairStats(), (topic, e) -> reported.add(topic)))
                        .withLoggingDisabled()
                        .withCachingDisabled()
                        .build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        PairStats good = PairStats.empty("кран", "кран", "p1");
        store.put("good", good);
        rawPut(store, "bad", new byte[] {1, 9, 9});

        Map<String, PairStats> seen = new LinkedHashMap<>();
        StateSerdes.forEachReadable(store, seen::put);

        assertThat(seen).containsOnlyKeys("good");
        assertThat(reported)
                .as("reported (again when deleted: the store reads the old value)")
                .isNotEmpty();
        assertThat(raw(store).get(Bytes.wrap("bad".getBytes(StandardCharsets.UTF_8))))
                .as("removed, so later scans do not meet it")
                .isNull();
        assertThat(store.get("good")).isEqualTo(good);
        store.close();
    }

    private static void rawPut(StateStore store, String key, byte[] value) {
        raw(store).put(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)), value);
    }

    /** The bytes under the store's serdes. */
    private static KeyValueStore<Bytes, byte[]> raw(StateStore store) {
        StateStore inner = store;
        while (inner instanceof WrappedStateStore<?, ?, ?> wrapper) {
            inner = wrapper.wrapped();
        }
        @SuppressWarnings("unchecked")
        KeyValueStore<Bytes, byte[]> bytes = (KeyValueStore<Bytes, byte[]>) inner;
        return bytes;
    }
}
