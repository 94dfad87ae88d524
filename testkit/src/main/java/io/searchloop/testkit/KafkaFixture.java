package io.searchloop.testkit;

import io.searchloop.schemas.topics.TopicProvisioner;
import io.searchloop.schemas.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One Kafka cluster per JVM for tests, the demo and benchmarks, chosen in this order: the cluster
 * at {@code KAFKA_BOOTSTRAP_SERVERS} if set; a Testcontainers {@code apache/kafka} broker if a
 * Docker engine answers; else a real in-process KRaft broker. Tests isolate themselves by unique
 * topic names ({@link #uniqueName}), never by restarting it. It is stopped at JVM exit.
 */
public final class KafkaFixture {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFixture.class);
    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

    private static String bootstrapServers;

    private KafkaFixture() {}

    /** Bootstrap servers of the shared cluster, starting it on first use. */
    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = startCluster(System.getenv());
        }
        return bootstrapServers;
    }

    private static String startCluster(Map<String, String> env) {
        String external = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            LOG.info("using Kafka at KAFKA_BOOTSTRAP_SERVERS={}", external);
            return external;
        }
        if (Docker.available(env)) {
            KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
            container.start();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
            LOG.info("using Testcontainers Kafka at {}", container.getBootstrapServers());
            return container.getBootstrapServers();
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-stop"));
        return broker.bootstrapServers();
    }

    /** A name no other test in this cluster uses: {@code prefix-<random>}. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An admin client for the shared cluster; the caller closes it. */
    public static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }

    /**
     * The end offset of every partition of {@code topics}: what has been written, committed by its
     * transaction or not.
     */
    public static Map<TopicPartition, Long> endOffsets(Admin admin, String... topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var topic :
                admin.describeTopics(List.of(topics))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .entrySet()) {
            topic.getValue()
                    .partitions()
                    .forEach(
                            p ->
                                    latest.put(
                                            new TopicPartition(topic.getKey(), p.partition()),
                                            OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                .all()
                .get(30, TimeUnit.SECONDS)
                .forEach((partition, info) -> out.put(partition, info.offset()));
        return out;
    }

    /**
     * Creates searchloop's topics with names starting with {@code prefix} (a test's own set) on the
     * shared cluster.
     */
    public static void provision(String prefix, int partitions) {
        try (Admin admin = admin()) {
            new TopicProvisioner(admin).provision(Topics.specs(partitions, (short) 1, prefix));
        }
    }

    /** Whether Testcontainers can be used; {@code SEARCHLOOP_DOCKER=false} skips the probe. */
    static final class Docker {
        private Docker() {}

        static boolean available(Map<String, String> env) {
            if ("false".equalsIgnoreCase(env.getOrDefault("SEARCHLOOP_DOCKER", ""))) {
                return false;
            }
            // Without DOCKER_HOST or the default socket there is nothing to probe (and the probe
            // logs errors).
            if (env.get("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
                return false;
            }
            try {
                return DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }
    }
}
