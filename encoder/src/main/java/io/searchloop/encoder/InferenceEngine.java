package io.searchloop.encoder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which runtime encodes texts for serving: search queries ({@code QUERY_ENGINE}) and the catalog
 * ({@code CATALOG_ENGINE}, the embedder and the trainer's evaluation). {@code ONNX} runs the model
 * directory's weights in the bundled all-MiniLM-L6-v2 ONNX graph on ONNX Runtime, faster than the
 * PyTorch CPU build (several times per query, about 1.3x at batch 32 on AMD EPYC); it needs the
 * graph's architecture and gives the PyTorch encoder's embeddings (parity-tested, cosine ≥ 0.9999),
 * so the model served is the one that was trained. {@code PYTORCH} runs any model the trainer can
 * produce. {@code AUTO} takes ONNX Runtime when the model qualifies and PyTorch would not run on a
 * GPU ({@code ENCODER_DEVICE} gpu, or auto on a machine with one), else PyTorch. Training always
 * runs on PyTorch.
 */
public enum InferenceEngine {
    AUTO,
    ONNX,
    PYTORCH;

    private static final Logger LOG = LoggerFactory.getLogger(InferenceEngine.class);

    /** The encoder of {@code modelDir} on this engine (for {@code AUTO}, the one it picks). */
    public TextEncoder open(Path modelDir, EncoderOptions options) throws IOException {
        return switch (this) {
            case PYTORCH -> SentenceEncoder.load(modelDir, options);
            case ONNX -> {
                Optional<String> refused = OnnxSentenceEncoder.refusal(modelDir);
                if (refused.isPresent()) {
                    throw new IllegalArgumentException(
                            "the onnx engine cannot serve "
                                    + modelDir
                                    + ": "
                                    + refused.get()
                                    + " (choose auto or pytorch)");
                }
                yield OnnxSentenceEncoder.load(modelDir, options);
            }
            case AUTO -> {
                if (SentenceEncoder.chooseDevice(options.device()).isGpu()) {
                    LOG.info("{} encoded on PyTorch on the GPU", modelDir);
                    yield SentenceEncoder.load(modelDir, options);
                }
                Optional<String> refused = OnnxSentenceEncoder.refusal(modelDir);
                if (refused.isPresent()) {
                    LOG.info("{} encoded on PyTorch: {}", modelDir, refused.get());
                    yield SentenceEncoder.load(modelDir, options);
                }
                try {
                    yield OnnxSentenceEncoder.load(modelDir, options);
                } catch (IOException | RuntimeException e) {
                    // The configuration matched but the weights did not fit the graph (a missing
                    // or extra tensor, a shape) or ONNX Runtime refused: PyTorch serves the same
                    // model, so a version is never held back by the faster engine.
                    LOG.warn(
                            "{} encoded on PyTorch: ONNX Runtime cannot load it: {}",
                            modelDir,
                            e.toString());
                    yield SentenceEncoder.load(modelDir, options);
                }
            }
        };
    }

    /** The setting's spelling, for logs and the API. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
