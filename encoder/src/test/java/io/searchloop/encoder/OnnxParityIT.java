package io.searchloop.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DJL encoder with the imported all-MiniLM-L6-v2 weights must give the same sentence embeddings
 * as ONNX Runtime running the original ONNX file with the same tokenizer and pooling.
 */
class OnnxParityIT {
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(OnnxParityIT.class);

    @Test
    void shouldMatchOnnxRuntimeOnEveryText(@TempDir Path tmp) throws Exception {
        List<String> texts = ParityTexts.all();
        assertThat(texts).hasSizeGreaterThanOrEqualTo(50);
        Path onnx = tmp.resolve("model.onnx");
        try (InputStream in = BaseModel.class.getResourceAsStream(BaseModel.ONNX_RESOURCE)) {
            Files.copy(in, onnx, StandardCopyOption.REPLACE_EXISTING);
        }

        float[][] djl;
        List<long[]> ids;
        try (SentenceEncoder encoder =
                SentenceEncoder.base(EncoderOptions.defaults().withBatchSize(16))) {
            djl = encoder.encode(texts);
            ids = encoder.tokenizer().ids(texts);
        }
        assertThat(ids)
                .anySatisfy(
                        seq ->
                                assertThat(seq)
                                        .hasSize(BaseModel.MAX_SEQ_LENGTH)); // long texts were
        // truncated

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session =
                env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            double worst = 1;
            for (int i = 0; i < texts.size(); i++) {
                float[] reference = onnxEmbedding(env, session, ids.get(i));
                double cosine = cosine(djl[i], reference);
                worst = Math.min(worst, cosine);
                assertThat(cosine)
                        .as("cosine for text %d '%s'", i, abbreviate(texts.get(i)))
                        .isGreaterThanOrEqualTo(0.9999);
            }
            LOG.info("DJL vs ONNX Runtime on {} texts: lowest cosine {}", texts.size(), worst);
        }
    }

    private static float[] onnxEmbedding(OrtEnvironment env, OrtSession session, long[] ids)
            throws Exception {
        long[][] input = {ids};
        long[][] mask = {filled(ids.length, 1)};
        long[][] types = {filled(ids.length, 0)};
        try (OnnxTensor a = OnnxTensor.createTensor(env, input);
                OnnxTensor b = OnnxTensor.createTensor(env, mask);
                OnnxTensor c = OnnxTensor.createTensor(env, types);
                OrtSession.Result result =
                        session.run(
                                Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
            float[][][] hidden = (float[][][]) result.get(0).getValue();
            int dim = hidden[0][0].length;
            float[] mean = new float[dim];
            for (float[] token : hidden[0]) {
                for (int d = 0; d < dim; d++) {
                    mean[d] += token[d] / ids.length;
                }
            }
            return mean;
        }
    }

    private static long[] filled(int n, long value) {
        long[] out = new long[n];
        java.util.Arrays.fill(out, value);
        return out;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
