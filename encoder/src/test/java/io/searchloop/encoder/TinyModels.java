package io.searchloop.encoder;

import io.searchloop.encoder.model.BertConfig;
import io.searchloop.encoder.model.BertParameters;
import io.searchloop.encoder.model.Pooling;
import io.searchloop.encoder.weights.ModelDirectory;
import io.searchloop.encoder.weights.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A tiny BERT (2 layers, hidden 32) with seeded random weights and a 72-token vocabulary, for fast
 * unit tests.
 */
public final class TinyModels {
    public static final BertConfig CONFIG = new BertConfig(72, 32, 2, 4, 64, 64, 2, 1e-12, "gelu");

    private TinyModels() {}

    public static Map<String, Tensor> randomWeights(BertConfig config, long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        BertParameters.expected(config)
                .forEach(
                        (name, shape) -> {
                            int size = 1;
                            for (long d : shape) {
                                size *= (int) d;
                            }
                            float[] data = new float[size];
                            boolean layerNormGain = name.endsWith("LayerNorm.weight");
                            for (int i = 0; i < size; i++) {
                                data[i] =
                                        layerNormGain
                                                ? 1f + 0.05f * (float) random.nextGaussian()
                                                : 0.2f * (float) random.nextGaussian();
                            }
                            weights.put(name, new Tensor(shape, data));
                        });
        return weights;
    }

    /** The tiny tokenizer.json as a file (copied out of the test jar when other modules use it). */
    public static Path tokenizerJson() {
        try (java.io.InputStream in =
                TinyModels.class.getResourceAsStream("/tiny-tokenizer.json")) {
            Path file = java.nio.file.Files.createTempFile("tiny-tokenizer", ".json");
            file.toFile().deleteOnExit();
            java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes a tiny model directory under {@code dir} and returns it. */
    public static Path write(Path dir, long seed) throws IOException {
        ModelDirectory.write(
                dir,
                new ModelDirectory.Contents(
                        CONFIG, Pooling.MEAN, 16, tokenizerJson(), randomWeights(CONFIG, seed)));
        return dir;
    }
}
