package io.searchloop.schemas.serde;

import java.nio.ByteBuffer;

/**
 * Confluent's wire format for schema-registry-backed values: magic byte {@code 0}, the writer
 * schema's global id as a 4-byte big-endian int, then the Avro binary encoding of the datum.
 * Byte-compatible with Confluent's KafkaAvroSerializer, so their producers and ours mix freely.
 */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {}

    /** The writer schema id of a framed payload; rejects payloads that are not in this format. */
    public static int schemaId(byte[] payload, String topic) {
        if (payload.length < HEADER_SIZE) {
            throw new MalformedEventException(
                    "record on "
                            + topic
                            + " has "
                            + payload.length
                            + " bytes, fewer than the "
                            + HEADER_SIZE
                            + "-byte wire-format header");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new UnknownMagicByteException(
                    "record on "
                            + topic
                            + " starts with magic byte "
                            + payload[0]
                            + ", expected "
                            + MAGIC_BYTE
                            + " (Confluent wire format)");
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }

    /**
     * Writes the header for {@code schemaId} into the first {@link #HEADER_SIZE} bytes of {@code
     * target}.
     */
    public static void writeHeader(byte[] target, int schemaId) {
        ByteBuffer.wrap(target, 0, HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId);
    }
}
