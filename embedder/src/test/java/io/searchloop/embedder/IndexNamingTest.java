package io.searchloop.embedder;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.embedder.index.IndexRepository;
import io.searchloop.schemas.keys.TextHash;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexNamingTest {

    @Test
    void shouldDeriveSafeDistinctTableNames() {
        assertThat(IndexRepository.tableName("catalog-encoder", "v12"))
                .isEqualTo("emb_catalog_encoder_v12");
        assertThat(IndexRepository.tableName("x'; DROP TABLE catalog_items; --", "v1"))
                .matches("[a-z0-9_]+");
        String longName =
                IndexRepository.tableName(
                        "a-very-long-model-name-for-a-very-large-shop-with-many-catalogs", "v1");
        String other =
                IndexRepository.tableName(
                        "a-very-long-model-name-for-a-very-large-shop-with-many-catalogs", "v2");
        assertThat(longName).hasSizeLessThanOrEqualTo(63).isNotEqualTo(other);
    }

    @Test
    void shouldHashTextsStably() {
        assertThat(TextHash.of("Дымоход | Дымоходы"))
                .isEqualTo(TextHash.of("Дымоход | Дымоходы"))
                .hasSize(32);
        assertThat(TextHash.of("Дымоход")).isNotEqualTo(TextHash.of("дымоход"));
    }

    @Test
    void shouldReportEveryBadEmbedderSettingAtOnce() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> EmbedderConfig.fromEnv(Map.of("HNSW_M", "0", "KEEP_INDEXES", "many")))
                .hasMessageContaining("HNSW_M")
                .hasMessageContaining("KEEP_INDEXES")
                .hasMessageContaining("SCHEMA_REGISTRY_URL is required");
        assertThat(
                        EmbedderConfig.fromEnv(Map.of("SCHEMA_REGISTRY_URL", "mock://test"))
                                .keepIndexes())
                .isEqualTo(3);
    }
}
