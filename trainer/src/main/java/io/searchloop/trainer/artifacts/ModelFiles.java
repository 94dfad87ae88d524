package io.searchloop.trainer.artifacts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.searchloop.encoder.SentenceEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a trained model directory: the Hugging Face layout plus {@code metrics.json} and {@code
 * training-config.json}.
 */
public final class ModelFiles {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFiles() {}

    public static void write(
            Path dir, SentenceEncoder model, Map<String, ?> metrics, Map<String, ?> trainingConfig)
            throws IOException {
        model.save(dir);
        JSON.writeValue(dir.resolve("metrics.json").toFile(), metrics);
        JSON.writeValue(dir.resolve("training-config.json").toFile(), trainingConfig);
    }
}
