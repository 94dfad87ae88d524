package io.searchloop.trainer.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {

    @Test
    void shouldShipTheMeasuredFilesByteForByteWithTheRoundsFigures(@TempDir Path root)
            throws Exception {
        Path measured = Files.createDirectories(root.resolve("measured"));
        byte[] weights = {0, 1, 2, (byte) 0xff};
        Files.write(measured.resolve("model.safetensors"), weights);
        Files.createDirectories(measured.resolve("1_Pooling"));
        Files.writeString(measured.resolve("1_Pooling/config.json"), "{\"mean\":true}");
        Path out = Files.createDirectories(root.resolve("out"));
        Files.writeString(out.resolve("model.safetensors"), "an older run's weights");

        ModelFiles.write(out, measured, Map.of("ndcg@10", 0.5), Map.of("seed", 7));

        assertThat(out.resolve("model.safetensors")).hasBinaryContent(weights);
        assertThat(out.resolve("1_Pooling/config.json")).hasContent("{\"mean\":true}");
        assertThat(Files.readString(out.resolve("metrics.json"))).contains("\"ndcg@10\" : 0.5");
        assertThat(Files.readString(out.resolve("training-config.json"))).contains("\"seed\" : 7");
        assertThat(measured.resolve("model.safetensors"))
                .as("moved, not copied: one model-sized copy on disk")
                .doesNotExist();
    }
}
