package io.searchloop.schemas.outbox;

import io.searchloop.schemas.topics.Topic;
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
 * Sends records to one topic and waits until the broker acknowledged each (idempotent producer, all
 * replicas), so that an {@link OutboxRelay} marks an event sent only once it is on the topic. Every
 * send succeeds or fails within about {@code timeout}; a failure is an {@link
 * IllegalStateException} naming the record.
 */
public final class AcknowledgedPublisher<V> implements AutoCloseable {
    private final KafkaProducer<String, V> producer;
    private final String topic;
    private final Duration timeout;

    public AcknowledgedPublisher(
            String bootstrapServers, Topic<String, V> topic, Duration timeout) {
        int millis = (int) timeout.toMillis();
        this.producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                true,
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                millis,
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                millis,
                                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                Math.min(millis, 10_000),
                                ProducerConfig.LINGER_MS_CONFIG,
                                0),
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer());
        this.topic = topic.name();
        this.timeout = timeout;
    }

    /**
     * Sends {@code value} under {@code key} and returns once the broker acknowledged it; {@code
     * what} names it in the error.
     */
    public void publish(String key, V value, String what) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value))
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted publishing " + what, e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new IllegalStateException("cannot publish " + what + ": " + e.getMessage(), e);
        }
    }

    /** The producer, for a metrics binder only (it reads {@code metrics()}). */
    public org.apache.kafka.clients.producer.Producer<String, V> producerForMetrics() {
        return producer;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
