package io.searchloop.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.searchloop.encoder.model.BertConfig;
import io.searchloop.encoder.model.Pooling;
import io.searchloop.encoder.tokenize.TextTokenizer;
import io.searchloop.encoder.tokenize.TokenBatch;
import io.searchloop.encoder.weights.ModelDirectory;
import io.searchloop.encoder.weights.OnnxBertImporter;
import io.searchloop.encoder.weights.SafeTensors;
import io.searchloop.encoder.weights.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model directory served by ONNX Runtime: the bundled all-MiniLM-L6-v2 ONNX graph with every one
 * of its float initializers replaced by the directory's weights (Hugging Face names mapped back to
 * the graph's by {@link OnnxBertImporter}, Linear weights transposed back to [in, out]). Only a
 * directory whose architecture is that graph's — the same {@link BertConfig} and mean pooling — can
 * be computed this way; {@link #load} refuses any other with the reason, so that the caller uses
 * {@link SentenceEncoder} instead. Texts go through the directory's own tokenizer, exactly as in
 * {@link SentenceEncoder}, and are pooled and L2-normalised here. ONNX Runtime reads the
 * replacement tensors in place rather than copying them, so they live as long as the session and
 * are closed after it.
 */
public final class OnnxSentenceEncoder implements TextEncoder {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxSentenceEncoder.class);
    private static final List<String> INPUTS =
            List.of("input_ids", "attention_mask", "token_type_ids");

    /** The architecture of the bundled graph, read from it once per JVM. */
    private static BertConfig graphConfig;

    /**
     * What an encoder runs with: the session, the replacement weights it reads in place (closed
     * after it), the tokenizer, texts per run and the embedding width.
     */
    private record Parts(
            OrtSession session,
            List<OnnxTensor> weights,
            TextTokenizer tokenizer,
            int batchSize,
            int dimension) {}

    private final Parts parts;

    private OnnxSentenceEncoder(Parts parts) {
        this.parts = parts;
    }

    /**
     * Why {@code modelDir} cannot be served by the bundled ONNX graph, or empty when it can. Reads
     * the directory's config and weight header, not its weights.
     */
    public static Optional<String> refusal(Path modelDir) throws IOException {
        return refusal(ModelDirectory.inspect(modelDir), baseConfig());
    }

    /**
     * The directory's model on ONNX Runtime, with {@code options}' intra-op threads (0 = ONNX
     * Runtime's default), batch size and maximum tokens ({@code device} is not used: this runs on
     * the CPU). Throws {@link IllegalArgumentException} with the reason when the directory's
     * architecture is not the bundled graph's.
     */
    public static OnnxSentenceEncoder load(Path modelDir, EncoderOptions options)
            throws IOException {
        return load(modelDir, options, false);
    }

    /**
     * As {@link #load(Path, EncoderOptions)}, choosing whether idle intra-op threads busy-wait for
     * the next call ({@code spinning}, ONNX Runtime's default). Services never spin: on a machine
     * whose cores the encoder shares with PostgreSQL, the HTTP server and the broker, spinning
     * threads take the CPU those need, and with two intra-op threads it nearly doubled the CPU time
     * per query (5.4-5.9 vs 9.4-10.0 ms at 50 queries/s on a 2-vCPU AMD EPYC). On only to measure.
     */
    public static OnnxSentenceEncoder load(Path modelDir, EncoderOptions options, boolean spinning)
            throws IOException {
        ModelDirectory.Layout layout = ModelDirectory.inspect(modelDir);
        byte[] graph = BaseModel.onnxBytes();
        List<OnnxBertImporter.Initializer> initializers =
                OnnxBertImporter.initializers(ByteBuffer.wrap(graph), BaseModel.ONNX_RESOURCE);
        Optional<String> refused = refusal(layout, configOf(initializers));
        if (refused.isPresent()) {
            throw new IllegalArgumentException(modelDir + ": " + refused.get());
        }
        Map<String, Tensor> values = SafeTensors.read(modelDir.resolve(ModelDirectory.WEIGHTS));
        Map<String, Tensor> replacements = replacements(initializers, values, modelDir);
        BertConfig config = layout.config();
        int maxLength =
                options.maxLength() > 0
                        ? Math.min(options.maxLength(), config.maxTokens())
                        : layout.maxLength();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OnnxTensor> tensors = new ArrayList<>();
        OrtSession session = null;
        TextTokenizer tokenizer = null;
        try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
            if (options.intraOpThreads() > 0) {
                sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
            }
            sessionOptions.setInterOpNumThreads(1);
            sessionOptions.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
            for (Map.Entry<String, Tensor> e : replacements.entrySet()) {
                Tensor t = e.getValue();
                OnnxTensor tensor =
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(t.data()), t.shape());
                tensors.add(tensor);
                sessionOptions.addInitializer(e.getKey(), tensor);
            }
            session = env.createSession(graph, sessionOptions);
            if (!session.getInputNames().containsAll(INPUTS)) {
                throw new IllegalStateException(
                        "the bundled ONNX graph takes "
                                + session.getInputNames()
                                + ", not "
                                + INPUTS);
            }
            tokenizer = TextTokenizer.load(layout.tokenizerJson(), maxLength, layout.lowerCase());
            LOG.info(
                    "loaded {} on ONNX Runtime ({} graph initializers from the directory, {} intra-op threads, max {} tokens)",
                    modelDir,
                    replacements.size(),
                    options.intraOpThreads() > 0 ? options.intraOpThreads() : "default",
                    maxLength);
            return new OnnxSentenceEncoder(
                    new Parts(
                            session, tensors, tokenizer, options.batchSize(), config.hiddenSize()));
        } catch (OrtException e) {
            closeAll(session, tensors, tokenizer);
            throw new IOException(
                    "ONNX Runtime cannot load " + modelDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(session, tensors, tokenizer);
            throw e;
        }
    }

    private static Optional<String> refusal(ModelDirectory.Layout layout, BertConfig graph) {
        if (!layout.config().equals(graph)) {
            return Optional.of(
                    "its architecture "
                            + layout.config()
                            + " is not the bundled ONNX graph's "
                            + graph
                            + ", so ONNX Runtime cannot serve it");
        }
        if (layout.pooling() != Pooling.MEAN) {
            return Optional.of(
                    "it pools by "
                            + layout.pooling()
                            + "; the ONNX Runtime encoder pools by MEAN only");
        }
        return Optional.empty();
    }

    private static synchronized BertConfig baseConfig() throws IOException {
        if (graphConfig == null) {
            graphConfig =
                    configOf(
                            OnnxBertImporter.initializers(
                                    ByteBuffer.wrap(BaseModel.onnxBytes()),
                                    BaseModel.ONNX_RESOURCE));
        }
        return graphConfig;
    }

    private static BertConfig configOf(List<OnnxBertImporter.Initializer> initializers) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (OnnxBertImporter.Initializer i : initializers) {
            if (i.hfName() != null) {
                named.put(i.hfName(), i.hfTensor());
            }
        }
        return BaseModel.configFrom(named);
    }

    /**
     * The directory's value for each initializer of the graph, in the graph's layout. Every float
     * initializer is replaced: one left at the base model's value would serve a model that was
     * never evaluated. The directory may hold only the pooler besides, which mean pooling ignores.
     */
    private static Map<String, Tensor> replacements(
            List<OnnxBertImporter.Initializer> initializers,
            Map<String, Tensor> values,
            Path modelDir) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (OnnxBertImporter.Initializer i : initializers) {
            if (i.hfName() == null) {
                throw new IllegalArgumentException(
                        "the bundled ONNX graph's initializer "
                                + i.onnxName()
                                + " has no Hugging Face name, so "
                                + modelDir
                                + "'s weights cannot replace it");
            }
            Tensor value = values.get(i.hfName());
            if (value == null) {
                throw new IllegalArgumentException(
                        modelDir + " has no weight " + i.hfName() + " for ONNX " + i.onnxName());
            }
            Tensor laidOut = i.onnxLayout(value);
            if (!Arrays.equals(laidOut.shape(), i.stored().shape())) {
                throw new IllegalArgumentException(
                        modelDir
                                + ": weight "
                                + i.hfName()
                                + " is "
                                + value.shapeText()
                                + ", the ONNX graph's "
                                + i.onnxName()
                                + " needs "
                                + i.stored().shapeText()
                                + (i.transposed() ? " transposed" : ""));
            }
            out.put(i.onnxName(), laidOut);
            used.add(i.hfName());
        }
        List<String> left =
                values.keySet().stream()
                        .filter(n -> !used.contains(n) && !n.startsWith("pooler."))
                        .sorted()
                        .toList();
        if (!left.isEmpty()) {
            throw new IllegalArgumentException(
                    modelDir + " has weights the ONNX graph does not use: " + left);
        }
        return out;
    }

    @Override
    public float[][] encode(List<String> texts) {
        List<long[]> ids = parts.tokenizer().ids(texts);
        // Shortest first, so each batch is padded only to its own longest text.
        List<Integer> order = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> ids.get(i).length));
        float[][] out = new float[texts.size()][];
        int batchSize = parts.batchSize();
        for (int from = 0; from < order.size(); from += batchSize) {
            SentenceEncoder.stopIfInterrupted("encoding");
            List<Integer> batch = order.subList(from, Math.min(order.size(), from + batchSize));
            List<long[]> sequences = batch.stream().map(ids::get).toList();
            float[][] pooled = run(sequences);
            for (int b = 0; b < batch.size(); b++) {
                out[batch.get(b)] = pooled[b];
            }
        }
        return out;
    }

    /** Mean-pooled, normalised embeddings of one padded batch. */
    private float[][] run(List<long[]> sequences) {
        TokenBatch.Padded padded = TokenBatch.Padded.of(sequences);
        int rows = padded.rows();
        int length = padded.length();
        long[] shape = {rows, length};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor inputIds =
                        OnnxTensor.createTensor(env, LongBuffer.wrap(padded.ids()), shape);
                OnnxTensor attention =
                        OnnxTensor.createTensor(env, LongBuffer.wrap(padded.mask()), shape);
                OnnxTensor types =
                        OnnxTensor.createTensor(
                                env, LongBuffer.wrap(new long[padded.ids().length]), shape);
                OrtSession.Result result =
                        parts.session()
                                .run(
                                        Map.of(
                                                INPUTS.get(0), inputIds,
                                                INPUTS.get(1), attention,
                                                INPUTS.get(2), types))) {
            FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[][] pooled = new float[rows][];
            for (int b = 0; b < rows; b++) {
                pooled[b] = meanOfTokens(hidden, b, length, sequences.get(b).length);
            }
            return pooled;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + rows, e);
        }
    }

    /**
     * Mean over the first {@code tokens} positions of row {@code row} of [B, T, H], unit length.
     */
    private float[] meanOfTokens(FloatBuffer hidden, int row, int length, int tokens) {
        int dimension = parts.dimension();
        float[] mean = new float[dimension];
        int base = row * length * dimension;
        for (int t = 0; t < tokens; t++) {
            for (int d = 0; d < dimension; d++) {
                mean[d] += hidden.get(base + t * dimension + d);
            }
        }
        double norm = 0;
        for (int d = 0; d < dimension; d++) {
            mean[d] /= Math.max(tokens, 1);
            norm += (double) mean[d] * mean[d];
        }
        float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
        for (int d = 0; d < dimension; d++) {
            mean[d] *= scale;
        }
        return mean;
    }

    @Override
    public int dimension() {
        return parts.dimension();
    }

    @Override
    public String engine() {
        return "onnx";
    }

    public TextTokenizer tokenizer() {
        return parts.tokenizer();
    }

    /** Closes the session first: the replacement weights must outlive it. */
    @Override
    public void close() {
        closeAll(parts.session(), parts.weights(), parts.tokenizer());
    }

    private static void closeAll(
            OrtSession session, List<OnnxTensor> tensors, TextTokenizer tokenizer) {
        try {
            if (session != null) {
                session.close();
            }
        } catch (OrtException e) {
            LOG.warn("closing an ONNX Runtime session failed: {}", e.getMessage());
        } finally {
            tensors.forEach(OnnxTensor::close);
            if (tokenizer != null) {
                tokenizer.close();
            }
        }
    }
}
