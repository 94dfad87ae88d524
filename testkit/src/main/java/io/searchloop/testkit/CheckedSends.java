package io.searchloop.testkit;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends records through a producer and checks that the broker acknowledged every one: {@link
 * #flush()} fails naming the first record that was not written, so a test, the demo or a benchmark
 * that loses a record stops with the cause instead of waiting for the record downstream until a
 * deadline. It keeps a count and the first failure, not a future per record, so it suits millions
 * of sends. Not thread-safe for {@link #send} (like the loops that use it); callbacks may run on
 * the producer's thread.
 */
public final class CheckedSends<K, V> {
    private final Producer<K, V> producer;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<RuntimeException> firstFailure = new AtomicReference<>();
    private long sent;

    public CheckedSends(Producer<K, V> producer) {
        this.producer = producer;
    }

    /** Sends {@code record}; its acknowledgement is checked by the next {@link #flush()}. */
    public void send(ProducerRecord<K, V> record) {
        // The callback records the outcome; the future would only repeat it.
        Future<RecordMetadata> unused =
                producer.send(
                        record,
                        (metadata, error) -> {
                            if (error == null) {
                                acknowledged.incrementAndGet();
                            } else {
                                firstFailure.compareAndSet(
                                        null,
                                        new IllegalStateException(
                                                "the broker did not acknowledge a record to "
                                                        + record.topic()
                                                        + " with key "
                                                        + record.key()
                                                        + ": "
                                                        + error.getMessage(),
                                                error));
                            }
                        });
        sent++;
    }

    /**
     * Waits until every record sent so far is acknowledged or failed (within the producer's {@code
     * delivery.timeout.ms}); throws the first failure; returns how many records were acknowledged.
     */
    public long flush() {
        producer.flush();
        RuntimeException failure = firstFailure.get();
        if (failure != null) {
            throw failure;
        }
        long done = acknowledged.get();
        if (done != sent) {
            throw new IllegalStateException(
                    done + " of " + sent + " records acknowledged after the producer's flush");
        }
        return done;
    }
}
