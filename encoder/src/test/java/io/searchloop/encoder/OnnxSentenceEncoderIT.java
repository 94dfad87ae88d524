package io.searchloop.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.encoder.weights.ModelDirectory;
import io.searchloop.encoder.weights.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime serving weights that are not the base's must give the PyTorch encoder's embeddings
 * for the same directory: all-MiniLM-L6-v2 with every parameter moved by seeded noise, on every
 * parity text (long ones truncated at 256 tokens), one text per call and 16 per call. The same
 * texts through ONNX Runtime with the base weights must differ clearly, so a replacement that did
 * not take effect fails here.
 */
class OnnxSentenceEncoderIT {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxSentenceEncoderIT.class);

    /** Noise per parameter, as a fraction of that tensor's standard deviation. */
    private static final double NOISE = 0.02;

    @TempDir static Path tmp;
    private static Path tuned;

    @BeforeAll
    static void perturbBase() throws Exception {
        ModelDirectory.Contents base = ModelDirectory.read(BaseModel.directory());
        Random random = new Random(42);
        Map<String, Tensor> moved = new LinkedHashMap<>();
        base.weights().forEach((name, t) -> moved.put(name, perturbed(t, random)));
        tuned = tmp.resolve("tuned");
        ModelDirectory.write(tuned, new ModelDirectory.Contents(base.layout(), moved));
    }

    @Test
    void shouldGiveThePyTorchEncodersEmbeddingsForFineTunedWeights() throws Exception {
        List<String> texts = ParityTexts.all();
        double worst = 1;
        for (int batch : new int[] {1, 16}) {
            EncoderOptions options =
                    EncoderOptions.defaults()
                            .withDevice(EncoderOptions.DeviceChoice.CPU)
                            .withBatchSize(batch);
            float[][] pytorch;
            try (SentenceEncoder encoder = SentenceEncoder.load(tuned, options)) {
                pytorch = encoder.encode(texts);
            }
            try (OnnxSentenceEncoder encoder = OnnxSentenceEncoder.load(tuned, options)) {
                assertThat(encoder.tokenizer().ids(texts))
                        .anySatisfy(ids -> assertThat(ids).hasSize(BaseModel.MAX_SEQ_LENGTH));
                float[][] onnx = encoder.encode(texts);
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(norm(onnx[i]))
                            .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                    double cosine = OnnxParityIT.cosine(pytorch[i], onnx[i]);
                    worst = Math.min(worst, cosine);
                    assertThat(cosine)
                            .as("batch %d, text %d '%s'", batch, i, texts.get(i))
                            .isGreaterThanOrEqualTo(0.9999);
                }
            }
        }
        LOG.info(
                "PyTorch vs ONNX Runtime, fine-tuned weights, batch 1 and 16: lowest cosine {}",
                worst);
    }

    @Test
    void shouldServeTheDirectorysWeightsNotTheGraphsOwn() throws Exception {
        List<String> texts = ParityTexts.all();
        EncoderOptions options = EncoderOptions.defaults().withBatchSize(16);
        float[][] base;
        float[][] moved;
        try (OnnxSentenceEncoder encoder =
                OnnxSentenceEncoder.load(BaseModel.directory(), options)) {
            base = encoder.encode(texts);
        }
        try (OnnxSentenceEncoder encoder = OnnxSentenceEncoder.load(tuned, options)) {
            moved = encoder.encode(texts);
        }
        double lowest = 1;
        for (int i = 0; i < texts.size(); i++) {
            lowest = Math.min(lowest, OnnxParityIT.cosine(base[i], moved[i]));
        }
        LOG.info("ONNX Runtime, base vs perturbed weights: lowest cosine {}", lowest);
        // Far outside the parity tolerance: serving the graph's own weights would fail the test
        // above.
        assertThat(lowest).isLessThan(0.999);
    }

    private static Tensor perturbed(Tensor t, Random random) {
        float[] data = t.data();
        double mean = 0;
        for (float v : data) {
            mean += v;
        }
        mean /= data.length;
        double variance = 0;
        for (float v : data) {
            variance += (v - mean) * (v - mean);
        }
        // A tensor of one repeated value (an untrained bias) still moves, by its own magnitude.
        double std = Math.sqrt(variance / data.length);
        double scale = NOISE * (std > 0 ? std : Math.max(Math.abs(mean), 1e-3));
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (float) (data[i] + scale * random.nextGaussian());
        }
        return new Tensor(t.shape(), out);
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
