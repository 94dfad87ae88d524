package io.searchloop.search.model;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.OnnxSentenceEncoder;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.TextEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which runtime encodes search queries ({@code QUERY_ENGINE}). {@code ONNX} runs the model
 * directory's weights in the bundled all-MiniLM-L6-v2 ONNX graph on ONNX Runtime, several times
 * faster per query on CPUs where the PyTorch build is slow; it needs the graph's architecture and
 * gives the PyTorch encoder's embeddings (parity-tested, cosine ≥ 0.9999), so the model served is
 * the one that was evaluated. {@code PYTORCH} runs any model the trainer can produce. {@code AUTO}
 * takes ONNX Runtime when the model qualifies and the encoder is not placed on a GPU, else PyTorch.
 *
 * <p>Only queries: the embedder encodes the catalog on PyTorch, and parity is what makes query and
 * catalog vectors the same model's.
 */
public enum QueryEngine {
    AUTO,
    ONNX,
    PYTORCH;

    private static final Logger LOG = LoggerFactory.getLogger(QueryEngine.class);

    /**
     * The query encoder of {@code modelDir} on this engine (for {@code AUTO}, the one it picks).
     */
    public TextEncoder open(Path modelDir, EncoderOptions options) throws IOException {
        return switch (this) {
            case PYTORCH -> SentenceEncoder.load(modelDir, options);
            case ONNX -> {
                Optional<String> refused = OnnxSentenceEncoder.refusal(modelDir);
                if (refused.isPresent()) {
                    throw new IllegalArgumentException(
                            "QUERY_ENGINE=onnx cannot serve "
                                    + modelDir
                                    + ": "
                                    + refused.get()
                                    + " (set QUERY_ENGINE to auto or pytorch)");
                }
                yield OnnxSentenceEncoder.load(modelDir, options);
            }
            case AUTO -> {
                if (options.device() == EncoderOptions.DeviceChoice.GPU) {
                    LOG.info("queries encoded on PyTorch: ENCODER_DEVICE is gpu");
                    yield SentenceEncoder.load(modelDir, options);
                }
                Optional<String> refused = OnnxSentenceEncoder.refusal(modelDir);
                if (refused.isPresent()) {
                    LOG.info("queries encoded on PyTorch: {}", refused.get());
                    yield SentenceEncoder.load(modelDir, options);
                }
                try {
                    yield OnnxSentenceEncoder.load(modelDir, options);
                } catch (IOException | RuntimeException e) {
                    // The configuration matched but the weights did not fit the graph (a missing
                    // or extra tensor, a shape) or ONNX Runtime refused: PyTorch serves the same
                    // model, so a version is never held back by the faster engine.
                    LOG.warn(
                            "queries encoded on PyTorch: ONNX Runtime cannot load {}: {}",
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
