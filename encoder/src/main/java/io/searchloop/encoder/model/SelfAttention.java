package io.searchloop.encoder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head self-attention with BERT's output sub-layer: scaled dot-product attention over all
 * heads, an additive padding mask, the output projection, dropout, the residual and LayerNorm.
 */
final class SelfAttention {
    private SelfAttention() {}

    /**
     * @param x hidden states [B, T, H]
     * @param maskBias additive mask [B, 1, 1, T]: 0 for real tokens, a large negative for padding
     */
    static NDArray forward(
            NDArray x,
            NDArray maskBias,
            Weights w,
            String prefix,
            BertConfig config,
            float dropout) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long length = shape.get(1);
        int heads = config.numHeads();
        int headSize = config.headSize();
        NDArray q =
                splitHeads(
                        Ops.linear(x, w, prefix + ".self.query"), batch, length, heads, headSize);
        NDArray k =
                splitHeads(Ops.linear(x, w, prefix + ".self.key"), batch, length, heads, headSize);
        NDArray v =
                splitHeads(
                        Ops.linear(x, w, prefix + ".self.value"), batch, length, heads, headSize);

        NDArray raw = q.matMul(k.transpose(0, 1, 3, 2));
        NDArray scores = raw.div(Scalars.of(raw, (float) Math.sqrt(headSize))).add(maskBias);
        NDArray probs = Ops.dropout(scores.softmax(-1), dropout);
        NDArray context =
                probs.matMul(v)
                        .transpose(0, 2, 1, 3)
                        .reshape(batch, length, (long) heads * headSize);

        NDArray projected = Ops.dropout(Ops.linear(context, w, prefix + ".output.dense"), dropout);
        return Ops.layerNorm(
                projected.add(x), w, prefix + ".output.LayerNorm", config.layerNormEps());
    }

    private static NDArray splitHeads(NDArray x, long batch, long length, int heads, int headSize) {
        return x.reshape(batch, length, heads, headSize).transpose(0, 2, 1, 3);
    }
}
