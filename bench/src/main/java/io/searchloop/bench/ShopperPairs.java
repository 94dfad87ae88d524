package io.searchloop.bench;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.Interaction;
import io.searchloop.events.InteractionType;
import io.searchloop.events.PairSource;
import io.searchloop.events.SearchPerformed;
import io.searchloop.events.SearchResult;
import io.searchloop.events.TrainingPair;
import io.searchloop.pairs.PairMetrics;
import io.searchloop.pairs.PairSettings;
import io.searchloop.pairs.topology.PairTopology;
import io.searchloop.schemas.registry.InMemorySchemaRegistry;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.testkit.simulator.ShopperQueries;
import io.searchloop.testkit.simulator.Shoppers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Training pairs the way the loop makes them, offline: simulated shoppers search, see the ranking a
 * model gives them, and click by the oracle; their SearchPerformed and Interaction events go
 * through the real pair-builder topology (default settings) in a {@link TopologyTestDriver}, and
 * the latest pair per key is what the trainer's store would hold.
 */
final class ShopperPairs {
    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");

    /** What came out: the latest pair per key, and the events that went in. */
    record Outcome(List<TrainingPair> pairs, int searches, int interactions) {}

    private ShopperPairs() {}

    /**
     * Runs {@code sessions} shopper sessions, or more until at least {@code minPairs} interaction
     * pairs have come out (at most {@code maxSessions}).
     *
     * @param ranking what the search shows for a query: product ids, best first
     */
    static Outcome simulate(
            Shoppers shoppers,
            List<CatalogItem> catalog,
            Function<String, List<String>> ranking,
            int sessions,
            int minPairs,
            int maxSessions,
            long seed)
            throws Exception {
        String scope = "quality-" + UUID.randomUUID();
        Topics topics = Topics.autoRegistering(InMemorySchemaRegistry.scope(scope));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "quality-pairs");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // The driver commits after every record and the stores checkpoint with fsync: on a RAM
        // disk, when there is one.
        Path ramDisk = Path.of("/dev/shm");
        Path stateDir =
                Files.isDirectory(ramDisk) && Files.isWritable(ramDisk)
                        ? Files.createTempDirectory(ramDisk, "quality-pairs")
                        : Files.createTempDirectory("quality-pairs");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        Map<String, TrainingPair> latest = new LinkedHashMap<>();
        PairSettings settings = PairSettings.defaults();
        int searches = 0;
        int interactions = 0;
        try (TopologyTestDriver driver =
                new TopologyTestDriver(
                        new PairTopology(
                                        topics.searchEvents(),
                                        topics.interactions(),
                                        topics.catalog(),
                                        topics.trainingPairs(),
                                        settings,
                                        new PairMetrics(),
                                        true)
                                .build(),
                        props,
                        T0)) {
            TestInputTopic<String, SearchPerformed> searchIn =
                    driver.createInputTopic(
                            Topics.SEARCH_EVENTS,
                            new StringSerializer(),
                            topics.searchEvents().valueSerde().serializer());
            TestInputTopic<String, Interaction> interactionIn =
                    driver.createInputTopic(
                            Topics.INTERACTIONS,
                            new StringSerializer(),
                            topics.interactions().valueSerde().serializer());
            TestInputTopic<String, CatalogItem> catalogIn =
                    driver.createInputTopic(
                            Topics.CATALOG,
                            new StringSerializer(),
                            topics.catalog().valueSerde().serializer());
            TestOutputTopic<String, TrainingPair> pairsOut =
                    driver.createOutputTopic(
                            Topics.TRAINING_PAIRS,
                            new StringDeserializer(),
                            topics.trainingPairs().valueSerde().deserializer());
            catalog.forEach(item -> catalogIn.pipeInput(item.getId(), item, T0));

            Random random = new Random(seed);
            Map<String, List<String>> shownFor = new LinkedHashMap<>();
            List<ShopperQueries.Query> issued = shoppers.issued();
            Instant at = T0;
            long emitted = 0;
            while (searches < maxSessions && (searches < sessions || emitted < minPairs)) {
                ShopperQueries.Query q = issued.get(random.nextInt(issued.size()));
                List<String> shown = shownFor.computeIfAbsent(q.text(), ranking);
                String requestId = "s" + searches;
                String session = "shopper-" + searches;
                at = at.plusSeconds(30);
                List<SearchResult> results = new ArrayList<>();
                for (int i = 0; i < shown.size(); i++) {
                    results.add(
                            SearchResult.newBuilder()
                                    .setProductId(shown.get(i))
                                    .setPosition(i + 1)
                                    .build());
                }
                searchIn.pipeInput(
                        requestId,
                        SearchPerformed.newBuilder()
                                .setRequestId(requestId)
                                .setQuery(q.text())
                                .setResults(results)
                                .setSessionId(session)
                                .setTimestamp(at)
                                .build(),
                        at);
                searches++;
                int second = 5;
                for (Shoppers.Reaction r : shoppers.react(q, shown, random)) {
                    Instant when = at.plusSeconds(second++);
                    interactionIn.pipeInput(
                            requestId,
                            Interaction.newBuilder()
                                    .setType(InteractionType.valueOf(r.type()))
                                    .setRequestId(requestId)
                                    .setProductId(r.productId())
                                    .setPosition(r.position())
                                    .setSessionId(session)
                                    .setTimestamp(when)
                                    .build(),
                            when);
                    interactions++;
                }
                if (searches % 500 == 0) {
                    // Due pairs wait for the next emission, a wall-clock punctuation.
                    driver.advanceWallClockTime(settings.emitInterval());
                    drain(pairsOut, latest);
                    emitted = interactionPairs(latest);
                }
            }
            // An unrelated search after the grace period closes every open attribution window.
            Instant end = at.plus(Duration.ofHours(1));
            searchIn.pipeInput(
                    "end",
                    SearchPerformed.newBuilder()
                            .setRequestId("end")
                            .setQuery("end")
                            .setResults(List.of())
                            .setTimestamp(end)
                            .build(),
                    end);
            driver.advanceWallClockTime(Duration.ofHours(1));
            // Once more: the hour fired each punctuation once, the emission before the holds'
            // release, so what they released waits for the next one.
            driver.advanceWallClockTime(settings.emitInterval());
            drain(pairsOut, latest);
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
            deleteTree(stateDir);
        }
        return new Outcome(new ArrayList<>(latest.values()), searches, interactions);
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void drain(
            TestOutputTopic<String, TrainingPair> out, Map<String, TrainingPair> latest) {
        for (TestRecord<String, TrainingPair> r : out.readRecordsToList()) {
            if (r.getValue() == null) {
                latest.remove(r.getKey());
            } else {
                latest.put(r.getKey(), r.getValue());
            }
        }
    }

    private static long interactionPairs(Map<String, TrainingPair> latest) {
        return latest.values().stream()
                .filter(p -> p.getSource() == PairSource.INTERACTIONS)
                .count();
    }
}
