package io.searchloop.encoder.model;

import ai.djl.ndarray.NDArray;

/**
 * BERT's position-wise feed-forward sub-layer: dense, activation, dense, dropout, residual,
 * LayerNorm.
 */
final class FeedForward {
    private FeedForward() {}

    static NDArray forward(
            NDArray x, Weights w, String layerPrefix, BertConfig config, float dropout) {
        NDArray inner =
                Ops.activation(
                        Ops.linear(x, w, layerPrefix + ".intermediate.dense"), config.hiddenAct());
        NDArray out = Ops.dropout(Ops.linear(inner, w, layerPrefix + ".output.dense"), dropout);
        return Ops.layerNorm(
                out.add(x), w, layerPrefix + ".output.LayerNorm", config.layerNormEps());
    }
}
