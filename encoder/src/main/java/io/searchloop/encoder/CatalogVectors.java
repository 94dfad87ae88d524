package io.searchloop.encoder;

import io.searchloop.schemas.keys.TextHash;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Catalog embeddings one model has already computed, each with the hash of the text it was computed
 * from, so that the same model does not encode the same text twice: the trainer reads production's
 * from the active index instead of encoding the catalog again, and ships the candidate's with its
 * artifact ({@value #FILE}, covered by the artifact's checksum) for the embedder to index. A vector
 * is reused only for the same product and the same text.
 */
public final class CatalogVectors {
    /** The file in a model directory. */
    public static final String FILE = "catalog-embeddings.bin";

    private static final int MAGIC = 0x534c4356; // "SLCV"
    private static final int FORMAT = 1;
    private static final int MAX_DIMENSION = 16_384;
    private static final int MAX_STRING_BYTES = 4_096;

    // A stored vector, handed out as is and never compared.
    @SuppressWarnings("ArrayRecordComponent")
    private record Entry(String textHash, float[] vector) {}

    private final int dimension;
    private final Map<String, Entry> byId = new HashMap<>();

    /** An empty set for vectors of {@code dimension} values. */
    public CatalogVectors(int dimension) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension " + dimension + " out of range");
        }
        this.dimension = dimension;
    }

    /** Nothing known: everything is encoded. */
    public static CatalogVectors none() {
        return new CatalogVectors(1);
    }

    public int dimension() {
        return dimension;
    }

    public int size() {
        return byId.size();
    }

    /**
     * Remembers {@code vector} for {@code productId}, computed from a text hashing to {@code
     * textHash} ({@link TextHash}).
     */
    public void put(String productId, String textHash, float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException(
                    "vector of " + vector.length + " values, expected " + dimension);
        }
        byId.put(productId, new Entry(textHash, vector));
    }

    /** The vector of {@code productId} if it was computed from {@code text}, else null. */
    public float[] find(String productId, String text) {
        Entry e = byId.get(productId);
        return e != null && e.textHash().equals(TextHash.of(text)) ? e.vector() : null;
    }

    /** Embeddings in the order asked for, and how many of them were known already. */
    // Vectors on their way into an index, never compared.
    @SuppressWarnings("ArrayRecordComponent")
    public record Embedded(float[][] vectors, int reused) {}

    /**
     * The embeddings of {@code texts} (in the list's order) with {@code model}: known ones as they
     * are, the others encoded in one call. The known vectors must be {@code model}'s: that is the
     * caller's promise (the same artifact checksum).
     */
    public Embedded encode(TextEncoder model, List<String> ids, List<String> texts) {
        float[][] out = new float[ids.size()][];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            out[i] = dimension == model.dimension() ? find(ids.get(i), texts.get(i)) : null;
            if (out[i] == null) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            float[][] encoded = model.encode(missing.stream().map(texts::get).toList());
            for (int j = 0; j < missing.size(); j++) {
                out[missing.get(j)] = encoded[j];
            }
        }
        return new Embedded(out, ids.size() - missing.size());
    }

    /** Writes the vectors into {@code modelDir}'s {@value #FILE}. */
    public void write(Path modelDir) throws IOException {
        try (DataOutputStream out =
                new DataOutputStream(
                        new BufferedOutputStream(
                                Files.newOutputStream(modelDir.resolve(FILE)), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(dimension);
            out.writeInt(byId.size());
            for (Map.Entry<String, Entry> e : byId.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue().textHash());
                for (float v : e.getValue().vector()) {
                    out.writeFloat(v);
                }
            }
        }
    }

    /**
     * The vectors in {@code modelDir}'s {@value #FILE}, or {@link #none()} when it has none (an
     * artifact from before, the base model). A malformed file is an error: the artifact's checksum
     * has been verified, so it was written that way.
     */
    public static CatalogVectors read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return none();
        }
        long size = Files.size(file);
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new IOException(file + " is not a catalog embeddings file of format 1");
            }
            int dimension = in.readInt();
            int count = in.readInt();
            // Each entry holds at least two length prefixes and its floats.
            if (dimension < 1
                    || dimension > MAX_DIMENSION
                    || count < 0
                    || count > size / (4 + 4L * dimension)) {
                throw new IOException(
                        file + ": implausible header (" + dimension + " x " + count + ")");
            }
            CatalogVectors vectors = new CatalogVectors(dimension);
            for (int i = 0; i < count; i++) {
                String id = readString(in, file);
                String hash = readString(in, file);
                float[] v = new float[dimension];
                for (int d = 0; d < dimension; d++) {
                    v[d] = in.readFloat();
                }
                vectors.put(id, hash, v);
            }
            return vectors;
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING_BYTES) {
            throw new IOException("id or hash of " + bytes.length + " bytes");
        }
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in, Path file) throws IOException {
        int length = in.readUnsignedShort();
        if (length > MAX_STRING_BYTES) {
            throw new IOException(file + ": a string of " + length + " bytes");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException(file + " ends inside a string");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
