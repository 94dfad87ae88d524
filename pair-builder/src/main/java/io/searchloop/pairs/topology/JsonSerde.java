package io.searchloop.pairs.topology;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON for the topology's internal state stores and repartition topic (never for the public topics,
 * which are Avro).
 */
final class JsonSerde {
    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);

    private JsonSerde() {}

    static <T> Serde<T> of(Class<T> type) {
        Serializer<T> serializer =
                (topic, value) -> {
                    try {
                        return value == null ? null : JSON.writeValueAsBytes(value);
                    } catch (IOException e) {
                        throw new SerializationException(
                                "cannot write " + type.getSimpleName() + " as JSON", e);
                    }
                };
        Deserializer<T> deserializer =
                (topic, bytes) -> {
                    try {
                        return bytes == null ? null : JSON.readValue(bytes, type);
                    } catch (IOException e) {
                        throw new SerializationException(
                                "cannot read " + type.getSimpleName() + " from JSON", e);
                    }
                };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
