package io.searchloop.pairs.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** Stores for processors tested on a {@link MockProcessorContext}. */
final class TestStores {
    private TestStores() {}

    /** An in-memory, unlogged store, initialised on {@code context} (not yet added to it). */
    static <V> KeyValueStore<String, V> inMemory(
            MockProcessorContext<?, ?> context, String name, Serde<V> values) {
        KeyValueStore<String, V> store =
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                        .withLoggingDisabled()
                        .build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    /**
     * Adds the aggregator's catalog table and its unsent pairs to {@code context}, empty, for tests
     * that never read them.
     */
    static void addUnreadStores(MockProcessorContext<?, ?> context) {
        context.addStateStore(inMemory(context, PairAggregator.UNSENT_STORE, Serdes.Long()));
        StateStore catalog =
                Stores.timestampedKeyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(PairAggregator.CATALOG_STORE),
                                Serdes.String(),
                                Serdes.String())
                        .withLoggingDisabled()
                        .build();
        catalog.init(context.getStateStoreContext(), catalog);
        context.addStateStore(catalog);
    }
}
