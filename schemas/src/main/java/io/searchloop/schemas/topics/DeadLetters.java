package io.searchloop.schemas.topics;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers every searchloop service puts on a record it sends to {@code <topic>.dlq}: what went
 * wrong and where the original record was. The value and key are the original bytes.
 */
public final class DeadLetters {
    public static final String ERROR = "searchloop.error";
    public static final String ERROR_CLASS = "searchloop.error.class";
    public static final String SOURCE_TOPIC = "searchloop.source.topic";
    public static final String SOURCE_PARTITION = "searchloop.source.partition";
    public static final String SOURCE_OFFSET = "searchloop.source.offset";

    private DeadLetters() {}

    /**
     * The original headers plus the error and source headers (replacing any earlier ones of the
     * same names).
     */
    public static Headers headers(
            Headers original, Exception error, String topic, int partition, long offset) {
        Headers headers = new RecordHeaders(original.toArray());
        put(headers, ERROR, String.valueOf(error.getMessage()));
        put(headers, ERROR_CLASS, error.getClass().getName());
        if (topic != null) {
            put(headers, SOURCE_TOPIC, topic);
            put(headers, SOURCE_PARTITION, Integer.toString(partition));
            put(headers, SOURCE_OFFSET, Long.toString(offset));
        }
        return headers;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
