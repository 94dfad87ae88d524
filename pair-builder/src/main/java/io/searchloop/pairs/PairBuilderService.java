package io.searchloop.pairs;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.searchloop.observe.ServiceOps;
import io.searchloop.pairs.topology.PairTopology;
import io.searchloop.schemas.failure.Fatal;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pair-builder topology as a Kafka Streams application; {@link #close()} stops it cleanly.
 * A failed stream thread is replaced at most {@code maxThreadReplacements} times; after that the
 * instance shuts down, {@link #healthy()} turns false and the fatal handler runs (Main ends the
 * process so its supervisor restarts it), rather than retrying a poisoned record forever. Its
 * {@link #ops()} carry the pair counters, Kafka Streams' and the JVM's metrics, and readiness.
 */
public final class PairBuilderService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PairBuilderService.class);

    private final KafkaStreams streams;
    private final PairMetrics metrics = new PairMetrics();
    private final AtomicBoolean down = new AtomicBoolean();
    private final ServiceOps ops = new ServiceOps("pair-builder");

    public PairBuilderService(PairBuilderConfig config) {
        this(config, Fatal.EXIT_PROCESS);
    }

    public PairBuilderService(PairBuilderConfig config, Fatal fatal) {
        Topics topics =
                Topics.autoRegistering(
                        SchemaRegistries.connect(config.connections().schemaRegistryUrl()),
                        config.connections().topicPrefix());
        PairTopology topology =
                new PairTopology(
                        topics.searchEvents(),
                        topics.interactions(),
                        topics.catalog(),
                        topics.trainingPairs(),
                        config.settings(),
                        metrics,
                        config.processingGuarantee() == ProcessingGuarantee.EXACTLY_ONCE_V2);
        this.streams = new KafkaStreams(topology.build(), streamsProperties(config));
        streams.setUncaughtExceptionHandler(
                new ThreadReplacement(config.maxThreadReplacements(), metrics));
        // Replacements used up, or the global (catalog) thread died (it cannot be replaced): the
        // client goes to
        // ERROR, health turns red and the process ends so that its supervisor restarts it.
        streams.setStateListener(
                (now, before) -> {
                    if ((now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_ERROR)
                            && down.compareAndSet(false, true)) {
                        LOG.error("pair-builder is down ({}): {}", now, metrics);
                        fatal.stop(
                                "pair-builder",
                                new IllegalStateException(
                                        "Kafka Streams client in "
                                                + now
                                                + " state (was "
                                                + before
                                                + ")"));
                    }
                });
        ops.metrics().bind(metrics);
        ops.metrics().bind(new KafkaStreamsMetrics(streams));
        ops.readiness()
                .add(
                        "streams",
                        () -> {
                            if (!healthy()) {
                                throw new IllegalStateException(
                                        "Kafka Streams is " + streams.state());
                            }
                            return true;
                        });
        ops.requireKafka(config.connections().bootstrapServers());
    }

    /** The commit interval unless PAIR_STREAMS_COMMIT_INTERVAL_MS says otherwise. */
    static final int COMMIT_INTERVAL_MS = 1000;

    /** The Streams producer's batch size unless PAIR_STREAMS_PRODUCER_BATCH_SIZE says otherwise. */
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    /**
     * How long the Streams consumers' fetches wait for data unless
     * PAIR_STREAMS_CONSUMER_FETCH_MAX_WAIT_MS says otherwise.
     */
    static final int CONSUMER_FETCH_WAIT_MS = 100;

    /**
     * The Kafka Streams properties this service runs with for {@code config}: its defaults, then
     * the operator's overrides (the benchmark runs other topologies with them too).
     */
    public static Properties streamsProperties(PairBuilderConfig config) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.connections().bootstrapServers());
        p.put(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                config.processingGuarantee().streamsValue());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        // Wait briefly for both inputs before processing out of timestamp order: reading searches
        // far ahead
        // of their interactions would advance stream time and close attribution windows too early.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, config.maxTaskIdle().toMillis());
        // Catalog records that can never be read are skipped in the global table (the embedder
        // dead-letters them); a registry outage fails instead.
        p.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                SkipOnlyUnreadableRecords.class);
        // auto.offset.reset is Streams' own "earliest": setting it prefixed here would shadow an
        // unprefixed PAIR_STREAMS_AUTO_OFFSET_RESET.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Larger batches than the producer's 16 KiB: the changelog, repartition and pair records
        // of a commit interval go to the broker in fewer requests (bench "pairs": about a sixth
        // less CPU per event, broker included).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        // Under exactly-once every commit ends a transaction on each output partition: Streams' 100
        // ms default costs 7-24% more CPU per event than a second, for about the same events/s on
        // an idle machine (bench "pairs", fourth round; an earlier "half the events/s" was JIT
        // warm-up). A second is still far below the attribution window.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        // Start-up waits for the global catalog table and the changelogs to be read to their end;
        // the restoring consumers switch partitions behind a fetch that waits for data that will
        // not come, 500 ms each time by default (bench "pairs": start-up 2.8 -> 1.1-1.3 s). Idle, a
        // consumer then asks ten times a second instead of twice.
        p.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
                CONSUMER_FETCH_WAIT_MS);
        // An unprefixed override (PAIR_STREAMS_BATCH_SIZE) must win over the prefixed defaults
        // above, as a prefixed one does.
        Map.of(
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG),
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG),
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                        StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG))
                .forEach(
                        (key, prefixed) -> {
                            if (config.streamsOverrides().containsKey(key)) {
                                p.remove(prefixed);
                            }
                        });
        p.putAll(config.streamsOverrides());
        return p;
    }

    public void start() {
        streams.start();
        LOG.info("pair-builder started");
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** False once the instance has shut down after a failure (or was never started): health red. */
    public boolean healthy() {
        KafkaStreams.State s = streams.state();
        return s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
    }

    public PairMetrics metrics() {
        return metrics;
    }

    /**
     * Metrics, readiness (stream threads running, Kafka reachable) and, once {@link #serve}d, their
     * HTTP endpoints.
     */
    public ServiceOps ops() {
        return ops;
    }

    /**
     * Serves /metrics, /health/live and /health/ready on {@code host}:{@code port} (0 = any free
     * port); returns the port.
     */
    public int serve(String host, int port) throws java.io.IOException {
        return ops.serve(host, port);
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        ops.close();
        LOG.info("pair-builder stopped: {}", metrics);
    }
}
