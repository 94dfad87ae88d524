package io.searchloop.pairs.topology;

import io.searchloop.pairs.PairMetrics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Decodes a record's value inside the topology rather than in the consumer, so that a record
 * that cannot be read is routed — with headers naming the error and its source topic, partition
 * and offset — to the dead-letter topic in the same transaction, and processing goes on.
 */
final class DecodeOrDeadLetter<V> implements FixedKeyProcessor<String, byte[], Decoded<V>> {
    static final String ERROR = "searchloop.error";
    static final String ERROR_CLASS = "searchloop.error.class";
    static final String SOURCE_TOPIC = "searchloop.source.topic";
    static final String SOURCE_PARTITION = "searchloop.source.partition";
    static final String SOURCE_OFFSET = "searchloop.source.offset";

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
            metrics.deadLettered();
            Headers headers = new RecordHeaders(record.headers().toArray());
            add(headers, ERROR, String.valueOf(e.getMessage()));
            add(headers, ERROR_CLASS, e.getClass().getName());
            context.recordMetadata().ifPresent(m -> {
                add(headers, SOURCE_TOPIC, m.topic());
                add(headers, SOURCE_PARTITION, Integer.toString(m.partition()));
                add(headers, SOURCE_OFFSET, Long.toString(m.offset()));
            });
            context.forward(record.withValue(new Decoded<V>(null, raw == null ? new byte[0] : raw)).withHeaders(headers));
        }
    }

    private static void add(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
