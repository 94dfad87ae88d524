package io.searchloop.trainer;

import io.searchloop.events.ModelVersion;
import io.searchloop.schemas.outbox.AcknowledgedPublisher;
import io.searchloop.schemas.topics.Topic;
import io.searchloop.trainer.store.VersionRow;
import java.time.Duration;

/**
 * Publishes model-version changes to {@code model-versions}, waiting for each to be acknowledged.
 * The key is {@link #key model name and version}, so compaction keeps every version's latest state
 * and a fresh consumer still finds the production version after later candidates.
 */
public final class ModelEvents implements AutoCloseable {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final AcknowledgedPublisher<ModelVersion> publisher;

    public ModelEvents(String bootstrapServers, Topic<String, ModelVersion> topic) {
        this(bootstrapServers, topic, DEFAULT_TIMEOUT);
    }

    /** Every publish succeeds or fails within about {@code timeout}. */
    public ModelEvents(
            String bootstrapServers, Topic<String, ModelVersion> topic, Duration timeout) {
        this.publisher = new AcknowledgedPublisher<>(bootstrapServers, topic, timeout);
    }

    /** The producer, for a metrics binder only (it reads {@code metrics()}). */
    public org.apache.kafka.clients.producer.Producer<String, ModelVersion> producerForMetrics() {
        return publisher.producerForMetrics();
    }

    /** The record key of a version's events: {@code <model name>:<version>}. */
    public static String key(String modelName, String version) {
        return modelName + ":" + version;
    }

    public void publish(VersionRow v) {
        ModelVersion event =
                ModelVersion.newBuilder()
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
        publisher.publish(
                key(v.modelName(), v.version()),
                event,
                "model version " + v.version() + " " + v.status());
    }

    @Override
    public void close() {
        publisher.close();
    }
}
