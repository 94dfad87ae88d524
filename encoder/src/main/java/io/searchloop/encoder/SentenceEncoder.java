package io.searchloop.encoder;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.searchloop.encoder.model.BertConfig;
import io.searchloop.encoder.model.BertModel;
import io.searchloop.encoder.model.Pooling;
import io.searchloop.encoder.tokenize.TextTokenizer;
import io.searchloop.encoder.tokenize.TokenBatch;
import io.searchloop.encoder.weights.ModelDirectory;
import io.searchloop.encoder.weights.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sentence-embedding model: tokenizer + BERT + pooling + L2 normalisation. {@link #encode} is
 * safe for concurrent callers: it never records gradients, sorts texts by token length so that each
 * batch is padded only to its own longest text, and frees every intermediate with a per-batch
 * NDManager. The weights are owned by this object until {@link #close()}.
 */
public final class SentenceEncoder implements TextEncoder {
    private static final Logger LOG = LoggerFactory.getLogger(SentenceEncoder.class);

    private final BertModel model;
    private final TextTokenizer tokenizer;
    private final Pooling pooling;
    private final EncoderOptions options;
    private final ModelDirectory.Layout layout;

    SentenceEncoder(
            BertModel model,
            TextTokenizer tokenizer,
            EncoderOptions options,
            ModelDirectory.Layout layout) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.pooling = layout.pooling();
        this.options = options;
        this.layout = layout;
    }

    /**
     * Loads a Hugging Face / sentence-transformers model directory. Everything that decides whether
     * it can be computed faithfully is checked before the device is chosen or a weight is read.
     */
    public static SentenceEncoder load(Path modelDir, EncoderOptions options) throws IOException {
        ModelDirectory.Layout layout = ModelDirectory.inspect(modelDir);
        Device device = chooseDevice(options.device());
        if (options.intraOpThreads() > 0) {
            JniUtils.setNumThreads(options.intraOpThreads());
        }
        BertConfig config = layout.config();
        int maxLength =
                options.maxLength() > 0
                        ? Math.min(options.maxLength(), config.maxTokens())
                        : layout.maxLength();
        BertModel model =
                BertModel.create(
                        config, SafeTensors.read(modelDir.resolve(ModelDirectory.WEIGHTS)), device);
        TextTokenizer tokenizer =
                TextTokenizer.load(layout.tokenizerJson(), maxLength, layout.lowerCase());
        LOG.info(
                "loaded {} encoder from {} on {} ({} layers, dim {}, max {} tokens, {} pooling{})",
                config.modelType(),
                modelDir,
                device,
                config.numLayers(),
                config.hiddenSize(),
                maxLength,
                layout.pooling(),
                layout.lowerCase() ? ", lower-cased" : "");
        return new SentenceEncoder(model, tokenizer, options, layout);
    }

    /** The bundled all-MiniLM-L6-v2, converted once into the local model cache. */
    public static SentenceEncoder base(EncoderOptions options) throws IOException {
        return load(BaseModel.directory(), options);
    }

    /**
     * The PyTorch device {@code choice} means on this machine; GPU without one is an {@link
     * IllegalStateException}.
     */
    public static Device chooseDevice(EncoderOptions.DeviceChoice choice) {
        int gpus;
        try {
            gpus = Engine.getEngine("PyTorch").getGpuCount();
        } catch (EngineException e) {
            throw new IllegalStateException(
                    "the PyTorch engine could not be loaded ("
                            + e.getMessage()
                            + "); a CUDA build of libtorch"
                            + " (mvn -Pgpu, PYTORCH_LIBRARY_PATH) needs an NVIDIA driver, see README \"GPU\"",
                    e);
        }
        return switch (choice) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new IllegalStateException(
                            "device GPU requested but PyTorch sees no GPU (is a CUDA build of libtorch installed? see README)");
                }
                yield Device.gpu();
            }
            case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }

    @Override
    public int dimension() {
        return model.config().hiddenSize();
    }

    @Override
    public String engine() {
        return "pytorch";
    }

    public BertModel model() {
        return model;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public Pooling pooling() {
        return pooling;
    }

    public EncoderOptions options() {
        return options;
    }

    /** Where this model came from and how its directory describes it. */
    public ModelDirectory.Layout layout() {
        return layout;
    }

    /** One unit-length embedding per text, in input order. */
    @Override
    public float[][] encode(List<String> texts) {
        float[][] out = new float[texts.size()][];
        try (NDManager manager = model.manager().newSubManager()) {
            NDArray all = encode(texts, manager);
            for (int i = 0; i < out.length; i++) {
                out[i] = all.get(i).toFloatArray();
            }
        }
        return out;
    }

    /**
     * The embeddings as one [N, D] NDArray attached to {@code target}, without copying them to the
     * heap (for batch jobs that keep working on the device).
     */
    public NDArray encode(List<String> texts, NDManager target) {
        if (texts.isEmpty()) {
            return target.zeros(new ai.djl.ndarray.types.Shape(0, dimension()));
        }
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // torch.no_grad(): this thread records no graph
        try {
            List<long[]> ids = tokenizer.ids(texts);
            Integer[] order =
                    IntStream.range(0, ids.size())
                            .boxed()
                            .sorted(Comparator.comparingInt(i -> ids.get(i).length))
                            .toArray(Integer[]::new);
            NDList parts = new NDList();
            for (int start = 0; start < order.length; start += options.batchSize()) {
                stopIfInterrupted("encoding");
                int end = Math.min(order.length, start + options.batchSize());
                List<long[]> chunk = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    chunk.add(ids.get(order[i]));
                }
                try (NDManager batchManager = model.manager().newSubManager()) {
                    NDArray pooled = pooledEmbeddings(chunk, batchManager, 0f);
                    pooled.attach(target);
                    parts.add(pooled);
                }
            }
            NDArray sorted = parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts);
            int[] inverse = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                inverse[order[i]] = i;
            }
            NDArray result = sorted.get(target.create(inverse));
            result.attach(target);
            return result;
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /**
     * Ends long native work at a batch boundary when the thread is interrupted (a service shutting
     * down): a thread still inside libtorch when the JVM exits crashes the process.
     */
    public static void stopIfInterrupted(String what) {
        if (Thread.currentThread().isInterrupted()) {
            throw new java.util.concurrent.CancellationException(what + " interrupted");
        }
    }

    /**
     * Pooled, normalised embeddings [B, D] of already tokenized texts, computed on {@code manager}.
     * With {@code dropout} > 0 and gradient recording on, this is the training forward pass.
     */
    public NDArray pooledEmbeddings(List<long[]> tokenIds, NDManager manager, float dropout) {
        TokenBatch batch = TokenBatch.pad(tokenIds, manager);
        NDArray hidden =
                model.forward(
                        batch.inputIds(), batch.attentionMask(), batch.tokenTypeIds(), dropout);
        return pooling.pool(hidden, batch.attentionMask());
    }

    /**
     * Writes this model (current weights) as a Hugging Face / sentence-transformers directory: the
     * source directory's config, tokenizer and sentence-transformers files unchanged, the weights
     * new, and the base model's name and checksum in {@code searchloop.json}.
     */
    public void save(Path dir) {
        try {
            ModelDirectory.write(dir, new ModelDirectory.Contents(layout, model.export()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save model to " + dir, e);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
