package io.searchloop.embedder.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.encoder.BaseModel;
import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.InferenceEngine;
import io.searchloop.encoder.TextEncoder;
import io.searchloop.encoder.weights.ModelChecksum;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The embedder encodes the catalog on the runtime {@code CATALOG_ENGINE} picks. */
class ModelCacheTest {
    private static final EncoderOptions CPU =
            EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU);

    @Test
    void shouldEncodeTheBaseArchitectureOnOnnxRuntimeByDefault() throws Exception {
        Path base = BaseModel.directory();
        String sha = ModelChecksum.sha256(base);
        String uri = base.toUri().toString();
        InferenceEngine engine =
                EmbedderConfig.fromEnv(Map.of("SCHEMA_REGISTRY_URL", "mock://test"))
                        .catalogEngine();
        float[] onnx;
        try (ModelCache cache = new ModelCache(CPU, engine)) {
            TextEncoder encoder = cache.get("v1", uri, sha);
            assertThat(encoder.engine()).isEqualTo("onnx");
            assertThat(cache.get("v1", uri, sha)).isSameAs(encoder);
            onnx = encoder.encode(List.of("Дымоход сэндвич | Дымоходы"))[0];
            cache.retain(Set.of());
        }
        InferenceEngine pytorch =
                EmbedderConfig.fromEnv(
                                Map.of(
                                        "SCHEMA_REGISTRY_URL",
                                        "mock://test",
                                        "CATALOG_ENGINE",
                                        "pytorch"))
                        .catalogEngine();
        try (ModelCache cache = new ModelCache(CPU, pytorch)) {
            TextEncoder encoder = cache.get("v1", uri, sha);
            assertThat(encoder.engine()).isEqualTo("pytorch");
            float[] torch = encoder.encode(List.of("Дымоход сэндвич | Дымоходы"))[0];
            double dot = 0;
            for (int d = 0; d < torch.length; d++) {
                dot += torch[d] * onnx[d];
            }
            assertThat(dot).as("the same model on both runtimes").isGreaterThan(0.9999);
        }
    }
}
