package io.searchloop.trainer;

import io.searchloop.events.ModelVersion;
import io.searchloop.schemas.topics.Topic;
import io.searchloop.trainer.store.VersionRow;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes model-version changes to {@code model-versions}, waiting for each to be acknowledged.
 * The key is {@link #key model name and version}, so compaction keeps every version's latest
 * state and a fresh consumer still finds the production version after later candidates.
 */
public final class ModelEvents implements AutoCloseable {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<String, ModelVersion> producer;
    private final String topic;
    private final Duration timeout;

    public ModelEvents(String bootstrapServers, Topic<String, ModelVersion> topic) {
        this(bootstrapServers, topic, DEFAULT_TIMEOUT);
    }

    /** Every publish succeeds or fails within about {@code timeout}. */
    public ModelEvents(String bootstrapServers, Topic<String, ModelVersion> topic, Duration timeout) {
        int millis = (int) timeout.toMillis();
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, millis, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(millis, 10_000), ProducerConfig.LINGER_MS_CONFIG, 0),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
        this.topic = topic.name();
        this.timeout = timeout;
    }

    /** The producer, for a metrics binder only (it reads {@code metrics()}). */
    public org.apache.kafka.clients.producer.Producer<String, ModelVersion> producerForMetrics() {
        return producer;
    }

    /** The record key of a version's events: {@code <model name>:<version>}. */
    public static String key(String modelName, String version) {
        return modelName + ":" + version;
    }

    public void publish(VersionRow v) {
        ModelVersion event = ModelVersion.newBuilder()
                .setModelName(v.modelName())
                .setVersion(v.version())
                .setParentVersion(v.parentVersion())
                .setBaseModel(v.baseModel())
                .setArtifactUri(v.artifactUri())
                .setSha256(v.sha256())
                .setStatus(v.status())
                .setReason(v.reason())
                .setMetrics(v.metrics())
                .setPairCount(v.pairCount())
                .setCreatedAt(v.updatedAt())
                .build();
        try {
            producer.send(new ProducerRecord<>(topic, key(v.modelName(), v.version()), event)).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted publishing " + v.version(), e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new IllegalStateException("cannot publish model version " + v.version() + " " + v.status() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
