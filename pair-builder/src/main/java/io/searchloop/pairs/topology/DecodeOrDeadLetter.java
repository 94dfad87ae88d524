package io.searchloop.pairs.topology;

import io.searchloop.pairs.PairMetrics;
import io.searchloop.schemas.failure.FailurePolicy;
import io.searchloop.schemas.topics.DeadLetters;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Decodes a record's value inside the topology rather than in the consumer, so that a record that
 * cannot be read is routed — with headers naming the error and its source topic, partition and
 * offset — to the dead-letter topic in the same transaction, and processing goes on. Only a
 * permanent failure ({@link FailurePolicy}: malformed bytes, an unknown schema id) is
 * dead-lettered; a transient one (the registry unreachable) fails the task instead.
 *
 * <p>Why throw rather than wait here: under exactly-once the task's transaction stays open while
 * the processor blocks, so a long wait would run into the transaction and poll-interval timeouts
 * and be fenced anyway. The registry client already retries with backoff before giving up; the
 * thrown exception then aborts the transaction, and the stream thread is replaced (the service's
 * uncaught-exception handler answers REPLACE_THREAD) and re-reads from the committed offsets, which
 * paces the retries by a rebalance each.
 */
final class DecodeOrDeadLetter<V> implements FixedKeyProcessor<String, byte[], Decoded<V>> {
    private final String topic;
    private final Deserializer<V> deserializer;
    private final PairMetrics metrics;
    private FixedKeyProcessorContext<String, Decoded<V>> context;

    DecodeOrDeadLetter(String topic, Deserializer<V> deserializer, PairMetrics metrics) {
        this.topic = topic;
        this.deserializer = deserializer;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Decoded<V>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        byte[] raw = record.value();
        try {
            V value = raw == null ? null : deserializer.deserialize(topic, raw);
            if (value == null) {
                throw new IllegalArgumentException("empty record (null value) on " + topic);
            }
            context.forward(record.withValue(new Decoded<>(value, null)));
        } catch (RuntimeException e) {
            if (FailurePolicy.isTransient(e)) {
                // Registry unreachable: the record is fine. Failing the task aborts the open
                // transaction; the service
                // replaces the stream thread, which resumes from the last committed offsets —
                // nothing dead-lettered or skipped.
                throw new RetryableRecordException(
                        "cannot decode a record on "
                                + topic
                                + " while a dependency is unavailable; retrying",
                        e);
            }
            metrics.deadLettered();
            Headers headers =
                    context.recordMetadata()
                            .map(
                                    m ->
                                            DeadLetters.headers(
                                                    record.headers(),
                                                    e,
                                                    m.topic(),
                                                    m.partition(),
                                                    m.offset()))
                            .orElseGet(
                                    () -> DeadLetters.headers(record.headers(), e, null, -1, -1));
            context.forward(
                    record.withValue(new Decoded<V>(null, raw == null ? new byte[0] : raw))
                            .withHeaders(headers));
        }
    }
}
