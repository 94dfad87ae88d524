package io.searchloop.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.events.Interaction;
import io.searchloop.events.InteractionType;
import io.searchloop.events.RetrainRequested;
import io.searchloop.schemas.SampleEvents;
import io.searchloop.schemas.registry.InMemorySchemaRegistry;
import io.searchloop.schemas.registry.SchemaNotRegisteredException;
import io.searchloop.schemas.registry.UnknownSchemaIdException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
    private final InMemorySchemaRegistry registry =
            InMemorySchemaRegistry.scope("serde-" + UUID.randomUUID());

    @Test
    void shouldDecodeAPayloadAssembledByHandPerTheWireFormat() {
        int id = registry.register("retrain-requests-value", RetrainRequested.getClassSchema());
        byte[] payload = {
            0x00, // magic byte
            0x00,
            0x00,
            0x00,
            (byte) id, // schema id, big-endian
            0x02,
            'm', // modelName: zig-zag length 1, "m"
            0x02,
            'r', // reason: "r"
            0x06,
            'o',
            'p',
            's', // requestedBy: length 3, "ops"
            (byte) 0xD0,
            0x0F // requestedAt: 1000 ms, zig-zag 2000 as varint
        };
        RetrainRequested decoded =
                new AvroDeserializer<>(registry, RetrainRequested.class)
                        .deserialize("retrain-requests", payload);

        assertThat(decoded.getModelName()).isEqualTo("m");
        assertThat(decoded.getReason()).isEqualTo("r");
        assertThat(decoded.getRequestedBy()).isEqualTo("ops");
        assertThat(decoded.getRequestedAt()).isEqualTo(Instant.ofEpochMilli(1000));
        assertThat(
                        new AvroSerializer<RetrainRequested>(registry, true, false)
                                .serialize("retrain-requests", decoded))
                .as("our serializer writes exactly the same bytes")
                .containsExactly(payload);
    }

    @Test
    void shouldRoundTripEveryEventType() {
        for (SpecificRecord event : SampleEvents.all()) {
            String topic = "topic-" + event.getSchema().getName();
            byte[] bytes =
                    new AvroSerializer<SpecificRecord>(registry, true, false)
                            .serialize(topic, event);
            Object back =
                    new AvroDeserializer<>(registry, event.getClass()).deserialize(topic, bytes);
            assertThat(back).as(event.getSchema().getName()).isEqualTo(event);
            assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
        }
    }

    @Test
    void shouldRegisterUnderTopicNameSubjects() {
        new AvroSerializer<Interaction>(registry, true, false)
                .serialize("interactions", SampleEvents.click());
        new AvroSerializer<Interaction>(registry, true, true)
                .serialize("interactions", SampleEvents.click());
        assertThat(registry.idOf("interactions-value", Interaction.getClassSchema())).isPositive();
        assertThat(registry.idOf("interactions-key", Interaction.getClassSchema())).isPositive();
    }

    @Test
    void shouldRefuseToSerializeAnUnregisteredSchemaWithoutAutoRegistration() {
        AvroSerializer<Interaction> serializer = new AvroSerializer<>(registry, false, false);
        assertThatThrownBy(() -> serializer.serialize("interactions", SampleEvents.click()))
                .isInstanceOf(SchemaNotRegisteredException.class);
    }

    @Test
    void shouldReadRecordsFromAnOlderProducerIntoTheCurrentClass() {
        // v0 of Interaction had no sessionId; today's reader fills in the default.
        Schema v0 =
                new Schema.Parser()
                        .parse(
                                """
                {"type":"record","name":"Interaction","namespace":"io.searchloop.events","fields":[
                  {"name":"type","type":{"type":"enum","name":"InteractionType","symbols":["CLICK","ADD_TO_CART","PURCHASE"]}},
                  {"name":"requestId","type":"string"},
                  {"name":"productId","type":"string"},
                  {"name":"position","type":"int"},
                  {"name":"timestamp","type":{"type":"long","logicalType":"timestamp-millis"}}]}""");
        GenericRecord old = new GenericData.Record(v0);
        old.put("type", new GenericData.EnumSymbol(v0.getField("type").schema(), "PURCHASE"));
        old.put("requestId", "req-7");
        old.put("productId", "p-3");
        old.put("position", 5);
        old.put("timestamp", 1_700_000_000_000L);
        byte[] bytes =
                new AvroSerializer<GenericRecord>(registry, true, false)
                        .serialize("interactions", old);

        Interaction current =
                new AvroDeserializer<>(registry, Interaction.class)
                        .deserialize("interactions", bytes);

        assertThat(current.getType()).isEqualTo(InteractionType.PURCHASE);
        assertThat(current.getRequestId()).isEqualTo("req-7");
        assertThat(current.getSessionId()).isNull();
        assertThat(current.getTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void shouldDecodeGenericRecordsInTheWritersSchema() {
        byte[] bytes =
                new AvroSerializer<SpecificRecord>(registry, true, false)
                        .serialize("t", SampleEvents.trainingPair());
        GenericData.Record record = AvroDeserializer.generic(registry).deserialize("t", bytes);
        assertThat(record.get("productId")).hasToString("p-100");
        assertThat(record.get("score")).isEqualTo(0.72);
    }

    @Test
    void shouldPassTombstonesThrough() {
        assertThat(
                        new AvroSerializer<Interaction>(registry, true, false)
                                .serialize("catalog", null))
                .isNull();
        assertThat(new AvroDeserializer<>(registry, Interaction.class).deserialize("catalog", null))
                .isNull();
    }

    @Test
    void shouldRejectAPayloadWithoutTheMagicByte() {
        AvroDeserializer<Interaction> deserializer =
                new AvroDeserializer<>(registry, Interaction.class);
        assertThatThrownBy(
                        () ->
                                deserializer.deserialize(
                                        "interactions",
                                        "{\"json\":true}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnknownMagicByteException.class)
                .hasMessageContaining("interactions");
    }

    @Test
    void shouldRejectAnUnknownSchemaId() {
        AvroDeserializer<Interaction> deserializer =
                new AvroDeserializer<>(registry, Interaction.class);
        assertThatThrownBy(
                        () ->
                                deserializer.deserialize(
                                        "interactions", new byte[] {0, 0, 0, 0x30, 0x39, 2, 'x'}))
                .isInstanceOf(UnknownSchemaIdException.class)
                .hasMessageContaining("12345");
    }

    @Test
    void shouldRejectTruncatedAndTrailingBytes() {
        byte[] good =
                new AvroSerializer<Interaction>(registry, true, false)
                        .serialize("interactions", SampleEvents.click());
        AvroDeserializer<Interaction> deserializer =
                new AvroDeserializer<>(registry, Interaction.class);
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 2);
        assertThatThrownBy(() -> deserializer.deserialize("interactions", truncated))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> deserializer.deserialize("interactions", trailing))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> deserializer.deserialize("interactions", new byte[] {0, 0}))
                .isInstanceOf(MalformedEventException.class);
    }
}
