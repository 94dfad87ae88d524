package io.searchloop.trainer.artifacts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a trained model directory: the model's files as saved and measured (the Hugging Face
 * layout), moved in, plus {@code metrics.json} and {@code training-config.json}.
 */
public final class ModelFiles {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFiles() {}

    public static void write(
            Path dir, Path model, Map<String, ?> metrics, Map<String, ?> trainingConfig)
            throws IOException {
        moveTree(model, dir);
        JSON.writeValue(dir.resolve("metrics.json").toFile(), metrics);
        JSON.writeValue(dir.resolve("training-config.json").toFile(), trainingConfig);
    }

    /**
     * Moves every file of {@code from} into {@code to} (a copy where they are on different file
     * systems): the disk holds one copy of a model-sized directory, not two.
     */
    private static void moveTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.move(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
