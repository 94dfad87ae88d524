package io.searchloop.encoder.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.searchloop.encoder.TinyModels;
import io.searchloop.encoder.weights.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tiny random XLM-RoBERTa against a forward pass written out by hand in plain Java, in doubles,
 * after Hugging Face's {@code XLMRobertaModel}: position ids count from {@code pad_token_id + 1}
 * and padding sits at the padding id.
 */
class XlmRobertaForwardTest {
    private static final BertConfig CONFIG =
            new BertConfig("xlm-roberta", 10, 4, 1, 2, 6, 9, 1, 1e-5, "gelu", 1);
    private static final long[][] IDS = {{0, 5, 7, 9, 2}, {0, 6, 2, 1, 1}};
    private static final long[][] MASK = {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}};

    @Test
    void shouldNumberPositionsFromThePaddingIdPlusOne() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray positions =
                    Embeddings.positionIds(manager.create(IDS), manager.create(MASK), CONFIG);
            assertThat(positions.toLongArray()).containsExactly(2, 3, 4, 5, 6, 2, 3, 4, 1, 1);
            BertConfig bert = new BertConfig(10, 4, 1, 2, 6, 9, 1, 1e-5, "gelu");
            assertThat(
                            Embeddings.positionIds(manager.create(IDS), manager.create(MASK), bert)
                                    .toLongArray())
                    .containsExactly(0, 1, 2, 3, 4);
        }
        assertThat(CONFIG.maxTokens()).isEqualTo(7);
    }

    @Test
    void shouldMatchAHandComputedForward() {
        Map<String, Tensor> weights = TinyModels.randomWeights(CONFIG, 17);
        try (BertModel model = BertModel.create(CONFIG, weights, Device.cpu());
                NDManager manager = model.manager().newSubManager()) {
            NDArray ids = manager.create(IDS);
            float[] out =
                    model.forward(
                                    ids,
                                    manager.create(MASK),
                                    manager.zeros(ids.getShape(), ids.getDataType()),
                                    0f)
                            .toFloatArray();
            for (int b = 0; b < IDS.length; b++) {
                double[][] expected = reference(weights, IDS[b], MASK[b]);
                for (int t = 0; t < IDS[b].length; t++) {
                    if (MASK[b][t] == 0) {
                        continue; // padding rows are never read
                    }
                    for (int h = 0; h < 4; h++) {
                        assertThat((double) out[(b * 5 + t) * 4 + h])
                                .as("text %d token %d dim %d", b, t, h)
                                .isCloseTo(expected[t][h], within(1e-4));
                    }
                }
            }
        }
    }

    /** XLMRobertaModel's last hidden state for one text, from the weights, in doubles. */
    private static double[][] reference(Map<String, Tensor> w, long[] ids, long[] mask) {
        int length = ids.length;
        int hidden = 4;
        double[][] x = new double[length][hidden];
        int position = CONFIG.padTokenId();
        for (int t = 0; t < length; t++) {
            int pos = mask[t] == 1 ? ++position : CONFIG.padTokenId();
            for (int h = 0; h < hidden; h++) {
                x[t][h] =
                        at(w, "embeddings.word_embeddings.weight", (int) ids[t], h)
                                + at(w, "embeddings.position_embeddings.weight", pos, h)
                                + at(w, "embeddings.token_type_embeddings.weight", 0, h);
            }
            x[t] = layerNorm(x[t], w, "embeddings.LayerNorm");
        }
        String p = "encoder.layer.0.";
        double[][] q = linear(x, w, p + "attention.self.query");
        double[][] k = linear(x, w, p + "attention.self.key");
        double[][] v = linear(x, w, p + "attention.self.value");
        int heads = 2;
        int size = hidden / heads;
        double[][] context = new double[length][hidden];
        for (int head = 0; head < heads; head++) {
            for (int i = 0; i < length; i++) {
                double[] scores = new double[length];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < length; j++) {
                    double dot = 0;
                    for (int d = 0; d < size; d++) {
                        dot += q[i][head * size + d] * k[j][head * size + d];
                    }
                    scores[j] = mask[j] == 1 ? dot / Math.sqrt(size) : Double.NEGATIVE_INFINITY;
                    max = Math.max(max, scores[j]);
                }
                double total = 0;
                for (int j = 0; j < length; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    total += scores[j];
                }
                for (int j = 0; j < length; j++) {
                    for (int d = 0; d < size; d++) {
                        context[i][head * size + d] += scores[j] / total * v[j][head * size + d];
                    }
                }
            }
        }
        double[][] attended =
                addAndNorm(
                        linear(context, w, p + "attention.output.dense"),
                        x,
                        w,
                        p + "attention.output.LayerNorm");
        double[][] inner = linear(attended, w, p + "intermediate.dense");
        for (double[] row : inner) {
            for (int i = 0; i < row.length; i++) {
                row[i] = 0.5 * row[i] * (1 + erf(row[i] / Math.sqrt(2)));
            }
        }
        return addAndNorm(
                linear(inner, w, p + "output.dense"), attended, w, p + "output.LayerNorm");
    }

    private static double at(Map<String, Tensor> w, String name, int row, int col) {
        Tensor t = w.get(name);
        return t.data()[row * (int) t.shape()[1] + col];
    }

    private static double[][] linear(double[][] x, Map<String, Tensor> w, String prefix) {
        Tensor weight = w.get(prefix + ".weight");
        float[] bias = w.get(prefix + ".bias").data();
        int out = (int) weight.shape()[0];
        int in = (int) weight.shape()[1];
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double sum = bias[o];
                for (int i = 0; i < in; i++) {
                    sum += weight.data()[o * in + i] * x[t][i];
                }
                y[t][o] = sum;
            }
        }
        return y;
    }

    private static double[][] addAndNorm(
            double[][] y, double[][] residual, Map<String, Tensor> w, String prefix) {
        double[][] out = new double[y.length][];
        for (int t = 0; t < y.length; t++) {
            double[] sum = new double[y[t].length];
            for (int h = 0; h < sum.length; h++) {
                sum[h] = y[t][h] + residual[t][h];
            }
            out[t] = layerNorm(sum, w, prefix);
        }
        return out;
    }

    private static double[] layerNorm(double[] x, Map<String, Tensor> w, String prefix) {
        double mean = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        double variance = 0;
        for (double v : x) {
            variance += (v - mean) * (v - mean) / x.length;
        }
        double[] out = new double[x.length];
        for (int h = 0; h < x.length; h++) {
            out[h] =
                    (x[h] - mean)
                                    / Math.sqrt(variance + CONFIG.layerNormEps())
                                    * w.get(prefix + ".weight").data()[h]
                            + w.get(prefix + ".bias").data()[h];
        }
        return out;
    }

    /** erf by its Maclaurin series (60 terms reach double precision for |x| ≤ 4). */
    private static double erf(double x) {
        if (Math.abs(x) > 4) {
            return Math.signum(x); // 1 - erf(4) < 2e-8
        }
        double term = x;
        double sum = x;
        for (int n = 1; n < 60; n++) {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
