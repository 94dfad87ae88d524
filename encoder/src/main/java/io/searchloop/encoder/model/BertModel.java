package io.searchloop.encoder.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.searchloop.encoder.weights.Tensor;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT-family encoder faithful to Hugging Face's {@code BertModel} (and {@code XLMRobertaModel},
 * which differs only in its position ids, see {@link Embeddings}): embeddings, then N layers of
 * (self-attention sub-layer, feed-forward sub-layer), each post-LayerNorm with its own residual.
 * Weights live on one NDManager owned by this object, under their HF names; the forward pass is
 * plain NDArray arithmetic, so it runs for inference and, with gradients attached, for training.
 * The pooler is kept only so that exported models load in {@code BertModel} unchanged.
 */
public final class BertModel implements AutoCloseable {
    private final BertConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;

    private BertModel(BertConfig config, NDManager manager, Map<String, NDArray> parameters) {
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
    }

    /**
     * Builds the model from named tensors, checking that every parameter {@code BertModel} needs is
     * present with the right shape. A missing pooler is filled with the identity (it does not take
     * part in sentence embeddings). Extra tensors (e.g. {@code embeddings.position_ids}) are
     * ignored.
     */
    public static BertModel create(BertConfig config, Map<String, Tensor> tensors, Device device) {
        Map<String, Tensor> canonical = new LinkedHashMap<>();
        tensors.forEach((name, t) -> canonical.put(BertParameters.canonicalName(name), t));
        Map<String, long[]> shapes = new LinkedHashMap<>();
        canonical.forEach((name, t) -> shapes.put(name, t.shape()));
        List<String> problems = BertParameters.mismatches(config, shapes);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "weights do not match the BERT config: " + BertParameters.describe(problems));
        }
        Map<String, Tensor> named = BertParameters.withDefaultPooler(config, canonical);
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        Map<String, NDArray> parameters = new LinkedHashMap<>();
        for (String name : BertParameters.expected(config).keySet()) {
            Tensor t = named.get(name);
            NDArray array =
                    manager.create(
                            FloatBuffer.wrap(t.data()), new Shape(t.shape()), DataType.FLOAT32);
            array.setName(name);
            parameters.put(name, array);
        }
        return new BertModel(config, manager, parameters);
    }

    /**
     * Token ids, attention mask and token-type ids, int64 [B, T] → last hidden states [B, T, H].
     * {@code dropout} is 0 for inference and the training rate otherwise.
     */
    public NDArray forward(
            NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds, float dropout) {
        Weights w = parameters::get;
        NDArray mask = attentionMask.toType(DataType.FLOAT32, false);
        NDArray maskBias =
                mask.sub(Scalars.of(mask, 1f))
                        .mul(Scalars.of(mask, 1e9f))
                        .expandDims(1)
                        .expandDims(1);
        NDArray hidden =
                Embeddings.forward(inputIds, attentionMask, tokenTypeIds, w, config, dropout);
        for (int i = 0; i < config.numLayers(); i++) {
            String prefix = "encoder.layer." + i;
            hidden =
                    SelfAttention.forward(
                            hidden, maskBias, w, prefix + ".attention", config, dropout);
            hidden = FeedForward.forward(hidden, w, prefix, config, dropout);
        }
        return hidden;
    }

    public BertConfig config() {
        return config;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** The live parameters by HF name (the trainer updates them in place). */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** A copy of every parameter on the heap, in state-dict order, for saving. */
    public Map<String, Tensor> export() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        parameters.forEach(
                (name, array) ->
                        out.put(
                                name,
                                new Tensor(array.getShape().getShape(), array.toFloatArray())));
        return out;
    }

    /**
     * The manager that owns the weights; callers make sub-managers of it for their intermediates.
     */
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
