package io.searchloop.search.events;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events without ever blocking or failing the request that caused them: records go into a
 * bounded buffer that one thread drains into the producer; when Kafka is slow or down and the
 * buffer is full, new events are dropped and counted.
 */
public final class EventPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final Producer<String, SpecificRecord> producer;
    private final BlockingQueue<ProducerRecord<String, SpecificRecord>> buffer;
    private final Thread sender;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;

    public EventPublisher(Producer<String, SpecificRecord> producer, int capacity) {
        this.producer = producer;
        this.buffer = new ArrayBlockingQueue<>(capacity);
        this.sender = new Thread(this::drain, "search-events-sender");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Queues the record; returns false (and counts it) if the buffer is full. */
    public boolean publish(String topic, String key, SpecificRecord value) {
        if (buffer.offer(new ProducerRecord<>(topic, key, value))) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    private void drain() {
        while (running || !buffer.isEmpty()) {
            try {
                ProducerRecord<String, SpecificRecord> record =
                        buffer.poll(200, TimeUnit.MILLISECONDS);
                if (record == null) {
                    continue;
                }
                // The callback counts the outcome; the future would only repeat it.
                Future<RecordMetadata> unused =
                        producer.send(
                                record,
                                (metadata, error) -> {
                                    if (error == null) {
                                        published.incrementAndGet();
                                    } else {
                                        dropped.incrementAndGet();
                                        LOG.warn(
                                                "event to {} dropped: {}",
                                                record.topic(),
                                                error.getMessage());
                                    }
                                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                dropped.incrementAndGet();
                LOG.warn("event dropped: {}", e.getMessage());
            }
        }
    }

    public long publishedCount() {
        return published.get();
    }

    public long droppedCount() {
        return dropped.get();
    }

    /** Events waiting in the buffer for the producer. */
    public int bufferedCount() {
        return buffer.size();
    }

    /** Whether the thread that hands events to the producer runs. */
    public boolean sending() {
        return sender.isAlive();
    }

    @Override
    public void close() {
        running = false;
        try {
            sender.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
