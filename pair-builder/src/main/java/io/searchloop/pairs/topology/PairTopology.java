package io.searchloop.pairs.topology;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.Interaction;
import io.searchloop.events.SearchPerformed;
import io.searchloop.events.TrainingPair;
import io.searchloop.pairs.PairMetrics;
import io.searchloop.pairs.PairSettings;
import io.searchloop.schemas.topics.Topic;
import io.searchloop.schemas.topics.Topics;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pair-builder topology, and nothing else (the service creates KafkaStreams from it):
 *
 * <pre>
 *   search-events ─decode─┐                                                                      catalog (global table)
 *                         ├─▶ SessionProcessor ─(closed search by actor)─▶ SessionGuard ─(evidence by pair key)─▶ PairAggregator ─▶ training-pairs
 *   interactions ──decode─┘        [searches]         repartition            [actors]       repartition        [pair-stats, awaiting-catalog,
 *                                                                                                                pair-pending, pair-stats-expiry,
 *                                                                                                                pair-unsent]
 *   undecodable records, and records whose state would not fit a store ─▶ search-events.dlq / interactions.dlq
 * </pre>
 *
 * The rules live in {@code scoring} and {@code augment}; this class only routes.
 */
public final class PairTopology {
    private static final Logger LOG = LoggerFactory.getLogger(PairTopology.class);

    private final Topic<String, SearchPerformed> searches;
    private final Topic<String, Interaction> interactions;
    private final Topic<String, CatalogItem> catalog;
    private final Topic<String, TrainingPair> pairs;
    private final PairSettings settings;
    private final PairMetrics metrics;
    private final boolean transactional;

    /**
     * {@code transactional}: whether the state writes of a commit become durable together
     * (exactly-once). Only then may the pair statistics wait in the record cache: under
     * at-least-once a crash could keep an uncached write (the held evidence's deletion, the expiry
     * index) and lose the cached one that went with it, and so lose evidence or a pair's expiry.
     */
    public PairTopology(
            Topic<String, SearchPerformed> searches,
            Topic<String, Interaction> interactions,
            Topic<String, CatalogItem> catalog,
            Topic<String, TrainingPair> pairs,
            PairSettings settings,
            PairMetrics metrics,
            boolean transactional) {
        this.searches = searches;
        this.interactions = interactions;
        this.catalog = catalog;
        this.pairs = pairs;
        this.settings = settings;
        this.metrics = metrics;
        this.transactional = transactional;
    }

    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        // Cached: a search's state is written on arrival, on each interaction and deleted when its
        // window closes, mostly within one commit interval; the cache sends one record, not
        // three. Under at-least-once a crash then repeats a closed search (allowed), it loses
        // nothing.
        cachedStore(builder, SessionProcessor.STORE, readable(StateSerdes.searchState()));
        // A pair's statistics are read and written per evidence record: cached, a pair seen again
        // within a commit is read from the cache and reaches its changelog once (bench "pairs":
        // 1.5 -> 0.2-0.3 changelog records per event). Only under exactly-once (see the
        // constructor).
        // The same for the pairs waiting for their emission: marked and cleared between two
        // commits, one record (the tombstone) reaches the changelog; two when a commit falls in
        // between.
        if (transactional) {
            cachedStore(builder, PairAggregator.STATS_STORE, readable(StateSerdes.pairStats()));
            cachedStore(builder, PairAggregator.UNSENT_STORE, Serdes.Long());
        } else {
            store(builder, PairAggregator.STATS_STORE, readable(StateSerdes.pairStats()));
            store(builder, PairAggregator.UNSENT_STORE, Serdes.Long());
        }
        store(builder, PairAggregator.AWAITING_STORE, Serdes.Long());
        store(builder, SessionGuard.STORE, readable(StateSerdes.actorState()));
        store(builder, PairAggregator.PENDING_STORE, readable(StateSerdes.pendingPair()));
        store(builder, PairAggregator.EXPIRY_STORE, Serdes.String());
        builder.globalTable(
                catalog.name(),
                Consumed.with(catalog.keySerde(), catalog.valueSerde()).withName("catalog-source"),
                Materialized.as(PairAggregator.CATALOG_STORE));

        KStream<String, Object> searchEvents =
                decoded(builder, searches).mapValues(v -> (Object) v, Named.as("search-as-event"));
        KStream<String, Object> interactionEvents =
                decoded(builder, interactions)
                        .mapValues(v -> (Object) v, Named.as("interaction-as-event"));

        Map<String, KStream<String, Object>> labelled =
                searchEvents
                        .merge(interactionEvents, Named.as("events"))
                        .process(
                                () ->
                                        new SessionProcessor(
                                                settings,
                                                metrics,
                                                searches.name(),
                                                searches.valueSerde().serializer(),
                                                interactions.name(),
                                                interactions.valueSerde().serializer()),
                                Named.as("attribute-and-label"),
                                SessionProcessor.STORE)
                        .split(Named.as("labelled-"))
                        .branch((key, value) -> value instanceof Refused, Branched.as("refused"))
                        .defaultBranch(Branched.as("closed"));
        KStream<String, Refused> refused =
                labelled.get("labelled-refused")
                        .mapValues(v -> (Refused) v, Named.as("refused-value"));
        for (String topic : java.util.List.of(searches.name(), interactions.name())) {
            refused.filter(
                            (key, value) -> value.topic().equals(topic),
                            Named.as(topic + "-refused"))
                    .mapValues(Refused::raw, Named.as(topic + "-refused-raw"))
                    .to(
                            Topics.dlq(topic),
                            Produced.with(Serdes.String(), Serdes.ByteArray())
                                    .withName(topic + "-refused-dlq-sink"));
        }
        labelled.get("labelled-closed")
                .mapValues(v -> (ClosedSearch) v, Named.as("closed-search-value"))
                .repartition(
                        Repartitioned.<String, ClosedSearch>with(
                                        Serdes.String(), StateSerdes.closedSearch())
                                .withName("closed-searches"))
                .process(
                        () -> new SessionGuard(settings, metrics),
                        Named.as("judge-actors"),
                        SessionGuard.STORE)
                .repartition(
                        Repartitioned.<String, ActorEvidence>with(
                                        Serdes.String(), StateSerdes.actorEvidence())
                                .withName("evidence"))
                .process(
                        () -> new PairAggregator(settings, metrics),
                        Named.as("score-pairs"),
                        PairAggregator.STATS_STORE,
                        PairAggregator.AWAITING_STORE,
                        PairAggregator.PENDING_STORE,
                        PairAggregator.EXPIRY_STORE,
                        PairAggregator.UNSENT_STORE)
                .to(
                        pairs.name(),
                        Produced.with(pairs.keySerde(), pairs.valueSerde())
                                .withName("training-pairs-sink"));
        return builder.build();
    }

    /** A persistent store, logged to its changelog. */
    private static <V> void store(StreamsBuilder builder, String name, Serde<V> values) {
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(name), Serdes.String(), values));
    }

    /**
     * A persistent store behind the stream thread's record cache: writes reach the store and its
     * changelog at commit (or eviction), only the last one per key.
     */
    private static <V> void cachedStore(StreamsBuilder builder, String name, Serde<V> values) {
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(name), Serdes.String(), values)
                        .withCachingEnabled());
    }

    /** A state value that cannot be read counts as absent, and is counted and logged. */
    private <V> Serde<V> readable(Serde<V> values) {
        return StateSerdes.lenient(
                values,
                (changelog, e) -> {
                    metrics.unreadableState();
                    LOG.warn("a state entry of {} cannot be read; treated as absent", changelog, e);
                });
    }

    /**
     * The topic's events; records that cannot be decoded go to its dead-letter topic with error
     * headers.
     */
    private <V> KStream<String, V> decoded(StreamsBuilder builder, Topic<String, V> topic) {
        String name = topic.name();
        Map<String, KStream<String, Decoded<V>>> branches =
                builder.stream(
                                name,
                                Consumed.with(Serdes.String(), Serdes.ByteArray())
                                        .withName(name + "-source"))
                        .processValues(
                                () ->
                                        new DecodeOrDeadLetter<>(
                                                name, topic.valueSerde().deserializer(), metrics),
                                Named.as(name + "-decode"))
                        .split(Named.as(name + "-"))
                        .branch((key, value) -> value.failed(), Branched.as("undecodable"))
                        .defaultBranch(Branched.as("decoded"));
        branches.get(name + "-undecodable")
                .mapValues(Decoded::raw, Named.as(name + "-raw"))
                .to(
                        Topics.dlq(name),
                        Produced.with(Serdes.String(), Serdes.ByteArray())
                                .withName(name + "-dlq-sink"));
        return branches.get(name + "-decoded").mapValues(Decoded::value, Named.as(name + "-value"));
    }
}
