package io.searchloop.pairs.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads what {@link BinaryOut} wrote, checking every length against the bytes left, so that
 * truncated or corrupted input fails with a {@link SerializationException} instead of allocating or
 * reading past the end.
 */
final class BinaryIn {
    private final byte[] bytes;
    private int at;

    BinaryIn(byte[] bytes, int from) {
        this.bytes = bytes;
        this.at = from;
    }

    int readByte() {
        need(1);
        return bytes[at++] & 0xFF;
    }

    boolean readBoolean() {
        int b = readByte();
        if (b > 1) {
            throw malformed("boolean byte " + b);
        }
        return b == 1;
    }

    long readLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[at++] & 0xFF);
        }
        return v;
    }

    double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    /**
     * A count as {@link BinaryOut#writeCount} writes it: a non-negative int, seven bits a byte, low
     * bits first, in as few bytes as it needs. One count has one encoding: a fifth byte with bits
     * beyond the int's 31 (which would be dropped) or a needless last zero byte is malformed.
     */
    int readCount() {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            int b = readByte();
            if (shift == 28 && b > 0x07) {
                throw malformed("count longer than 31 bits (fifth byte " + b + ")");
            }
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    throw malformed("count in more bytes than it needs");
                }
                return v;
            }
        }
    }

    /**
     * A count of items that take at least {@code minBytes} each: never more than the bytes left
     * could hold.
     */
    int readCount(int minBytes) {
        int n = readCount();
        if ((long) n * minBytes > remaining()) {
            throw malformed(n + " items do not fit in " + remaining() + " bytes");
        }
        return n;
    }

    String readString() {
        int n = readCount();
        if (n == 0) {
            return null;
        }
        int length = n - 1;
        need(length);
        String s = new String(bytes, at, length, StandardCharsets.UTF_8);
        at += length;
        return s;
    }

    /** Fails unless every byte was read: trailing bytes mean the value is not what it claims. */
    void end() {
        if (remaining() != 0) {
            throw malformed(remaining() + " unread trailing bytes");
        }
    }

    private int remaining() {
        return bytes.length - at;
    }

    private void need(int n) {
        if (n < 0 || n > remaining()) {
            throw malformed("needs " + n + " more bytes, " + remaining() + " left");
        }
    }

    private static SerializationException malformed(String why) {
        return new SerializationException("malformed state value: " + why);
    }
}
