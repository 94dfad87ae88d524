package io.searchloop.encoder.tokenize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Token id sequences padded to the longest one in the batch: input ids, attention mask and
 * token-type ids as int64 [B, T] NDArrays on the given manager. Padding uses id 0 ([PAD] in BERT
 * vocabularies); the mask, not the id, is what keeps padding out of the result.
 */
public record TokenBatch(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds) {

    public static TokenBatch pad(List<long[]> sequences, NDManager manager) {
        Padded padded = Padded.of(sequences);
        Shape shape = new Shape(padded.rows(), padded.length());
        return new TokenBatch(
                manager.create(padded.ids(), shape),
                manager.create(padded.mask(), shape),
                manager.zeros(shape, ai.djl.ndarray.types.DataType.INT64));
    }

    /**
     * Sequences padded with id 0 to the longest one, as row-major [rows, length] ids and 0/1
     * attention mask on the heap (for runtimes other than DJL).
     */
    // Buffers handed to a runtime's tensors and never compared.
    @SuppressWarnings("ArrayRecordComponent")
    public record Padded(long[] ids, long[] mask, int rows, int length) {
        public static Padded of(List<long[]> sequences) {
            int rows = sequences.size();
            int length = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
            long[] ids = new long[rows * length];
            long[] mask = new long[rows * length];
            for (int b = 0; b < rows; b++) {
                long[] seq = sequences.get(b);
                System.arraycopy(seq, 0, ids, b * length, seq.length);
                java.util.Arrays.fill(mask, b * length, b * length + seq.length, 1L);
            }
            return new Padded(ids, mask, rows, length);
        }
    }
}
