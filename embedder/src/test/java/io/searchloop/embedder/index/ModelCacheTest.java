package io.searchloop.embedder.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        try (ModelCache cache = new ModelCache(CPU, engine);
                ModelCache.Lease lease = cache.acquire("v1", uri, sha);
                ModelCache.Lease again = cache.acquire("v1", uri, sha)) {
            assertThat(lease.encoder().engine()).isEqualTo("onnx");
            assertThat(again.encoder()).isSameAs(lease.encoder());
            onnx = lease.encoder().encode(List.of("Дымоход сэндвич | Дымоходы"))[0];
        }
        InferenceEngine pytorch =
                EmbedderConfig.fromEnv(
                                Map.of(
                                        "SCHEMA_REGISTRY_URL",
                                        "mock://test",
                                        "CATALOG_ENGINE",
                                        "pytorch"))
                        .catalogEngine();
        try (ModelCache cache = new ModelCache(CPU, pytorch);
                ModelCache.Lease lease = cache.acquire("v1", uri, sha)) {
            TextEncoder encoder = lease.encoder();
            assertThat(encoder.engine()).isEqualTo("pytorch");
            float[] torch = encoder.encode(List.of("Дымоход сэндвич | Дымоходы"))[0];
            double dot = 0;
            for (int d = 0; d < torch.length; d++) {
                dot += torch[d] * onnx[d];
            }
            assertThat(dot).as("the same model on both runtimes").isGreaterThan(0.9999);
        }
    }

    @Test
    void shouldCloseADroppedVersionOnlyAfterItsLastLeaseEnds() throws Exception {
        Path base = BaseModel.directory();
        String sha = ModelChecksum.sha256(base);
        try (ModelCache cache = new ModelCache(CPU, InferenceEngine.ONNX)) {
            ModelCache.Lease lease = cache.acquire("v1", base.toUri().toString(), sha);
            TextEncoder encoder = lease.encoder();
            // The index loop retires v1 while the catalog ingestor is still encoding with it.
            cache.retain(Set.of());
            assertThat(encoder.encode(List.of("кран шаровой"))[0]).hasSize(384);
            lease.close();
            // Closed once the last lease ended.
            assertThatThrownBy(() -> encoder.encode(List.of("кран шаровой")))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
