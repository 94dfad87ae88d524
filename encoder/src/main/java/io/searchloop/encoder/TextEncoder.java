package io.searchloop.encoder;

import java.util.List;

/**
 * What serving needs of a sentence encoder, whichever runtime computes it: one unit-length
 * embedding per text, in input order. Safe for concurrent callers; owns native memory until {@link
 * #close()}.
 */
public interface TextEncoder extends AutoCloseable {

    float[][] encode(List<String> texts);

    int dimension();

    /** The runtime that computes the embeddings: {@code pytorch} or {@code onnx}. */
    String engine();

    @Override
    void close();
}
