package io.searchloop.encoder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/** Turns per-token hidden states into one L2-normalised vector per text. */
public enum Pooling {
    /** Mean over the non-padding tokens (sentence-transformers' default). */
    MEAN,
    /** The hidden state of the first ([CLS]) token. */
    CLS;

    /** {@code hidden} [B, T, H], {@code mask} [B, T] of 0/1 → [B, H], each row of unit length. */
    public NDArray pool(NDArray hidden, NDArray mask) {
        NDArray pooled;
        if (this == CLS) {
            pooled = hidden.get(new NDIndex(":, 0, :"));
        } else {
            NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(-1);
            NDArray sum = hidden.mul(m).sum(new int[] {1});
            NDArray tokens = m.sum(new int[] {1});
            NDArray count = tokens.maximum(Scalars.of(tokens, 1e-9f));
            pooled = sum.div(count);
        }
        NDArray length = pooled.norm(new int[] {-1}, true);
        return pooled.div(length.maximum(Scalars.of(length, 1e-12f)));
    }
}
