package io.searchloop.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.encoder.weights.SafeTensors;
import io.searchloop.encoder.weights.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which runtime encodes texts for which model. */
class InferenceEngineTest {
    private static final EncoderOptions CPU =
            EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU);

    @Test
    void shouldPickOnnxRuntimeForAModelWithTheBaseArchitecture() throws Exception {
        try (TextEncoder encoder = InferenceEngine.AUTO.open(BaseModel.directory(), CPU)) {
            assertThat(encoder.engine()).isEqualTo("onnx");
            float[][] vectors = encoder.encode(List.of("дымоход"));
            assertThat(vectors[0]).hasSize(384);
        }
    }

    @Test
    void shouldPickPyTorchForAnotherArchitecture(@TempDir Path dir) throws Exception {
        Path tiny = TinyModels.write(dir.resolve("tiny"), 3);
        try (TextEncoder encoder = InferenceEngine.AUTO.open(tiny, CPU)) {
            assertThat(encoder.engine()).isEqualTo("pytorch");
            assertThat(encoder.encode(List.of("a b"))[0]).hasSize(32);
        }
    }

    @Test
    void shouldFallBackToPyTorchWhenOnnxRuntimeCannotLoadWeightsThatLookRight(@TempDir Path dir)
            throws Exception {
        // The base architecture, but one tensor more than the graph has: refusal() reads only the
        // configuration, load() fails on the weights, and auto must still serve the model.
        Path base = BaseModel.directory();
        Path odd = dir.resolve("odd");
        try (Stream<Path> files = Files.walk(base)) {
            for (Path f : files.toList()) {
                Path target = odd.resolve(base.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Path weights = odd.resolve("model.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>(SafeTensors.read(weights));
        tensors.put("unused.extra.weight", new Tensor(new long[] {2}, new float[] {1, 2}));
        SafeTensors.write(weights, tensors, Map.of());
        assertThat(OnnxSentenceEncoder.refusal(odd)).isEmpty();
        assertThatThrownBy(() -> InferenceEngine.ONNX.open(odd, CPU).close())
                .isInstanceOf(IllegalArgumentException.class);
        try (TextEncoder encoder = InferenceEngine.AUTO.open(odd, CPU)) {
            assertThat(encoder.engine()).isEqualTo("pytorch");
            assertThat(encoder.encode(List.of("дымоход"))[0]).hasSize(384);
        }
    }

    @Test
    void shouldRefuseOnnxForcedOnAModelThatDoesNotQualify(@TempDir Path dir) throws Exception {
        Path tiny = TinyModels.write(dir.resolve("tiny"), 3);
        assertThatThrownBy(() -> InferenceEngine.ONNX.open(tiny, CPU))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the onnx engine cannot serve " + tiny)
                .hasMessageContaining("is not the bundled ONNX graph's");
    }

    @Test
    void shouldKeepPyTorchWhenAskedForIt() throws Exception {
        try (TextEncoder encoder = InferenceEngine.PYTORCH.open(BaseModel.directory(), CPU)) {
            assertThat(encoder.engine()).isEqualTo("pytorch");
        }
    }
}
