package io.searchloop.app;

import io.searchloop.encoder.BaseModel;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A CLI's {@code --model}/{@code --base}: {@code base} (the bundled all-MiniLM-L6-v2), an imported
 * base's name, or a model directory.
 */
final class ModelChoice {
    private ModelChoice() {}

    static Path directory(String choice) throws IOException {
        return BaseModel.resolve(choice);
    }
}
