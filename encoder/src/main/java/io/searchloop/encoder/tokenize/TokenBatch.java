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
        int batch = sequences.size();
        int length = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            long[] seq = sequences.get(b);
            System.arraycopy(seq, 0, ids, b * length, seq.length);
            for (int t = 0; t < seq.length; t++) {
                mask[b * length + t] = 1;
            }
        }
        Shape shape = new Shape(batch, length);
        return new TokenBatch(
                manager.create(ids, shape),
                manager.create(mask, shape),
                manager.zeros(shape, ai.djl.ndarray.types.DataType.INT64));
    }
}
