package io.searchloop.encoder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/** BERT's input block: word + absolute position + token-type embeddings, then LayerNorm and dropout. */
final class Embeddings {
    private Embeddings() {}

    /** {@code inputIds}, {@code tokenTypeIds}: int64 [B, T] → [B, T, H]. */
    static NDArray forward(NDArray inputIds, NDArray tokenTypeIds, Weights w, BertConfig config, float dropout) {
        long length = inputIds.getShape().get(1);
        if (length > config.maxPositions()) {
            throw new IllegalArgumentException("sequence of " + length + " tokens exceeds max_position_embeddings " + config.maxPositions());
        }
        NDArray positions = inputIds.getManager().arange(0, (int) length, 1, DataType.INT64).expandDims(0);
        NDArray sum = lookup(inputIds, w.get("embeddings.word_embeddings.weight"))
                .add(lookup(positions, w.get("embeddings.position_embeddings.weight")))
                .add(lookup(tokenTypeIds, w.get("embeddings.token_type_embeddings.weight")));
        return Ops.dropout(Ops.layerNorm(sum, w, "embeddings.LayerNorm", config.layerNormEps()), dropout);
    }

    private static NDArray lookup(NDArray ids, NDArray table) {
        return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }
}
