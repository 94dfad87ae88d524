package io.searchloop.search.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.encoder.InferenceEngine;
import io.searchloop.search.SearchConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@code QUERY_ENGINE} is read. */
class QueryEngineSettingTest {
    @Test
    void shouldReadTheEngineSettingWithAutoAsDefault() {
        Map<String, String> registry = Map.of("SCHEMA_REGISTRY_URL", "mock://test");
        assertThat(SearchConfig.fromEnv(registry).queryEngine()).isEqualTo(InferenceEngine.AUTO);
        assertThat(
                        SearchConfig.fromEnv(
                                        Map.of(
                                                "SCHEMA_REGISTRY_URL",
                                                "mock://test",
                                                "QUERY_ENGINE",
                                                "PyTorch"))
                                .queryEngine())
                .isEqualTo(InferenceEngine.PYTORCH);
        assertThatThrownBy(
                        () ->
                                SearchConfig.fromEnv(
                                        Map.of(
                                                "SCHEMA_REGISTRY_URL",
                                                "mock://test",
                                                "QUERY_ENGINE",
                                                "tensorrt")))
                .hasMessageContaining("QUERY_ENGINE must be one of [auto, onnx, pytorch]");
        assertThat(
                        SearchConfig.defaults(SearchConfig.fromEnv(registry).connections())
                                .withQueryEngine(InferenceEngine.ONNX)
                                .queryEngine())
                .isEqualTo(InferenceEngine.ONNX);
    }
}
