package io.searchloop.pairs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.searchloop.events.PairSource;
import io.searchloop.events.TrainingPair;
import io.searchloop.pairs.topology.StatsChangelog;
import io.searchloop.schemas.registry.InMemorySchemaRegistry;
import io.searchloop.schemas.registry.LocalRegistryServer;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.testkit.CheckedSends;
import io.searchloop.testkit.KafkaFixture;
import io.searchloop.testkit.TopicContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once against the real broker: the same scripted traffic is processed once by an
 * uninterrupted pair-builder and once by one that is SIGKILLed half-way (a separate JVM, so the
 * kill is real; after a commit, as output of the input's second half appears) and restarted; the
 * committed records of training-pairs must end in the same value must hold the same pairs, the
 * pair-builder's committed statistics (its state changelog) must have counted the same evidence for
 * every pair, and no key may receive the same record twice (a replay that exactly-once let
 * through). Intermediate updates are not compared one by one: the session and burst holds release
 * evidence by wall clock, so how updates batch up differs between any two runs, killed or not.
 */
class ExactlyOnceRestartIT {
    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceRestartIT.class);
    private static final int SEARCHES = 1500;
    private static LocalRegistryServer registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry =
                LocalRegistryServer.start(
                        0, InMemorySchemaRegistry.scope("eos-it-" + UUID.randomUUID()));
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void shouldProduceIdenticalPairsWhenKilledUncleanlyAndRestarted(@TempDir Path tmp)
            throws Exception {
        String prefixA = KafkaFixture.uniqueName("eos-a") + ".";
        String prefixB = KafkaFixture.uniqueName("eos-b") + ".";
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(12));
        List<ProducerRecord<String, byte[]>> inputA = prepare(prefixA, t0);
        List<ProducerRecord<String, byte[]>> inputB = prepare(prefixB, t0);
        int expectedInputs = inputA.size();
        send(inputA);
        int half = inputB.size() / 2;
        send(inputB.subList(0, half));

        Process uninterrupted = startPairBuilder(prefixA, tmp.resolve("a"));
        Map<String, List<TrainingPair>> reference;
        try {
            reference = awaitStableOutput(prefixA, Duration.ofSeconds(10));
        } finally {
            stop(uninterrupted);
        }
        assertThat(reference).hasSizeGreaterThan(100);
        Map<String, StatsChangelog.Counts> referenceCounts =
                StatsChangelog.read(prefixA + "pair-builder");
        assertThat(referenceCounts).hasSizeGreaterThan(100);

        // The kill lands after a commit: the output of the input's first half is committed and
        // has stopped changing before the second half is sent, and the instance is killed as soon
        // as output of the second half appears, usually while its transaction is still open (the
        // log says: written > committed).
        Process first = startPairBuilder(prefixB, tmp.resolve("b"));
        long firstHalf = records(awaitStableOutput(prefixB, Duration.ofSeconds(4)));
        send(inputB.subList(half, inputB.size()));
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> records(readPairs(prefixB, false)) > firstHalf + 20);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        LOG.info(
                "killed the first pair-builder (SIGKILL) with {} pair records committed and {}"
                        + " written; the first half's output was {} (the uninterrupted run"
                        + " committed {})",
                records(readPairs(prefixB, true)),
                records(readPairs(prefixB, false)),
                firstHalf,
                records(reference));

        Process second = startPairBuilder(prefixB, tmp.resolve("b"));
        try {
            // The restarted instance first waits for the killed one's group session to expire, then
            // resumes from the last commit.
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(
                            () -> {
                                Map<String, List<TrainingPair>> restarted =
                                        readPairs(prefixB, true);
                                assertSameCounts(
                                        StatsChangelog.read(prefixB + "pair-builder"),
                                        referenceCounts);
                                assertThat(interactionPairs(restarted))
                                        .containsExactlyInAnyOrderElementsOf(
                                                interactionPairs(reference));
                                assertThat(repeated(restarted))
                                        .as(
                                                "records committed twice for a key: a replay the kill let through")
                                        .isEmpty();
                            });
        } finally {
            stop(second);
        }
        assertThat(repeated(reference)).isEmpty();
        Map<String, List<TrainingPair>> restarted = readPairs(prefixB, true);
        LOG.info(
                "{} input records; uninterrupted: {} pairs in {} records; killed and restarted: {} pairs in {} records, the same evidence "
                        + "counted per pair, {} records repeated",
                expectedInputs,
                reference.size(),
                records(reference),
                restarted.size(),
                records(restarted),
                repeated(restarted).size());
    }

    private static long records(Map<String, List<TrainingPair>> sequences) {
        return sequences.values().stream().mapToLong(List::size).sum();
    }

    /**
     * Creates the prefixed topics (1 partition, so both runs see one order) and returns the
     * scripted traffic for them, in order.
     */
    private static List<ProducerRecord<String, byte[]>> prepare(String prefix, Instant t0)
            throws Exception {
        KafkaFixture.provision(prefix, 1);
        Topics topics = Topics.autoRegistering(SchemaRegistries.connect(registry.url()), prefix);
        List<ScriptedTraffic.Event> events =
                ScriptedTraffic.generate(
                        t0,
                        SEARCHES,
                        topics.searchEvents().name(),
                        topics.interactions().name(),
                        topics.catalog().name());
        @SuppressWarnings("unchecked")
        Map<String, org.apache.kafka.common.serialization.Serializer<SpecificRecord>> serializers =
                Map.of(
                        topics.searchEvents().name(),
                                (org.apache.kafka.common.serialization.Serializer<SpecificRecord>)
                                        (Object) topics.searchEvents().valueSerde().serializer(),
                        topics.interactions().name(),
                                (org.apache.kafka.common.serialization.Serializer<SpecificRecord>)
                                        (Object) topics.interactions().valueSerde().serializer(),
                        topics.catalog().name(),
                                (org.apache.kafka.common.serialization.Serializer<SpecificRecord>)
                                        (Object) topics.catalog().valueSerde().serializer());
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (ScriptedTraffic.Event e : events) {
            byte[] value = serializers.get(e.topic()).serialize(e.topic(), e.value());
            records.add(new ProducerRecord<>(e.topic(), null, e.timestamp(), e.key(), value));
        }
        return records;
    }

    private static void send(List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KafkaFixture.bootstrapServers(),
                                ProducerConfig.LINGER_MS_CONFIG,
                                20),
                        new StringSerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            CheckedSends<String, byte[]> sends = new CheckedSends<>(producer);
            records.forEach(sends::send);
            sends.flush();
        }
    }

    private static Process startPairBuilder(String prefix, Path stateDir) throws Exception {
        Files.createDirectories(stateDir);
        ProcessBuilder builder =
                new ProcessBuilder(
                        javaBinary(),
                        "-Xmx512m",
                        "-Dlogback.configurationFile="
                                + System.getProperty("logback.configurationFile", ""),
                        "-cp",
                        System.getProperty("java.class.path"),
                        PairBuilderProcess.class.getName());
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaFixture.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", registry.url());
        env.put("TOPIC_PREFIX", prefix);
        env.put("PAIR_BUILDER_APPLICATION_ID", prefix + "pair-builder");
        env.put("PAIR_BUILDER_STATE_DIR", stateDir.toString());
        env.put("PAIR_BUILDER_HTTP_PORT", "0"); // the runs overlap other tests: any free port
        env.put("PAIR_MAX_TASK_IDLE", "PT2S");
        env.put("PAIR_MIN_OBSERVATIONS", "2");
        // The holds wait in event time after the last search closes; short ones let the last
        // evidence out by wall clock within the test.
        env.put("PAIR_SESSION_HOLD", "PT1S");
        env.put("PAIR_BURST_WINDOW", "PT1S");
        env.put("PAIR_STREAMS_SESSION_TIMEOUT_MS", "10000");
        Set<String> known = PairBuilderConfig.keys();
        assertThat(env.keySet())
                .as("settings the pair-builder does not read")
                .allMatch(key -> known.contains(key) || PairBuilderConfig.isStreamsOverride(key));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true)
                .redirectOutput(stateDir.resolve("pair-builder.log").toFile());
        return builder.start();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: clean shutdown
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * Waits until the committed output has not changed for {@code quiet}, then returns it, every
     * record per key in order.
     */
    private static Map<String, List<TrainingPair>> awaitStableOutput(
            String prefix, Duration quiet) {
        List<Map<String, List<TrainingPair>>> last = new ArrayList<>(List.of(Map.of()));
        long[] stableSince = {System.currentTimeMillis()};
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            Map<String, List<TrainingPair>> now = readPairs(prefix, true);
                            if (!now.equals(last.get(0)) || now.isEmpty()) {
                                last.set(0, now);
                                stableSince[0] = System.currentTimeMillis();
                                return false;
                            }
                            return System.currentTimeMillis() - stableSince[0] >= quiet.toMillis();
                        });
        return last.get(0);
    }

    /**
     * The same pairs with the same evidence counted: observations and latest evidence time exactly,
     * the weighted sums up to floating-point rounding (they are added in arrival order).
     */
    private static void assertSameCounts(
            Map<String, StatsChangelog.Counts> actual,
            Map<String, StatsChangelog.Counts> expected) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach(
                (key, want) -> {
                    StatsChangelog.Counts got = actual.get(key);
                    assertThat(got.observations()).as(key).isEqualTo(want.observations());
                    assertThat(got.updatedAt()).as(key).isEqualTo(want.updatedAt());
                    assertThat(got.positives()).as(key).isCloseTo(want.positives(), within(1e-9));
                    assertThat(got.skips()).as(key).isCloseTo(want.skips(), within(1e-9));
                });
    }

    /**
     * The keys of pairs emitted from interactions. Typo variants are left out: they are emitted
     * once a pair's score has reached the augmentation threshold, which an intermediate score may
     * do in one order of evidence and not in another.
     */
    private static Set<String> interactionPairs(Map<String, List<TrainingPair>> sequences) {
        Set<String> out = new java.util.HashSet<>();
        sequences.forEach(
                (key, records) -> {
                    if (records.get(0).getSource() == PairSource.INTERACTIONS) {
                        out.add(key);
                    }
                });
        return out;
    }

    /** Every record that a key received more than once (identical, timestamps included). */
    private static List<TrainingPair> repeated(Map<String, List<TrainingPair>> sequences) {
        List<TrainingPair> out = new ArrayList<>();
        sequences
                .values()
                .forEach(
                        records -> {
                            java.util.Set<TrainingPair> seen = new java.util.HashSet<>();
                            records.stream().filter(r -> !seen.add(r)).forEach(out::add);
                        });
        return out;
    }

    private static Map<String, List<TrainingPair>> readPairs(String prefix, boolean committedOnly) {
        Topics topics = Topics.lookingUp(SchemaRegistries.connect(registry.url()), prefix);
        Map<String, List<TrainingPair>> sequences = new HashMap<>();
        TopicContents.forEach(
                topics.trainingPairs().name(),
                committedOnly,
                new StringDeserializer(),
                topics.trainingPairs().valueSerde().deserializer(),
                r -> sequences.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value()));
        return sequences;
    }
}
