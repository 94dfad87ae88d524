package io.searchloop.bench;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.Interaction;
import io.searchloop.events.InteractionType;
import io.searchloop.events.SearchPerformed;
import io.searchloop.events.SearchResult;
import io.searchloop.pairs.EvidenceLimits;
import io.searchloop.pairs.PairBuilderConfig;
import io.searchloop.pairs.PairBuilderService;
import io.searchloop.pairs.PairSettings;
import io.searchloop.pairs.ProcessingGuarantee;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.testkit.CheckedSends;
import io.searchloop.testkit.KafkaFixture;
import io.searchloop.testkit.TempDirs;
import io.searchloop.testkit.TopicContents;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Figure 5: events/s through the pair-builder topology with exactly-once and with at-least-once,
 * against a plain consumer that only reads and decodes the same topics — same broker (the embedded
 * one unless KAFKA_BOOTSTRAP_SERVERS is set), same input, one after the other.
 */
final class PairsBenchmark {
    /** The pair-builder's commit interval when PAIR_STREAMS_COMMIT_INTERVAL_MS is not set. */
    private static final int DEFAULT_COMMIT_MS = 1000;

    /** System property with extra Kafka Streams properties for the topology runs. */
    private static final String STREAMS_PROPERTIES = "bench.pairs.streams";

    /** System property with the number of searches to send (default 20,000; 2,000 quick). */
    private static final String SEARCHES = "bench.pairs.searches";

    /** Topology runs so far in this JVM: each gets its own application id. */
    private static final AtomicInteger TOPOLOGY_RUNS = new AtomicInteger();

    private final boolean quick;

    PairsBenchmark(boolean quick) {
        this.quick = quick;
    }

    void run(Results results) throws Exception {
        int searches = Integer.getInteger(SEARCHES, quick ? 2_000 : 20_000);
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String registryUrl = "mock://" + prefix;
        Topics topics = Topics.autoRegistering(SchemaRegistries.connect(registryUrl), prefix);
        KafkaFixture.provision(prefix, 3);
        long events = produce(topics, searches);
        List<String> inputs = List.of(topics.searchEvents().name(), topics.interactions().name());

        // The first runs in a fresh JVM spend much of the machine compiling: in the first
        // exactly-once run at the default size the JIT's threads took half of the process's CPU
        // (column "of which JIT compiling"). The first of each kind is reported apart; the rows
        // compared come after it, warmer (at the default size the JIT still takes a third).
        ThreadCpu coldCpuStart = ThreadCpu.now();
        PlainRun coldPlain = plainConsumer(topics, events);
        Map<String, Double> coldPlainCpu = ThreadCpu.now().perEventSince(coldCpuStart, events);
        TopologyRun coldExactlyOnce =
                topologyRun(
                        registryUrl,
                        prefix,
                        ProcessingGuarantee.EXACTLY_ONCE_V2,
                        DEFAULT_COMMIT_MS,
                        inputs,
                        events);
        ThreadCpu plainCpuStart = ThreadCpu.now();
        PlainRun plainRun = plainConsumer(topics, events);
        double plain = plainRun.rate();
        Map<String, Double> plainCpu = ThreadCpu.now().perEventSince(plainCpuStart, events);
        TopologyRun passThrough = passThroughRun(registryUrl, prefix, topics, inputs, events);
        TopologyRun exactlyOnce =
                topologyRun(
                        registryUrl,
                        prefix,
                        ProcessingGuarantee.EXACTLY_ONCE_V2,
                        100,
                        inputs,
                        events);
        TopologyRun exactlyOnceDefault =
                topologyRun(
                        registryUrl,
                        prefix,
                        ProcessingGuarantee.EXACTLY_ONCE_V2,
                        DEFAULT_COMMIT_MS,
                        inputs,
                        events);
        // Two stream threads for the three tasks (the pair-builder's default is one: with two,
        // the last emitted value of a pair can follow the threads' commit timing).
        TopologyRun exactlyOnceTwoThreads =
                topologyRun(
                        registryUrl,
                        prefix,
                        ProcessingGuarantee.EXACTLY_ONCE_V2,
                        DEFAULT_COMMIT_MS,
                        Map.of("num.stream.threads", "2"),
                        inputs,
                        events);
        TopologyRun atLeastOnce =
                topologyRun(
                        registryUrl,
                        prefix,
                        ProcessingGuarantee.AT_LEAST_ONCE,
                        100,
                        inputs,
                        events);

        List<List<Object>> rows =
                List.of(
                        coldPlain.row(
                                "plain consumer, first run in this JVM (JIT cold)",
                                events,
                                coldPlainCpu),
                        coldExactlyOnce.row(
                                "topology, exactly_once_v2, commit "
                                        + DEFAULT_COMMIT_MS
                                        + " ms, first run in this JVM (JIT cold)",
                                events,
                                coldPlain.rate(),
                                coldPlain.runningRate()),
                        plainRun.row("plain consumer (decode only)", events, plainCpu),
                        passThrough.row(
                                "pass-through, exactly_once_v2, commit "
                                        + DEFAULT_COMMIT_MS
                                        + " ms (decode, one record out per event)",
                                events,
                                plain,
                                plainRun.runningRate()),
                        exactlyOnce.row(
                                "topology, exactly_once_v2, commit 100 ms (Streams' default)",
                                events,
                                plain,
                                plainRun.runningRate()),
                        exactlyOnceDefault.row(
                                "topology, exactly_once_v2, commit "
                                        + DEFAULT_COMMIT_MS
                                        + " ms (the pair-builder's default)",
                                events,
                                plain,
                                plainRun.runningRate()),
                        exactlyOnceTwoThreads.row(
                                "topology, exactly_once_v2, commit "
                                        + DEFAULT_COMMIT_MS
                                        + " ms, 2 stream threads",
                                events,
                                plain,
                                plainRun.runningRate()),
                        atLeastOnce.row(
                                "topology, at_least_once, commit 100 ms",
                                events,
                                plain,
                                plainRun.runningRate()));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("goal", "exactly-once >= 0.3x the plain consumer");
        extra.put(
                "extra Streams properties (-D" + STREAMS_PROPERTIES + ")",
                extraStreamsProperties());
        extra.put("exactly-once / at-least-once", exactlyOnce.rate() / atLeastOnce.rate());
        extra.put(
                "exactly-once, commit " + DEFAULT_COMMIT_MS + " ms / 100 ms",
                exactlyOnceDefault.rate() / exactlyOnce.rate());
        extra.put(
                "exactly-once, 2 stream threads / 1",
                exactlyOnceTwoThreads.rate() / exactlyOnceDefault.rate());
        extra.put("exactly_once_v2", exactlyOnce.counters());
        extra.put("exactly_once_v2, commit " + DEFAULT_COMMIT_MS, exactlyOnceDefault.counters());
        extra.put(
                "exactly_once_v2, commit " + DEFAULT_COMMIT_MS + ", 2 stream threads",
                exactlyOnceTwoThreads.counters());
        extra.put("at_least_once", atLeastOnce.counters());
        extra.put("CPU µs/event by thread, plain consumer, first run", coldPlainCpu);
        extra.put(
                "CPU µs/event by thread, exactly_once_v2, commit "
                        + DEFAULT_COMMIT_MS
                        + ", first run",
                coldExactlyOnce.cpuPerEvent());
        extra.put("CPU µs/event by thread, plain consumer", plainCpu);
        extra.put("CPU µs/event by thread, pass-through", passThrough.cpuPerEvent());
        extra.put("CPU µs/event by thread, exactly_once_v2", exactlyOnce.cpuPerEvent());
        extra.put(
                "CPU µs/event by thread, exactly_once_v2, commit " + DEFAULT_COMMIT_MS,
                exactlyOnceDefault.cpuPerEvent());
        extra.put(
                "CPU µs/event by thread, exactly_once_v2, commit "
                        + DEFAULT_COMMIT_MS
                        + ", 2 stream threads",
                exactlyOnceTwoThreads.cpuPerEvent());
        extra.put("CPU µs/event by thread, at_least_once", atLeastOnce.cpuPerEvent());
        extra.put(
                "internal records/event by topic, exactly_once_v2",
                exactlyOnce.internalPerEvent(events));
        extra.put(
                "internal records/event by topic, exactly_once_v2, commit " + DEFAULT_COMMIT_MS,
                exactlyOnceDefault.internalPerEvent(events));
        extra.put(
                "internal records/event by topic, at_least_once",
                atLeastOnce.internalPerEvent(events));
        extra.put("training-pairs written, exactly_once_v2", exactlyOnce.written().toString());
        extra.put(
                "training-pairs written, exactly_once_v2, commit " + DEFAULT_COMMIT_MS,
                exactlyOnceDefault.written().toString());
        extra.put(
                "training-pairs written, exactly_once_v2, commit "
                        + DEFAULT_COMMIT_MS
                        + ", 2 stream threads",
                exactlyOnceTwoThreads.written().toString());
        extra.put("training-pairs written, at_least_once", atLeastOnce.written().toString());
        extra.put(
                "traffic",
                searches
                        + " searches over 500 queries (10 of 15 products each shown), 0-2 clicks each, 5,000-item catalog;"
                        + " events/s counts from start() until the inputs are committed"
                        + " and (the pair-builder) both repartition topics are drained; once running: the topology from"
                        + " RUNNING, the plain consumer from its first records; no burst hold"
                        + " (PAIR_BURST_WINDOW=0)");
        results.publish(
                "pairs",
                "pair-builder: events/s through the topology vs a plain consumer (3 partitions, same broker)",
                List.of(
                        "reader",
                        "events",
                        "events/s",
                        "vs plain",
                        "start-up s",
                        "events/s once running",
                        "vs plain, once running",
                        "process CPU µs/event",
                        "of which JIT compiling",
                        "stream thread CPU µs/event",
                        "internal records/event"),
                rows,
                extra);
    }

    /**
     * Shop-like traffic: 500 queries, each showing 10 of its own 15 products (so pairs repeat and
     * reach the emission threshold), 0-2 clicks leaning to the top, every product in the catalog.
     */
    private static long produce(Topics topics, int searches) {
        Random random = new Random(5);
        int products = 5_000;
        // A search every 3 s of event time, all of it in the past (the broker refuses records
        // stamped more than an hour ahead).
        Duration span = Duration.ofSeconds(3L * searches).plusHours(1);
        Instant t0 =
                Instant.now()
                        .truncatedTo(ChronoUnit.HOURS)
                        .minus(
                                span.compareTo(Duration.ofHours(24)) > 0
                                        ? span
                                        : Duration.ofHours(24));
        long count = 0;
        try (KafkaProducer<String, CatalogItem> catalogProducer =
                        new KafkaProducer<>(
                                producerProps(),
                                new StringSerializer(),
                                topics.catalog().valueSerde().serializer());
                KafkaProducer<String, SearchPerformed> searchProducer =
                        new KafkaProducer<>(
                                producerProps(),
                                new StringSerializer(),
                                topics.searchEvents().valueSerde().serializer());
                KafkaProducer<String, Interaction> interactionProducer =
                        new KafkaProducer<>(
                                producerProps(),
                                new StringSerializer(),
                                topics.interactions().valueSerde().serializer())) {
            CheckedSends<String, CatalogItem> catalogSends = new CheckedSends<>(catalogProducer);
            CheckedSends<String, SearchPerformed> searchSends = new CheckedSends<>(searchProducer);
            CheckedSends<String, Interaction> interactionSends =
                    new CheckedSends<>(interactionProducer);
            List<String> titles = CatalogTitles.generate(products, 5);
            for (int p = 0; p < products; p++) {
                catalogSends.send(
                        new ProducerRecord<>(
                                topics.catalog().name(),
                                "p" + p,
                                CatalogItem.newBuilder()
                                        .setId("p" + p)
                                        .setTitle(titles.get(p))
                                        .setCategory(titles.get(p).split(" ", -1)[0])
                                        .setUpdatedAt(t0)
                                        .build()));
            }
            for (int i = 0; i < searches; i++) {
                String id = "r" + i;
                Instant at = t0.plusSeconds(3L * i);
                int query = random.nextInt(500);
                List<Integer> pool = new ArrayList<>();
                for (int j = 0; j < 15; j++) {
                    pool.add((query * 37 + j * 11) % products);
                }
                java.util.Collections.shuffle(pool, random);
                List<SearchResult> shown = new ArrayList<>();
                for (int p = 1; p <= 10; p++) {
                    shown.add(
                            SearchResult.newBuilder()
                                    .setProductId("p" + pool.get(p - 1))
                                    .setPosition(p)
                                    .build());
                }
                searchSends.send(
                        new ProducerRecord<>(
                                topics.searchEvents().name(),
                                null,
                                at.toEpochMilli(),
                                id,
                                SearchPerformed.newBuilder()
                                        .setRequestId(id)
                                        .setQuery("запрос " + query)
                                        .setResults(shown)
                                        .setTimestamp(at)
                                        .build()));
                count++;
                int clicks = random.nextInt(3);
                for (int c = 0; c < clicks; c++) {
                    int position = 1 + Math.min(random.nextInt(10), random.nextInt(10));
                    Instant when = at.plusSeconds(5 + c);
                    interactionSends.send(
                            new ProducerRecord<>(
                                    topics.interactions().name(),
                                    null,
                                    when.toEpochMilli(),
                                    id,
                                    Interaction.newBuilder()
                                            .setType(InteractionType.CLICK)
                                            .setRequestId(id)
                                            .setProductId(shown.get(position - 1).getProductId())
                                            .setPosition(position)
                                            .setTimestamp(when)
                                            .build()));
                    count++;
                }
            }
            catalogSends.flush();
            searchSends.flush();
            interactionSends.flush();
        }
        return count;
    }

    private static Map<String, Object> producerProps() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaFixture.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024);
    }

    /**
     * The plain consumer's events/s from its start, and once running: each topic's consumer from
     * the end of the poll that returned its first records to its last record, those first records
     * not counted.
     */
    private record PlainRun(double rate, double startupSeconds, double runningRate) {
        /** False when the first polls returned everything (a quick run): nothing was timed. */
        boolean hasRunningRate() {
            return !Double.isNaN(runningRate);
        }

        List<Object> row(String name, long events, Map<String, Double> cpuPerEvent) {
            return List.<Object>of(
                    name,
                    events,
                    rate,
                    1.0,
                    startupSeconds,
                    hasRunningRate() ? runningRate : "-",
                    hasRunningRate() ? 1.0 : "-",
                    cpuPerEvent.get("process"),
                    cpuPerEvent.getOrDefault(ThreadCpu.JIT, 0.0),
                    "-",
                    "-");
        }
    }

    private static PlainRun plainConsumer(Topics topics, long events) {
        long start = System.nanoTime();
        long running = 0;
        long firstBatches = 0;
        long read = 0;
        for (var topic : List.of(topics.searchEvents(), topics.interactions())) {
            try (KafkaConsumer<String, ?> consumer =
                    new KafkaConsumer<>(
                            Map.of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    KafkaFixture.bootstrapServers(),
                                    ConsumerConfig.GROUP_ID_CONFIG,
                                    "plain-" + UUID.randomUUID(),
                                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                    "earliest",
                                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                                    2000),
                            new StringDeserializer(),
                            topic.valueSerde().deserializer())) {
                consumer.subscribe(List.of(topic.name()));
                long topicEnd = endOffsetSum(consumer, topic.name());
                long topicRead = 0;
                long deadline = System.currentTimeMillis() + 300_000;
                long first = 0;
                while (topicRead < topicEnd && System.currentTimeMillis() < deadline) {
                    int n = consumer.poll(Duration.ofMillis(200)).count();
                    if (n > 0 && topicRead == 0) {
                        first = System.nanoTime();
                        firstBatches += n;
                    }
                    topicRead += n;
                }
                running += System.nanoTime() - first;
                read += topicRead;
            }
        }
        if (read != events) {
            throw new IllegalStateException(
                    "plain consumer read " + read + " of " + events + " events");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new PlainRun(
                events / seconds,
                seconds - running / 1e9,
                events > firstBatches ? (events - firstBatches) / (running / 1e9) : Double.NaN);
    }

    private static long endOffsetSum(KafkaConsumer<String, ?> consumer, String topic) {
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The current end offset of every partition of the given topics. */
    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics)
            throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics)
                .allTopicNames()
                .get()
                .forEach(
                        (topic, description) ->
                                description
                                        .partitions()
                                        .forEach(
                                                p ->
                                                        latest.put(
                                                                new TopicPartition(
                                                                        topic, p.partition()),
                                                                OffsetSpec.latest())));
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    private static boolean evidenceDrained(
            Admin admin,
            String repartition,
            Map<TopicPartition, OffsetAndMetadata> committed,
            int markerSlack)
            throws Exception {
        // Under exactly-once the end offset counts the last transaction's commit marker: a drained
        // partition's committed offset trails it by one.
        return endOffsets(admin, List.of(repartition)).entrySet().stream()
                .allMatch(
                        e -> {
                            OffsetAndMetadata c = committed.get(e.getKey());
                            return e.getValue() == 0
                                    || (c != null && c.offset() >= e.getValue() - markerSlack);
                        });
    }

    /**
     * One topology run: events/s from start(), seconds until RUNNING, events/s from then on, the
     * service's own counters, and what it wrote to training-pairs.
     */
    private record TopologyRun(
            double rate,
            double startupSeconds,
            double runningRate,
            Map<String, Double> cpuPerEvent,
            Map<String, Long> internalByTopic,
            String counters,
            PairsWritten written) {
        long internalRecords() {
            return internalByTopic.values().stream().mapToLong(Long::longValue).sum();
        }

        /** This run with the application's own counters and what it wrote (null: not read). */
        TopologyRun finished(String counters, PairsWritten written) {
            return new TopologyRun(
                    rate,
                    startupSeconds,
                    runningRate,
                    cpuPerEvent,
                    internalByTopic,
                    counters,
                    written);
        }

        /** Internal records per input event, by topic, to two decimals. */
        Map<String, Double> internalPerEvent(long events) {
            Map<String, Double> out = new LinkedHashMap<>();
            internalByTopic.forEach(
                    (topic, n) -> out.put(topic, Math.round(n * 100.0 / events) / 100.0));
            return out;
        }

        List<Object> row(String name, long events, double plain, double plainRunning) {
            return List.of(
                    name,
                    events,
                    rate,
                    rate / plain,
                    startupSeconds,
                    runningRate,
                    Double.isNaN(plainRunning) ? "-" : runningRate / plainRunning,
                    cpuPerEvent.get("process"),
                    cpuPerEvent.getOrDefault(ThreadCpu.JIT, 0.0),
                    // The stream threads and the global table's thread, as this column always
                    // counted.
                    cpuPerEvent.getOrDefault(ThreadCpu.STREAM_THREADS, 0.0)
                            + cpuPerEvent.getOrDefault(ThreadCpu.GLOBAL_THREAD, 0.0),
                    internalRecords() / (double) events);
        }
    }

    private static TopologyRun topologyRun(
            String registryUrl,
            String prefix,
            ProcessingGuarantee guarantee,
            int commitMs,
            List<String> inputs,
            long events)
            throws Exception {
        return topologyRun(registryUrl, prefix, guarantee, commitMs, Map.of(), inputs, events);
    }

    private static TopologyRun topologyRun(
            String registryUrl,
            String prefix,
            ProcessingGuarantee guarantee,
            int commitMs,
            Map<String, String> overrides,
            List<String> inputs,
            long events)
            throws Exception {
        // Numbered: a run with the same settings as an earlier one must not resume its offsets.
        String appId =
                prefix
                        + "pairs-"
                        + TOPOLOGY_RUNS.incrementAndGet()
                        + "-"
                        + guarantee
                        + "-"
                        + commitMs;
        Map<String, String> properties = new HashMap<>(extraStreamsProperties());
        properties.putAll(overrides);
        properties.put("commit.interval.ms", Integer.toString(commitMs));
        PairBuilderConfig config =
                config(registryUrl, prefix, appId)
                        .withProcessingGuarantee(guarantee)
                        .withMaxTaskIdle(Duration.ZERO)
                        .withStreamsOverrides(properties)
                        // No burst hold: held evidence is released by event time only once every
                        // upstream task has moved on, or after a minute of wall clock, so how much
                        // of it a ten-second run emits depends on scheduling (one run emitted 5,000
                        // pair records, the next 45,000). Without it every run does the same work.
                        .withSettings(
                                PairSettings.defaults()
                                        .withLimits(
                                                EvidenceLimits.defaults()
                                                        .withBurstWindow(Duration.ZERO)));
        String pairsTopic = prefix + Topics.TRAINING_PAIRS;
        Map<TopicPartition, Long> pairsFrom;
        TopologyRun run;
        String counters;
        try (Admin admin = KafkaFixture.admin();
                PairBuilderService service = new PairBuilderService(config)) {
            pairsFrom = endOffsets(admin, List.of(pairsTopic));
            run =
                    measure(
                            admin,
                            appId,
                            guarantee,
                            service::start,
                            service::state,
                            inputs,
                            List.of(
                                    appId + "-closed-searches-repartition",
                                    appId + "-evidence-repartition"),
                            events);
            counters = service.metrics().toString();
        } finally {
            TempDirs.deleteRecursively(config.stateDir());
        }
        // Read once the service has closed, so that its last transaction is committed.
        return run.finished(counters, PairsWritten.read(pairsFrom));
    }

    /** The pair-builder's defaults on the benchmark's topics, in a fresh state directory. */
    private static PairBuilderConfig config(String registryUrl, String prefix, String appId) {
        return PairBuilderConfig.defaults(
                        Connections.of(
                                        KafkaFixture.bootstrapServers(),
                                        registryUrl,
                                        Connections.LOCAL_DATABASE)
                                .withTopicPrefix(prefix))
                .withApplicationId(appId)
                .withStateDir(TempDirs.create("bench-streams"));
    }

    /**
     * The floor under any exactly-once Streams application here: the same client settings as the
     * pair-builder, a topology that only decodes each event and writes one small record for it.
     */
    private static TopologyRun passThroughRun(
            String registryUrl, String prefix, Topics topics, List<String> inputs, long events)
            throws Exception {
        int number = TOPOLOGY_RUNS.incrementAndGet();
        String appId = prefix + "pass-through-" + number;
        String out = prefix + "pass-through-output-" + number;
        PairBuilderConfig config =
                config(registryUrl, prefix, appId)
                        .withStreamsOverrides(new HashMap<>(extraStreamsProperties()));
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(
                        topics.searchEvents().name(),
                        Consumed.with(Serdes.String(), topics.searchEvents().valueSerde()))
                .mapValues(search -> search.getQuery())
                .to(out, Produced.with(Serdes.String(), Serdes.String()));
        builder.stream(
                        topics.interactions().name(),
                        Consumed.with(Serdes.String(), topics.interactions().valueSerde()))
                .mapValues(interaction -> interaction.getProductId())
                .to(out, Produced.with(Serdes.String(), Serdes.String()));
        try (Admin admin = KafkaFixture.admin();
                KafkaStreams streams =
                        new KafkaStreams(
                                builder.build(), PairBuilderService.streamsProperties(config))) {
            admin.createTopics(List.of(new NewTopic(out, 3, (short) 1))).all().get();
            TopologyRun run =
                    measure(
                            admin,
                            appId,
                            ProcessingGuarantee.EXACTLY_ONCE_V2,
                            streams::start,
                            streams::state,
                            inputs,
                            List.of(),
                            events);
            return run.finished("one record per event to " + out, null);
        } finally {
            TempDirs.deleteRecursively(config.stateDir());
            try (Admin admin = KafkaFixture.admin()) {
                admin.deleteTopics(List.of(out)).all().get();
            }
        }
    }

    /**
     * Starts an application and times it until its inputs are committed and its repartition topics
     * are drained.
     */
    private static TopologyRun measure(
            Admin admin,
            String appId,
            ProcessingGuarantee guarantee,
            Runnable start,
            Supplier<KafkaStreams.State> state,
            List<String> inputs,
            List<String> repartitions,
            long events)
            throws Exception {
        Map<TopicPartition, Long> end = endOffsets(admin, inputs);
        long started = System.nanoTime();
        ThreadCpu cpuStart = ThreadCpu.now();
        start.run();
        long deadline = System.currentTimeMillis() + 600_000;
        while (state.get() != KafkaStreams.State.RUNNING && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        long running = System.nanoTime();
        // Under exactly-once a drained partition's committed offset trails the end by the last
        // transaction's marker.
        int slack = guarantee == ProcessingGuarantee.EXACTLY_ONCE_V2 ? 1 : 0;
        while (System.currentTimeMillis() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get();
            boolean inputsDone =
                    end.entrySet().stream()
                            .allMatch(
                                    e ->
                                            committed.get(e.getKey()) != null
                                                    && committed.get(e.getKey()).offset()
                                                            >= e.getValue());
            // Done when the inputs are committed and what they produced has gone through the
            // repartition topics too (for the pair-builder: the session guard and the pair
            // aggregator).
            boolean drained = inputsDone;
            for (String repartition : repartitions) {
                drained = drained && evidenceDrained(admin, repartition, committed, slack);
            }
            if (drained) {
                long done = System.nanoTime();
                return new TopologyRun(
                        events / ((done - started) / 1e9),
                        (running - started) / 1e9,
                        events / ((done - running) / 1e9),
                        ThreadCpu.now().perEventSince(cpuStart, events),
                        internalRecords(admin, appId),
                        "",
                        null);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                appId + " did not consume its input within " + Duration.ofMinutes(10));
    }

    /**
     * Kafka Streams properties for every topology run, from the system property {@value
     * #STREAMS_PROPERTIES} ({@code name=value,name=value}), to compare client settings without a
     * rebuild.
     */
    private static Map<String, String> extraStreamsProperties() {
        String spec = System.getProperty(STREAMS_PROPERTIES, "").trim();
        Map<String, String> out = new LinkedHashMap<>();
        if (spec.isEmpty()) {
            return out;
        }
        for (String pair : spec.split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        STREAMS_PROPERTIES + ": expected name=value, got '" + pair + "'");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return out;
    }

    /**
     * Records in each of the application's changelog and repartition topics (transaction markers
     * included), by topic name without the application id.
     */
    private static Map<String, Long> internalRecords(Admin admin, String appId) throws Exception {
        List<String> internal =
                admin.listTopics().names().get().stream()
                        .filter(name -> name.startsWith(appId + "-"))
                        .toList();
        Map<String, Long> byTopic = new java.util.TreeMap<>();
        endOffsets(admin, internal)
                .forEach(
                        (tp, end) ->
                                byTopic.merge(
                                        tp.topic().substring(appId.length() + 1), end, Long::sum));
        return byTopic;
    }

    /**
     * What one run wrote to training-pairs (committed records only): how many records, how many
     * distinct keys, and a digest of the key set that does not depend on emission order. Which
     * pairs exist must not depend on the guarantee or the serdes; how often a pair was re-emitted
     * does (it moves with evidence order and with when the run stopped).
     */
    record PairsWritten(long records, int keys, String keyDigest) {
        static PairsWritten read(Map<TopicPartition, Long> from) throws Exception {
            java.util.Set<String> keys = new java.util.TreeSet<>();
            long[] records = {0};
            TopicContents.forEachSince(
                    from,
                    new StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    r -> {
                        records[0]++;
                        keys.add(r.key());
                    });
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (String k : keys) {
                sha.update(k.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return new PairsWritten(
                    records[0],
                    keys.size(),
                    java.util.HexFormat.of().formatHex(sha.digest(), 0, 6));
        }

        @Override
        public String toString() {
            return records + " records, " + keys + " distinct pairs (key set " + keyDigest + ")";
        }
    }
}
