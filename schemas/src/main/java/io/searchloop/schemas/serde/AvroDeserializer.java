package io.searchloop.schemas.serde;

import io.searchloop.schemas.registry.SchemaRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro. The writer schema is fetched by the id in the header and
 * resolved to the reader's schema, so records from older producers decode into today's class. With
 * a target class the result is that generated class; without one, a generic record in the writer's
 * schema. Null bytes (a tombstone) give null. Every failure is a typed {@link
 * org.apache.kafka.common.errors.SerializationException} naming the topic.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {
    private final SchemaRegistry registry;
    private final Class<T> type;
    private final Schema readerSchema;
    private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    /** A deserializer into the generated class {@code type}. */
    public AvroDeserializer(SchemaRegistry registry, Class<T> type) {
        this.registry = registry;
        this.type = type;
        this.readerSchema = type == null ? null : SpecificData.get().getSchema(type);
        if (type != null && !SpecificRecord.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type.getName() + " is not a generated Avro class");
        }
    }

    /** A deserializer into generic records in the writer's schema. */
    public static AvroDeserializer<GenericData.Record> generic(SchemaRegistry registry) {
        return new AvroDeserializer<>(registry, null);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        int id = WireFormat.schemaId(data, topic);
        DatumReader<T> reader = readersByWriterId.computeIfAbsent(id, this::readerFor);
        try {
            BinaryDecoder decoder =
                    DecoderFactory.get()
                            .binaryDecoder(
                                    data,
                                    WireFormat.HEADER_SIZE,
                                    data.length - WireFormat.HEADER_SIZE,
                                    null);
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new MalformedEventException(
                        "record on "
                                + topic
                                + " has trailing bytes after the Avro datum (schema id "
                                + id
                                + ")");
            }
            return value;
        } catch (IOException
                | AvroRuntimeException
                | IndexOutOfBoundsException
                | NegativeArraySizeException e) {
            throw new MalformedEventException(
                    "cannot decode record on "
                            + topic
                            + " with schema id "
                            + id
                            + (type == null ? "" : " into " + type.getSimpleName())
                            + ": "
                            + e,
                    e);
        }
    }

    private DatumReader<T> readerFor(int writerId) {
        Schema writer = registry.schemaById(writerId);
        if (type == null) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        return new SpecificDatumReader<>(writer, readerSchema, SpecificData.getForClass(type));
    }
}
