package io.searchloop.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which model directories the bundled ONNX graph can serve, decided before any weight is read. */
class OnnxSentenceEncoderTest {

    @Test
    void shouldRefuseAModelWithAnotherArchitecture(@TempDir Path dir) throws Exception {
        Path tiny = TinyModels.write(dir.resolve("tiny"), 1);

        assertThat(OnnxSentenceEncoder.refusal(tiny))
                .hasValueSatisfying(
                        reason ->
                                assertThat(reason)
                                        .contains("is not the bundled ONNX graph's")
                                        .contains("hiddenSize=32")
                                        .contains("hiddenSize=384"));
        assertThatThrownBy(() -> OnnxSentenceEncoder.load(tiny, EncoderOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(tiny.toString())
                .hasMessageContaining("ONNX Runtime cannot serve it");
    }

    @Test
    void shouldAcceptTheBaseModel() throws Exception {
        assertThat(OnnxSentenceEncoder.refusal(BaseModel.directory())).isEmpty();
    }
}
