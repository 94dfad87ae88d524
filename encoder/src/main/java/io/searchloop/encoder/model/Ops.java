package io.searchloop.encoder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;

/** The tensor operations the BERT blocks are made of, each one PyTorch op through DJL. */
final class Ops {
    private Ops() {}

    /** {@code x · Wᵀ + b} with W stored [out, in] as in PyTorch. */
    static NDArray linear(NDArray x, Weights w, String prefix) {
        return Linear.linear(x, w.get(prefix + ".weight"), w.get(prefix + ".bias"))
                .singletonOrThrow();
    }

    /** LayerNorm over the last axis. */
    static NDArray layerNorm(NDArray x, Weights w, String prefix, double eps) {
        return LayerNorm.layerNorm(
                        x,
                        new Shape(x.getShape().get(x.getShape().dimension() - 1)),
                        w.get(prefix + ".weight"),
                        w.get(prefix + ".bias"),
                        (float) eps)
                .singletonOrThrow();
    }

    /** Dropout with rate {@code p}; the identity when {@code p} is 0 (inference). */
    static NDArray dropout(NDArray x, float p) {
        return p > 0 ? Dropout.dropout(x, p, true).singletonOrThrow() : x;
    }

    static NDArray activation(NDArray x, String name) {
        return switch (name) {
            case "gelu" -> Activation.gelu(x); // exact: x·Φ(x) with erf, as torch's default
            case "gelu_new", "gelu_pytorch_tanh" -> {
                // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), constants as tensors (see Scalars)
                NDArray cube = x.pow(Scalars.of(x, 3f));
                NDArray inner =
                        x.add(cube.mul(Scalars.of(x, 0.044715f)))
                                .mul(Scalars.of(x, (float) Math.sqrt(2 / Math.PI)));
                yield x.mul(Scalars.of(x, 0.5f)).mul(inner.tanh().add(Scalars.of(x, 1f)));
            }
            case "relu" -> Activation.relu(x);
            default -> throw new IllegalArgumentException("unsupported activation " + name);
        };
    }
}
