package io.searchloop.schemas.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services' way of copying topics into their tables: poll, hand the whole poll to a handler,
 * flush the dead letters it produced, then commit — so a crash replays at most one poll, which the
 * handler's idempotent writes absorb. A poll the database refuses ({@link java.sql.SQLException})
 * is read again after a pause instead of being skipped; records the handler cannot read go to
 * {@code <topic>.dlq} with {@link DeadLetters} headers.
 */
public final class IngestLoop implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);

    /** Applies one poll; calls {@code deadLetter} for each record it cannot use. */
    @FunctionalInterface
    public interface Handler {
        void apply(ConsumerRecords<byte[], byte[]> records, DeadLetter deadLetter) throws Exception;
    }

    /** Sends a record that could not be used, with the reason, to its topic's dead-letter twin. */
    @FunctionalInterface
    public interface DeadLetter {
        void send(ConsumerRecord<byte[], byte[]> record, Exception reason);
    }

    private final String name;
    private final List<String> topics;
    private final Handler handler;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread thread;

    public IngestLoop(String name, String bootstrapServers, String groupId, List<String> topics, int maxPollRecords, Handler handler) {
        this.name = name;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deadLetters = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Runs the loop on its own thread until {@link #close()}. */
    public synchronized void start(String threadName) {
        thread = new Thread(this, threadName);
        thread.start();
    }

    @Override
    public void run() {
        consumer.subscribe(topics);
        try {
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    handler.apply(records, this::deadLetter);
                    deadLetters.flush();
                    consumer.commitSync();
                } catch (java.sql.SQLException e) {
                    LOG.warn("{}: cannot apply {} records to the database ({}); reading them again in 2 s", name, records.count(), e.getMessage());
                    Rewind.toCommitted(consumer);
                    Thread.sleep(2000);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                LOG.error("{} stopped unexpectedly", name, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("{} stopped", name, e);
        } finally {
            consumer.close();
            deadLetters.close();
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> r, Exception reason) {
        LOG.warn("{}: record {}-{}@{} sent to {}: {}", name, r.topic(), r.partition(), r.offset(), Topics.dlq(r.topic()), reason.getMessage());
        deadLetters.send(new ProducerRecord<>(Topics.dlq(r.topic()), null, r.key(), r.value(),
                DeadLetters.headers(r.headers(), reason, r.topic(), r.partition(), r.offset())));
    }

    /** Stops the loop and, if it runs on its own thread, waits up to 30 s for it to finish its poll. */
    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
