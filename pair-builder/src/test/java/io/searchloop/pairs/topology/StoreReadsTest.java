package io.searchloop.pairs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.TrainingPair;
import io.searchloop.pairs.PairMetrics;
import io.searchloop.pairs.PairSettings;
import io.searchloop.pairs.scoring.Evidence;
import io.searchloop.schemas.keys.PairKey;
import io.searchloop.schemas.registry.InMemorySchemaRegistry;
import io.searchloop.schemas.topics.Topics;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;

/**
 * Point reads the processors spend per record, on stores that count them: a read that can only find
 * nothing is not made (each is a RocksDB lookup per evidence record or per search).
 */
class StoreReadsTest {
    private static final long T0 = Instant.parse("2026-11-27T10:00:00Z").toEpochMilli();

    private final PairSettings settings =
            PairTopologyTest.withMinObservations(PairSettings.defaults(), 1, false);

    @Test
    void shouldNotReadTheAwaitingStoreForEmissionsWhileNoPairWaits() {
        MockProcessorContext<String, TrainingPair> context = new MockProcessorContext<>();
        CountingStore<Long> awaiting = aggregatorStores(context);
        catalog(context).put("p1", ValueAndTimestamp.make(item("p1"), T0));
        PairAggregator aggregator = new PairAggregator(settings, new PairMetrics());
        aggregator.init(context);

        for (int i = 0; i < 5; i++) {
            aggregator.process(evidence("p1", T0 + i * 60_000L));
        }

        assertThat(context.forwarded()).as("the pair is emitted").isNotEmpty();
        assertThat(awaiting.reads()).as("nothing waits: no read to clear an entry").isZero();
    }

    @Test
    void shouldClearAWaitingEntryWhenThePairIsEmittedByNewEvidence() {
        MockProcessorContext<String, TrainingPair> context = new MockProcessorContext<>();
        CountingStore<Long> awaiting = aggregatorStores(context);
        TimestampedKeyValueStore<String, CatalogItem> catalog = catalog(context);
        PairAggregator aggregator = new PairAggregator(settings, new PairMetrics());
        aggregator.init(context);

        aggregator.process(evidence("new", T0));
        assertThat(context.forwarded()).as("not in the catalog yet").isEmpty();
        assertThat(awaiting.get(PairKey.of("q", "new"))).isNotNull();

        catalog.put("new", ValueAndTimestamp.make(item("new"), T0));
        aggregator.process(evidence("new", T0 + 60_000));

        assertThat(context.forwarded()).hasSize(1);
        assertThat(awaiting.get(PairKey.of("q", "new"))).isNull();
    }

    @Test
    void shouldClearAnEntryLeftWaitingByThePreviousRunOfTheTask() {
        MockProcessorContext<String, TrainingPair> context = new MockProcessorContext<>();
        CountingStore<Long> awaiting = aggregatorStores(context);
        catalog(context).put("p1", ValueAndTimestamp.make(item("p1"), T0));
        awaiting.put(PairKey.of("q", "p1"), T0);
        PairAggregator aggregator = new PairAggregator(settings, new PairMetrics());
        aggregator.init(context);

        aggregator.process(evidence("p1", T0));

        assertThat(context.forwarded()).hasSize(1);
        assertThat(awaiting.get(PairKey.of("q", "p1"))).isNull();
    }

    @Test
    void shouldReadTheActorOfASearchWithoutSessionOnce() {
        MockProcessorContext<String, ActorEvidence> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(T0);
        context.setCurrentStreamTimeMs(T0);
        CountingStore<ActorState> actors =
                new CountingStore<>(
                        TestStores.inMemory(context, SessionGuard.STORE, StateSerdes.actorState()));
        context.addStateStore(actors);
        SessionGuard guard = new SessionGuard(settings, new PairMetrics());
        guard.init(context);

        Evidence clicked = new Evidence("q", "q", "p1", 1, 0, T0);
        guard.process(
                new Record<>(
                        "request:r1",
                        new ClosedSearch("request:r1", "r1", T0, List.of(clicked), List.of(T0), 0),
                        T0));

        assertThat(context.forwarded()).hasSize(1);
        assertThat(actors.reads()).as("one read: is the actor muted?").isEqualTo(1);
    }

    /** The aggregator's stores, in memory; returns the awaiting store, counting its reads. */
    static CountingStore<Long> aggregatorStores(MockProcessorContext<?, ?> context) {
        context.addStateStore(
                TestStores.inMemory(context, PairAggregator.STATS_STORE, StateSerdes.pairStats()));
        context.addStateStore(
                TestStores.inMemory(context, PairAggregator.EXPIRY_STORE, Serdes.String()));
        context.addStateStore(
                TestStores.inMemory(context, PairAggregator.UNSENT_STORE, Serdes.Long()));
        context.addStateStore(
                TestStores.inMemory(
                        context, PairAggregator.PENDING_STORE, StateSerdes.pendingPair()));
        CountingStore<Long> awaiting =
                new CountingStore<>(
                        TestStores.inMemory(context, PairAggregator.AWAITING_STORE, Serdes.Long()));
        context.addStateStore(awaiting);
        return awaiting;
    }

    static TimestampedKeyValueStore<String, CatalogItem> catalog(
            MockProcessorContext<?, ?> context) {
        Topics topics =
                Topics.autoRegistering(
                        InMemorySchemaRegistry.scope("store-reads-" + UUID.randomUUID()));
        TimestampedKeyValueStore<String, CatalogItem> catalog =
                Stores.timestampedKeyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(PairAggregator.CATALOG_STORE),
                                Serdes.String(),
                                topics.catalog().valueSerde())
                        .withLoggingDisabled()
                        .build();
        catalog.init(context.getStateStoreContext(), catalog);
        context.addStateStore(catalog);
        return catalog;
    }

    static CatalogItem item(String id) {
        return CatalogItem.newBuilder()
                .setId(id)
                .setTitle("Дымоход " + id)
                .setUpdatedAt(Instant.ofEpochMilli(T0))
                .build();
    }

    /** One search's click on {@code product} for query "q", at {@code at}. */
    static Record<String, ActorEvidence> evidence(String product, long at) {
        return evidence(product, 1, 0, at);
    }

    static Record<String, ActorEvidence> evidence(
            String product, double positive, double skip, long at) {
        return new Record<>(
                PairKey.of("q", product),
                new ActorEvidence("request:r", new Evidence("q", "q", product, positive, skip, at)),
                at);
    }
}
