package io.searchloop.encoder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Turns per-token hidden states into one L2-normalised vector per text, as sentence-transformers'
 * {@code Pooling} module does for its {@code pooling_mode_*} of the same name.
 */
public enum Pooling {
    /** Mean over the non-padding tokens (sentence-transformers' default). */
    MEAN("pooling_mode_mean_tokens"),
    /** The hidden state of the first ([CLS] / {@code <s>}) token. */
    CLS("pooling_mode_cls_token"),
    /** The per-dimension maximum over the non-padding tokens (padding set to -1e9 first). */
    MAX("pooling_mode_max_tokens");

    private final String configKey;

    Pooling(String configKey) {
        this.configKey = configKey;
    }

    /** The flag of this mode in {@code 1_Pooling/config.json}. */
    public String configKey() {
        return configKey;
    }

    /** {@code hidden} [B, T, H], {@code mask} [B, T] of 0/1 → [B, H], each row of unit length. */
    public NDArray pool(NDArray hidden, NDArray mask) {
        NDArray pooled;
        NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(-1);
        switch (this) {
            case CLS -> pooled = hidden.get(new NDIndex(":, 0, :"));
            case MAX -> {
                NDArray padding =
                        m.sub(Scalars.of(m, 1f))
                                .mul(Scalars.of(m, 1e9f)); // 0 for tokens, -1e9 for padding
                pooled = hidden.add(padding).max(new int[] {1});
            }
            default -> {
                NDArray sum = hidden.mul(m).sum(new int[] {1});
                NDArray tokens = m.sum(new int[] {1});
                NDArray count = tokens.maximum(Scalars.of(tokens, 1e-9f));
                pooled = sum.div(count);
            }
        }
        NDArray length = pooled.norm(new int[] {-1}, true);
        return pooled.div(length.maximum(Scalars.of(length, 1e-12f)));
    }
}
