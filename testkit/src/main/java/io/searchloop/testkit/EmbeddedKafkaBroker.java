package io.searchloop.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in this JVM, in KRaft mode (combined broker + controller), on
 * free loopback ports with its log in a temporary directory that {@link #close()} removes. Its
 * internal topics have replication factor 1 and min ISR 1, so exactly-once (transactions) works.
 * {@link #startIn} instead runs it on given ports over a directory that outlives it, so a broker
 * killed by a fault-injection test can be started again with its topics and committed offsets.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Path dir;
    private final boolean temporary;
    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(
            Path dir, boolean temporary, KafkaRaftServer server, String bootstrapServers) {
        this.dir = dir;
        this.temporary = temporary;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats fresh storage and starts the broker; returns once it accepts connections. */
    public static EmbeddedKafkaBroker start() {
        Path dir = TempDirs.create("searchloop-kafka-");
        try {
            return start(dir, true, FreePorts.next(), FreePorts.next());
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(dir);
            throw e;
        }
    }

    /**
     * Starts the broker on {@code brokerPort} (clients) and {@code controllerPort} with its storage
     * in {@code dir}, formatting it only the first time; {@link #close()} leaves it there.
     */
    public static EmbeddedKafkaBroker startIn(Path dir, int brokerPort, int controllerPort) {
        return start(dir, false, brokerPort, controllerPort);
    }

    /** A free loopback port, for {@link #startIn}. */
    public static int freePort() {
        return FreePorts.next();
    }

    private static EmbeddedKafkaBroker start(
            Path dir, boolean temporary, int brokerPort, int controllerPort) {
        long started = System.nanoTime();
        Map<String, String> props = brokerProperties(dir, brokerPort, controllerPort);
        try {
            Path file = Files.createDirectories(dir).resolve("server.properties");
            Properties properties = new Properties();
            properties.putAll(props);
            try (OutputStream out = Files.newOutputStream(file)) {
                properties.store(out, "searchloop embedded KRaft broker");
            }
            if (!Files.exists(
                    dir.resolve("logs")
                            .resolve(
                                    "meta.properties"))) { // a restart keeps its cluster id, topics
                // and offsets
                format(file);
            }
            KafkaRaftServer server =
                    new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + brokerPort;
            LOG.info(
                    "embedded Kafka broker up at {} in {} ms",
                    bootstrap,
                    (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedKafkaBroker(dir, temporary, server, bootstrap);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the embedded broker's config", e);
        }
    }

    private static Map<String, String> brokerProperties(
            Path dir, int brokerPort, int controllerPort) {
        Map<String, String> p = new TreeMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:"
                        + brokerPort
                        + ",CONTROLLER://127.0.0.1:"
                        + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("logs").toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.backoff.ms", "1000");
        return p;
    }

    private static void format(Path configFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {
            "format",
            "-t",
            Uuid.randomUuid().toString(),
            "-c",
            configFile.toString(),
            "--ignore-formatted"
        };
        int rc;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(args, print);
        }
        if (rc != 0) {
            throw new IllegalStateException(
                    "formatting the embedded broker's storage failed (" + rc + "): " + output);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (temporary) {
                TempDirs.deleteRecursively(dir);
            }
        }
    }
}
