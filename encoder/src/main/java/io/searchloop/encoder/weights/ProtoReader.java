package io.searchloop.encoder.weights;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of the protobuf wire format, enough to walk an ONNX model: varints,
 * length-delimited fields (sub-messages, strings, packed arrays, raw bytes) and the fixed-size
 * types, which it skips. Reads a window of a (memory-mapped) buffer without copying.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final ByteBuffer buffer;
    private int position;
    private final int end;
    private int fieldNumber;
    private int wireType;

    ProtoReader(ByteBuffer buffer, int start, int end) {
        this.buffer = buffer;
        this.position = start;
        this.end = end;
    }

    /** Advances to the next field; false at the end of the window. */
    boolean next() {
        if (position >= end) {
            return false;
        }
        long key = readVarint();
        fieldNumber = (int) (key >>> 3);
        wireType = (int) (key & 7);
        return true;
    }

    int field() {
        return fieldNumber;
    }

    int wireType() {
        return wireType;
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buffer.get(position++);
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalStateException("malformed varint at byte " + position);
    }

    /** The current length-delimited field as a reader over its bytes. */
    ProtoReader message() {
        int length = (int) readVarint();
        ProtoReader sub = new ProtoReader(buffer, position, position + length);
        position += length;
        return sub;
    }

    String string() {
        int length = (int) readVarint();
        byte[] bytes = new byte[length];
        buffer.get(position, bytes);
        position += length;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The current length-delimited field's bytes as a slice of the underlying buffer. */
    ByteBuffer bytes() {
        int length = (int) readVarint();
        ByteBuffer slice = buffer.slice(position, length);
        position += length;
        return slice;
    }

    int start() {
        return position;
    }

    int end() {
        return end;
    }

    void skip() {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> position += 8;
            case LENGTH_DELIMITED -> {
                int length =
                        (int) readVarint(); // read first: "position += readVarint()" would lose
                // the varint's own bytes
                position += length;
            }
            case FIXED32 -> position += 4;
            default ->
                    throw new IllegalStateException(
                            "unsupported protobuf wire type " + wireType + " at byte " + position);
        }
    }
}
