package io.searchloop.pairs.topology;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the JSON that the topology's state stores and repartition topics held before {@link
 * StateSerdes}' binary format, so that such state carries over on upgrade. Nothing writes it any
 * more.
 */
final class JsonSerde {
    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);

    private JsonSerde() {}

    static <T> Deserializer<T> reader(Class<T> type) {
        return (topic, bytes) -> {
            try {
                return bytes == null ? null : JSON.readValue(bytes, type);
            } catch (IOException e) {
                throw new SerializationException(
                        "cannot read " + type.getSimpleName() + " from JSON", e);
            }
        };
    }
}
