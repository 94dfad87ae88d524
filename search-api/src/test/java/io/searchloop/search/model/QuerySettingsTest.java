package io.searchloop.search.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.encoder.InferenceEngine;
import io.searchloop.search.EnvConfigs;
import io.searchloop.search.SearchConfig;
import org.junit.jupiter.api.Test;

/** How {@code QUERY_ENGINE} and {@code QUERY_BATCH_MAX} are read. */
class QuerySettingsTest {
    @Test
    void shouldReadTheEngineSettingWithAutoAsDefault() {
        assertThat(EnvConfigs.with().queryEngine()).isEqualTo(InferenceEngine.AUTO);
        assertThat(EnvConfigs.with("QUERY_ENGINE", "PyTorch").queryEngine())
                .isEqualTo(InferenceEngine.PYTORCH);
        assertThatThrownBy(() -> EnvConfigs.with("QUERY_ENGINE", "tensorrt"))
                .hasMessageContaining("QUERY_ENGINE must be one of [auto, onnx, pytorch]");
        assertThat(
                        SearchConfig.defaults(EnvConfigs.with().connections())
                                .withQueryEngine(InferenceEngine.ONNX)
                                .queryEngine())
                .isEqualTo(InferenceEngine.ONNX);
    }

    @Test
    void shouldBatchQueriesByRuntimeUnlessASizeIsSet() {
        assertThat(EnvConfigs.with().queryBatch()).isEqualTo(QueryBatcher.AUTO);
        assertThat(EnvConfigs.with().toString()).contains("queryBatch=auto");
        assertThat(batchSetting("Auto")).isEqualTo(QueryBatcher.AUTO);
        assertThat(batchSetting("8")).isEqualTo(8);
        assertThatThrownBy(() -> batchSetting("0"))
                .hasMessageContaining("QUERY_BATCH_MAX must be a positive integer, got '0'");
        assertThat(QueryBatcher.maxBatch(QueryBatcher.AUTO, "onnx")).isEqualTo(1);
        assertThat(QueryBatcher.maxBatch(QueryBatcher.AUTO, "pytorch")).isEqualTo(16);
        assertThat(QueryBatcher.maxBatch(8, "onnx")).isEqualTo(8);
        assertThatThrownBy(() -> QueryBatcher.maxBatch(-1, "onnx"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int batchSetting(String value) {
        return EnvConfigs.with("QUERY_BATCH_MAX", value).queryBatch();
    }
}
