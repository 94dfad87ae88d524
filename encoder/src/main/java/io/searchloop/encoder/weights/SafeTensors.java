package io.searchloop.encoder.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes Hugging Face's safetensors format: an 8-byte little-endian header length, a JSON
 * header mapping each tensor name to its dtype, shape and byte range, then the raw little-endian
 * data. Reads F32, F16 and BF16 (converted to float32); writes F32.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {}

    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer =
                    channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size())
                            .order(ByteOrder.LITTLE_ENDIAN);
            JsonNode header = parseHeader(buffer, file);
            int dataStart = 8 + (int) buffer.getLong(0);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : header.properties()) {
                if (entry.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode info = entry.getValue();
                long[] shape = new long[info.path("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = info.path("shape").get(i).asLong();
                }
                long begin = info.path("data_offsets").get(0).asLong();
                long end = info.path("data_offsets").get(1).asLong();
                String dtype = info.path("dtype").asText();
                ByteBuffer slice =
                        buffer.slice(dataStart + (int) begin, (int) (end - begin))
                                .order(ByteOrder.LITTLE_ENDIAN);
                tensors.put(
                        entry.getKey(),
                        new Tensor(shape, decode(dtype, slice, entry.getKey(), file)));
            }
            return tensors;
        }
    }

    private static JsonNode parseHeader(ByteBuffer buffer, Path file) throws IOException {
        long headerLength = buffer.capacity() < 8 ? -1 : buffer.getLong(0);
        if (headerLength <= 0 || headerLength > buffer.capacity() - 8) {
            throw new IOException(
                    file + " is not a safetensors file (header length " + headerLength + ")");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        buffer.get(8, headerBytes);
        return JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
    }

    private static float[] decode(String dtype, ByteBuffer bytes, String name, Path file)
            throws IOException {
        return switch (dtype) {
            case "F32" -> {
                float[] out = new float[bytes.remaining() / 4];
                bytes.asFloatBuffer().get(out);
                yield out;
            }
            case "F16" -> {
                float[] out = new float[bytes.remaining() / 2];
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(bytes.getShort(i * 2));
                }
                yield out;
            }
            case "BF16" -> {
                float[] out = new float[bytes.remaining() / 2];
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((bytes.getShort(i * 2) & 0xffff) << 16);
                }
                yield out;
            }
            default ->
                    throw new IOException(
                            "tensor "
                                    + name
                                    + " in "
                                    + file
                                    + " has dtype "
                                    + dtype
                                    + "; only F32, F16 and BF16 are supported");
        };
    }

    /** IEEE 754 binary16 → float32 (Java 17 has no built-in). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) { // zero or subnormal: mantissa · 2^-24
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** Writes {@code tensors} in iteration order as F32, with optional string metadata. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode info = header.putObject(e.getKey());
            info.put("dtype", "F32");
            var shape = info.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long size = (long) e.getValue().data().length * 4;
            info.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] headerBytes = JSON.writeValueAsBytes(header);
        // Pad the header with spaces to a multiple of 8 bytes, as the reference implementation
        // does.
        int padded = (headerBytes.length + 7) / 8 * 8;
        byte[] headerPadded = new byte[padded];
        System.arraycopy(headerBytes, 0, headerPadded, 0, headerBytes.length);
        for (int i = headerBytes.length; i < padded; i++) {
            headerPadded[i] = ' ';
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(headerPadded);
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                for (float v : t.data()) {
                    if (!chunk.hasRemaining()) {
                        out.write(chunk.array(), 0, chunk.position());
                        chunk.clear();
                    }
                    chunk.putFloat(v);
                }
            }
            out.write(chunk.array(), 0, chunk.position());
        }
    }

    /** The names and shapes in a file's header, without reading the data. */
    public static Map<String, long[]> header(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer =
                    channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size())
                            .order(ByteOrder.LITTLE_ENDIAN);
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : parseHeader(buffer, file).properties()) {
                if (!entry.getKey().equals("__metadata__")) {
                    JsonNode shape = entry.getValue().path("shape");
                    long[] dims = new long[shape.size()];
                    for (int i = 0; i < dims.length; i++) {
                        dims[i] = shape.get(i).asLong();
                    }
                    shapes.put(entry.getKey(), dims);
                }
            }
            return shapes;
        }
    }
}
