package io.searchloop.trainer;

import io.searchloop.events.ModelVersion;
import io.searchloop.schemas.topics.Topic;
import io.searchloop.trainer.store.VersionRow;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes model-version changes to {@code model-versions} (key = model name), waiting for each to be acknowledged. */
public final class ModelEvents implements AutoCloseable {
    private final KafkaProducer<String, ModelVersion> producer;
    private final String topic;

    public ModelEvents(String bootstrapServers, Topic<String, ModelVersion> topic) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
        this.topic = topic.name();
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
            producer.send(new ProducerRecord<>(topic, v.modelName(), event)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted publishing " + v.version(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish model version " + v.version() + " " + v.status() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
