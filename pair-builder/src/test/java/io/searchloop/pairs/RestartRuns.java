package io.searchloop.pairs;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pair-builders in JVMs of their own against the real broker, for tests that kill one with SIGKILL
 * and compare what a restarted one committed with an uninterrupted run over the same scripted
 * traffic.
 */
final class RestartRuns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RestartRuns.class);

    private final LocalRegistryServer registry;
    private final String registryUrl;

    private RestartRuns(LocalRegistryServer registry) {
        this.registry = registry;
        this.registryUrl = registry.url();
    }

    /** With a schema registry of its own, named after {@code name}; {@link #close} stops it. */
    static RestartRuns withRegistry(String name) throws Exception {
        return new RestartRuns(
                LocalRegistryServer.start(
                        0, InMemorySchemaRegistry.scope(name + "-" + UUID.randomUUID())));
    }

    @Override
    public void close() {
        registry.close();
    }

    /**
     * Two runs over the same scripted traffic: what an uninterrupted pair-builder committed, and a
     * second pair-builder, started after another on the same topics was SIGKILLed after a commit
     * (see {@link #killAfterACommit}); the caller waits for what it needs from it, then stops it.
     */
    record Compared(
            int inputs,
            Map<String, List<TrainingPair>> reference,
            Map<String, StatsChangelog.Counts> referenceCounts,
            String restartedPrefix,
            Process restarted) {}

    Compared killedBesideUninterrupted(
            String name, Path tmp, int searches, Map<String, String> extra) throws Exception {
        String prefixA = KafkaFixture.uniqueName(name + "-a") + ".";
        String prefixB = KafkaFixture.uniqueName(name + "-b") + ".";
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(12));
        List<ProducerRecord<String, byte[]>> inputA = prepare(prefixA, t0, searches);
        List<ProducerRecord<String, byte[]>> inputB = prepare(prefixB, t0, searches);
        send(inputA);
        int half = inputB.size() / 2;
        send(inputB.subList(0, half));

        Process uninterrupted = start(prefixA, tmp.resolve("a"), extra);
        Map<String, List<TrainingPair>> reference;
        try {
            reference = awaitStableOutput(prefixA, Duration.ofSeconds(10));
        } finally {
            stop(uninterrupted);
        }
        assertThat(reference).hasSizeGreaterThan(100);
        Map<String, StatsChangelog.Counts> referenceCounts =
                StatsChangelog.read(applicationId(prefixA));
        assertThat(referenceCounts).hasSizeGreaterThan(100);
        LOG.info("the uninterrupted run committed {} pair records", records(reference));

        killAfterACommit(prefixB, tmp.resolve("b"), extra, inputB, half);
        // The restarted instance first waits for the killed one's group session to expire, then
        // resumes from the last commit.
        return new Compared(
                inputA.size(),
                reference,
                referenceCounts,
                prefixB,
                start(prefixB, tmp.resolve("b"), extra));
    }

    /**
     * Creates the prefixed topics (1 partition, so both runs see one order) and returns the
     * scripted traffic for them, in order.
     */
    List<ProducerRecord<String, byte[]>> prepare(String prefix, Instant t0, int searches) {
        KafkaFixture.provision(prefix, 1);
        Topics topics = Topics.autoRegistering(SchemaRegistries.connect(registryUrl), prefix);
        Map<String, Serializer<SpecificRecord>> serializers =
                Map.of(
                        topics.searchEvents().name(), serializer(topics.searchEvents()),
                        topics.interactions().name(), serializer(topics.interactions()),
                        topics.catalog().name(), serializer(topics.catalog()));
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (ScriptedTraffic.Event e :
                ScriptedTraffic.generate(
                        t0,
                        searches,
                        topics.searchEvents().name(),
                        topics.interactions().name(),
                        topics.catalog().name())) {
            byte[] value = serializers.get(e.topic()).serialize(e.topic(), e.value());
            records.add(new ProducerRecord<>(e.topic(), null, e.timestamp(), e.key(), value));
        }
        return records;
    }

    @SuppressWarnings("unchecked")
    private static Serializer<SpecificRecord> serializer(
            io.searchloop.schemas.topics.Topic<String, ? extends SpecificRecord> topic) {
        return (Serializer<SpecificRecord>) (Object) topic.valueSerde().serializer();
    }

    static void send(List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KafkaFixture.bootstrapServers(),
                                ProducerConfig.LINGER_MS_CONFIG,
                                20),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            CheckedSends<String, byte[]> sends = new CheckedSends<>(producer);
            records.forEach(sends::send);
            sends.flush();
        }
    }

    /** Starts a pair-builder process on the prefixed topics, with {@code extra} settings. */
    Process start(String prefix, Path stateDir, Map<String, String> extra) throws Exception {
        Files.createDirectories(stateDir);
        ProcessBuilder builder =
                new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-Dlogback.configurationFile="
                                + System.getProperty("logback.configurationFile", ""),
                        "-cp",
                        System.getProperty("java.class.path"),
                        PairBuilderProcess.class.getName());
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaFixture.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", registryUrl);
        env.put("TOPIC_PREFIX", prefix);
        env.put("PAIR_BUILDER_APPLICATION_ID", applicationId(prefix));
        env.put("PAIR_BUILDER_STATE_DIR", stateDir.toString());
        env.put("PAIR_BUILDER_HTTP_PORT", "0"); // the runs overlap other tests: any free port
        env.put("PAIR_MAX_TASK_IDLE", "PT2S");
        env.put("PAIR_MIN_OBSERVATIONS", "2");
        // The holds wait in event time after the last search closes; short ones let the last
        // evidence out by wall clock within the test.
        env.put("PAIR_SESSION_HOLD", "PT1S");
        env.put("PAIR_BURST_WINDOW", "PT1S");
        env.put("PAIR_STREAMS_SESSION_TIMEOUT_MS", "10000");
        env.putAll(extra);
        Set<String> known = PairBuilderConfig.keys();
        assertThat(env.keySet())
                .as("settings the pair-builder does not read")
                .allMatch(key -> known.contains(key) || PairBuilderConfig.isStreamsOverride(key));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true)
                .redirectOutput(stateDir.resolve("pair-builder.log").toFile());
        return builder.start();
    }

    static String applicationId(String prefix) {
        return prefix + "pair-builder";
    }

    /** SIGTERM (a clean shutdown), SIGKILL if that takes more than 40 s. */
    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * Starts a pair-builder on {@code input}'s first {@code half} records (already sent), waits
     * until its output is committed and quiet, sends the rest and SIGKILLs the process as soon as
     * evidence of the rest is being written to its evidence repartition topic: in the middle of
     * processing, with input processed since the last commit (under exactly-once in an open
     * transaction). Not on output of the rest: pairs go out with the emit interval's punctuation,
     * just before a commit, so a kill on output came after that commit, with nothing to replay.
     */
    void killAfterACommit(
            String prefix,
            Path stateDir,
            Map<String, String> extra,
            List<ProducerRecord<String, byte[]>> input,
            int half)
            throws Exception {
        Process first = start(prefix, stateDir, extra);
        long firstHalf = records(awaitStableOutput(prefix, Duration.ofSeconds(4)));
        String evidence = applicationId(prefix) + "-evidence-repartition";
        // One client for the whole wait: the kill should follow the evidence closely.
        try (Admin admin = KafkaFixture.admin()) {
            long evidenceBefore = writtenTo(admin, evidence);
            send(input.subList(half, input.size()));
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> writtenTo(admin, evidence) > evidenceBefore + 20);
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            LOG.info(
                    "killed the first pair-builder (SIGKILL) {} evidence records into the rest,"
                            + " with {} pair records committed and {} written; the first half's"
                            + " output was {}",
                    writtenTo(admin, evidence) - evidenceBefore,
                    records(readPairs(prefix, true)),
                    records(readPairs(prefix, false)),
                    firstHalf);
        }
    }

    /** Records written to {@code topic} so far, committed or not (its end offsets). */
    private static long writtenTo(Admin admin, String topic) throws Exception {
        return KafkaFixture.endOffsets(admin, topic).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /**
     * Waits until the committed output has not changed for {@code quiet}, then returns it, every
     * record per key in order.
     */
    Map<String, List<TrainingPair>> awaitStableOutput(String prefix, Duration quiet) {
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

    /** Every record of training-pairs per key, in order; committed ones only or all written. */
    Map<String, List<TrainingPair>> readPairs(String prefix, boolean committedOnly) {
        Topics topics = Topics.lookingUp(SchemaRegistries.connect(registryUrl), prefix);
        Map<String, List<TrainingPair>> sequences = new HashMap<>();
        TopicContents.forEach(
                topics.trainingPairs().name(),
                committedOnly,
                new StringDeserializer(),
                topics.trainingPairs().valueSerde().deserializer(),
                r -> sequences.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value()));
        return sequences;
    }

    static long records(Map<String, List<TrainingPair>> sequences) {
        return sequences.values().stream().mapToLong(List::size).sum();
    }

    /**
     * The keys of pairs emitted from interactions. Typo variants are left out: they are emitted
     * once a pair's score has reached the augmentation threshold, which an intermediate score may
     * do in one order of evidence and not in another.
     */
    static Set<String> interactionPairs(Map<String, List<TrainingPair>> sequences) {
        Set<String> out = new HashSet<>();
        sequences.forEach(
                (key, records) -> {
                    if (records.get(0).getSource() == PairSource.INTERACTIONS) {
                        out.add(key);
                    }
                });
        return out;
    }
}
