package io.searchloop.encoder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/**
 * BERT's input block: word + absolute position + token-type embeddings, then LayerNorm and dropout.
 * BERT numbers positions 0, 1, 2, …; (XLM-)RoBERTa numbers a text's tokens from {@code pad_token_id
 * + 1} and gives padding the padding id, as Hugging Face's {@code
 * create_position_ids_from_input_ids} does (with the attention mask in place of {@code input_ids !=
 * pad}, which is the same for right-padded batches).
 */
final class Embeddings {
    private Embeddings() {}

    /** {@code inputIds}, {@code attentionMask}, {@code tokenTypeIds}: int64 [B, T] → [B, T, H]. */
    static NDArray forward(
            NDArray inputIds,
            NDArray attentionMask,
            NDArray tokenTypeIds,
            Weights w,
            BertConfig config,
            float dropout) {
        long length = inputIds.getShape().get(1);
        if (length > config.maxTokens()) {
            throw new IllegalArgumentException(
                    "sequence of "
                            + length
                            + " tokens exceeds the model's "
                            + config.maxTokens()
                            + " positions (max_position_embeddings "
                            + config.maxPositions()
                            + ")");
        }
        NDArray sum =
                lookup(inputIds, w.get("embeddings.word_embeddings.weight"))
                        .add(
                                lookup(
                                        positionIds(inputIds, attentionMask, config),
                                        w.get("embeddings.position_embeddings.weight")))
                        .add(
                                lookup(
                                        tokenTypeIds,
                                        w.get("embeddings.token_type_embeddings.weight")));
        return Ops.dropout(
                Ops.layerNorm(sum, w, "embeddings.LayerNorm", config.layerNormEps()), dropout);
    }

    static NDArray positionIds(NDArray inputIds, NDArray attentionMask, BertConfig config) {
        long length = inputIds.getShape().get(1);
        if (!config.offsetsPositions()) {
            return inputIds.getManager().arange(0, (int) length, 1, DataType.INT64).expandDims(0);
        }
        NDArray mask = attentionMask.toType(DataType.INT64, false);
        return mask.cumSum(1).mul(mask).add(Scalars.of(mask, config.padTokenId()));
    }

    private static NDArray lookup(NDArray ids, NDArray table) {
        return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }
}
