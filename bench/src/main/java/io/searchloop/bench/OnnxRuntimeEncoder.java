package io.searchloop.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.searchloop.encoder.tokenize.TextTokenizer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The reference for encode figures: ONNX Runtime running the same all-MiniLM-L6-v2 ONNX file, fed
 * by the same tokenizer with the same length-sorted batching and padding, with mean pooling and L2
 * normalisation done here — so only the model runtime differs from the DJL encoder.
 */
final class OnnxRuntimeEncoder implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final TextTokenizer tokenizer;
    private final int batchSize;

    OnnxRuntimeEncoder(String onnxFile, TextTokenizer tokenizer, int batchSize, int threads)
            throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        this.session = env.createSession(onnxFile, options);
        this.tokenizer = tokenizer;
        this.batchSize = batchSize;
    }

    float[][] encode(List<String> texts) throws OrtException {
        List<long[]> ids = tokenizer.ids(texts);
        Integer[] order =
                IntStream.range(0, ids.size())
                        .boxed()
                        .sorted(Comparator.comparingInt(i -> ids.get(i).length))
                        .toArray(Integer[]::new);
        float[][] out = new float[texts.size()][];
        for (int start = 0; start < order.length; start += batchSize) {
            List<Integer> chunk = new ArrayList<>();
            for (int i = start; i < Math.min(order.length, start + batchSize); i++) {
                chunk.add(order[i]);
            }
            int length = chunk.stream().mapToInt(i -> ids.get(i).length).max().orElse(0);
            long[] input = new long[chunk.size() * length];
            long[] mask = new long[chunk.size() * length];
            for (int b = 0; b < chunk.size(); b++) {
                long[] seq = ids.get(chunk.get(b));
                System.arraycopy(seq, 0, input, b * length, seq.length);
                for (int t = 0; t < seq.length; t++) {
                    mask[b * length + t] = 1;
                }
            }
            long[] shape = {chunk.size(), length};
            try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(input), shape);
                    OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                    OnnxTensor t =
                            OnnxTensor.createTensor(
                                    env, LongBuffer.wrap(new long[input.length]), shape);
                    OrtSession.Result result =
                            session.run(
                                    Map.of(
                                            "input_ids",
                                            a,
                                            "attention_mask",
                                            m,
                                            "token_type_ids",
                                            t))) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                for (int b = 0; b < chunk.size(); b++) {
                    out[chunk.get(b)] = meanPool(hidden[b], ids.get(chunk.get(b)).length);
                }
            }
        }
        return out;
    }

    private static float[] meanPool(float[][] tokens, int real) {
        float[] mean = new float[tokens[0].length];
        for (int t = 0; t < real; t++) {
            for (int d = 0; d < mean.length; d++) {
                mean[d] += tokens[t][d];
            }
        }
        double norm = 0;
        for (float v : mean) {
            norm += v * v;
        }
        float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
        for (int d = 0; d < mean.length; d++) {
            mean[d] *= scale;
        }
        return mean;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
