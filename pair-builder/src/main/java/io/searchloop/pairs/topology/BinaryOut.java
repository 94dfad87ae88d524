package io.searchloop.pairs.topology;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the fields of a {@link StateSerdes} value into a growing byte array: fixed 8-byte longs
 * and doubles (big-endian), unsigned varints for counts and lengths, strings as a length (0 for
 * null, else UTF-8 byte count + 1) and their UTF-8 bytes.
 */
final class BinaryOut {
    private byte[] bytes = new byte[128];
    private int size;

    void writeByte(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    void writeBoolean(boolean b) {
        writeByte(b ? 1 : 0);
    }

    void writeLong(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (v >>> shift);
        }
    }

    void writeDouble(double v) {
        writeLong(Double.doubleToRawLongBits(v));
    }

    /** A non-negative int in 1–5 bytes, seven bits at a time. */
    void writeCount(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative count " + v);
        }
        ensure(5);
        int rest = v;
        while ((rest & ~0x7F) != 0) {
            bytes[size++] = (byte) ((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        bytes[size++] = (byte) rest;
    }

    void writeString(String s) {
        if (s == null) {
            writeCount(0);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeCount(utf8.length + 1);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
