package io.searchloop.encoder.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The blocks on constant weights, against values worked out by hand. */
class BlocksTest {
    private final NDManager manager = NDManager.newBaseManager("PyTorch");
    private final Map<String, NDArray> weights = new HashMap<>();

    @AfterEach
    void close() {
        manager.close();
    }

    private void put(String name, float[] values, long... shape) {
        weights.put(name, manager.create(values, new Shape(shape)));
    }

    private static float[] identity(int n) {
        float[] out = new float[n * n];
        for (int i = 0; i < n; i++) {
            out[i * n + i] = 1f;
        }
        return out;
    }

    @Test
    void shouldNormaliseToZeroMeanUnitVarianceThenScaleAndShift() {
        put("ln.weight", new float[] {2, 2, 2, 2}, 4);
        put("ln.bias", new float[] {1, 1, 1, 1}, 4);
        NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 4));
        // mean 2.5, variance 1.25: (x - 2.5) / sqrt(1.25) = ±0.4472, ±1.3416; then ×2 + 1.
        float[] out = Ops.layerNorm(x, weights::get, "ln", 1e-12).toFloatArray();
        assertThat(out)
                .containsExactly(new float[] {-1.6833f, 0.1056f, 1.8944f, 3.6833f}, within(1e-4f));
    }

    @Test
    void shouldUseExactErfGelu() {
        NDArray x = manager.create(new float[] {-1, 0, 1, 2});
        // x·Φ(x): Φ(1) = 0.841344746, Φ(2) = 0.977249868; the tanh approximation differs by ~1.5e-4
        // at 1.
        float[] out = Ops.activation(x, "gelu").toFloatArray();
        assertThat(out)
                .containsExactly(
                        new float[] {-0.15865526f, 0f, 0.8413448f, 1.9544997f}, within(1e-6f));
    }

    @Test
    void shouldAttendUniformlyToUnmaskedTokensWhenQueriesAndKeysAreZero() {
        BertConfig config = new BertConfig(10, 4, 1, 2, 8, 16, 2, 1e-12, "gelu");
        String p = "layer.attention";
        for (String proj : new String[] {"query", "key"}) {
            put(p + ".self." + proj + ".weight", new float[16], 4, 4);
            put(p + ".self." + proj + ".bias", new float[4], 4);
        }
        put(p + ".self.value.weight", identity(4), 4, 4);
        put(p + ".self.value.bias", new float[4], 4);
        put(p + ".output.dense.weight", identity(4), 4, 4);
        put(p + ".output.dense.bias", new float[4], 4);
        put(p + ".output.LayerNorm.weight", new float[] {1, 1, 1, 1}, 4);
        put(p + ".output.LayerNorm.bias", new float[4], 4);
        NDArray x =
                manager.create(
                        new float[] {1, 2, 3, 4, 3, 2, 1, 0, 100, -100, 100, -100},
                        new Shape(1, 3, 4));
        NDArray maskBias =
                manager.create(
                        new float[] {0, 0, -1e9f}, new Shape(1, 1, 1, 3)); // third token is padding

        float[] out =
                SelfAttention.forward(x, maskBias, weights::get, p, config, 0f).toFloatArray();

        // Uniform attention over tokens 1-2: context = mean = [2,2,2,2]; token 1: LN([3,4,5,6]),
        // token 2: LN([5,4,3,2]).
        float a = 1.3416408f;
        float b = 0.4472136f;
        assertThat(java.util.Arrays.copyOfRange(out, 0, 8))
                .containsExactly(new float[] {-a, -b, b, a, a, b, -b, -a}, within(1e-4f));
    }

    @Test
    void shouldMeanPoolOnlyRealTokensAndNormalise() {
        NDArray hidden =
                manager.create(
                        new float[] {3, 0, 1, 4, 50, 50, 0, 2, 9, 9, 9, 9}, new Shape(2, 3, 2));
        NDArray mask = manager.create(new long[] {1, 1, 0, 1, 0, 0}, new Shape(2, 3));
        float[] mean = Pooling.MEAN.pool(hidden, mask).toFloatArray();
        float[] cls = Pooling.CLS.pool(hidden, mask).toFloatArray();
        // Text 1: mean([3,0],[1,4]) = [2,2] → [0.7071, 0.7071]; text 2: [0,2] → [0,1].
        assertThat(mean)
                .containsExactly(new float[] {0.70710677f, 0.70710677f, 0f, 1f}, within(1e-6f));
        // CLS: [3,0] → [1,0]; [0,2] → [0,1].
        assertThat(cls).containsExactly(new float[] {1f, 0f, 0f, 1f}, within(1e-6f));
    }

    @Test
    void shouldMaxPoolOnlyRealTokensAndNormalise() {
        NDArray hidden =
                manager.create(
                        new float[] {3, -4, 1, -8, 50, 50, -2, -1, 9, 9, 9, 9}, new Shape(2, 3, 2));
        NDArray mask = manager.create(new long[] {1, 1, 0, 1, 0, 0}, new Shape(2, 3));
        // Text 1: max([3,-4],[1,-8]) = [3,-4] → [0.6,-0.8]; the padding's [50,50] is ignored. Text
        // 2: [-2,-1] → [-0.894, -0.447].
        assertThat(Pooling.MAX.pool(hidden, mask).toFloatArray())
                .containsExactly(
                        new float[] {0.6f, -0.8f, -0.8944272f, -0.4472136f}, within(1e-6f));
    }
}
