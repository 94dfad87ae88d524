package io.searchloop.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.searchloop.search.guard.ImpressionTokens;
import io.searchloop.search.lexical.LexicalEngine;
import io.searchloop.search.query.Hit;
import io.searchloop.search.query.SearchMode;
import io.searchloop.search.query.SearcherProbe;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearcherTest {

    @Test
    void shouldFuseByReciprocalRank() {
        List<Hit> vector =
                List.of(
                        new Hit("a", "A", null, 0.9),
                        new Hit("b", "B", null, 0.8),
                        new Hit("c", "C", null, 0.7));
        List<Hit> lexical = List.of(new Hit("c", "C", null, 3), new Hit("d", "D", null, 2));
        List<Hit> fused = SearcherProbe.fuse(60, vector, lexical, 3);
        // c: 1/63 + 1/61 = 0.032266; a: 1/61 = 0.016393; b: 1/62 = 0.016129 and d: 1/62 tie, broken
        // by id.
        assertThat(fused).extracting(Hit::productId).containsExactly("c", "a", "b");
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 63 + 1.0 / 61, within(1e-12));
    }

    @Test
    void shouldParseModes() {
        assertThat(SearchMode.parse(null)).isEqualTo(SearchMode.HYBRID);
        assertThat(SearchMode.parse(" Vector ")).isEqualTo(SearchMode.VECTOR);
        assertThatThrownBy(() -> SearchMode.parse("fuzzy"))
                .hasMessageContaining("unknown mode 'fuzzy'");
    }

    @Test
    void shouldReadConfigAndHideTheAdminToken() {
        SearchConfig config = EnvConfigs.with("ADMIN_TOKEN", "top-secret", "HTTP_PORT", "9090");
        assertThat(config.port()).isEqualTo(9090);
        assertThat(config.toString()).doesNotContain("top-secret");
        assertThatThrownBy(() -> SearchConfig.fromEnv(Map.of("HTTP_PORT", "99999", "RRF_K", "-1")))
                .hasMessageContaining("HTTP_PORT")
                .hasMessageContaining("RRF_K")
                .hasMessageContaining("SCHEMA_REGISTRY_URL is required");
    }

    @Test
    void shouldRejectAnEmptyImpressionKeyAfterATrailingComma() {
        String key = "k1:" + Base64.getEncoder().encodeToString(new byte[16]);
        assertThat(EnvConfigs.with("IMPRESSION_KEYS", key).guard().impressionKeys())
                .extracting(ImpressionTokens.Key::id)
                .containsExactly("k1");
        assertThatThrownBy(() -> EnvConfigs.with("IMPRESSION_KEYS", key + ","))
                .hasMessageContaining("IMPRESSION_KEYS must be id:base64secret");
    }

    @Test
    void shouldReadTheLexicalEngineWithLuceneByDefault() {
        SearchConfig defaults = EnvConfigs.with();
        assertThat(defaults.lexical().engine()).isEqualTo(LexicalEngine.LUCENE);
        SearchConfig config =
                EnvConfigs.with(
                        "LEXICAL_ENGINE",
                        "postgres_bounded",
                        "LEXICAL_REFRESH",
                        "PT3S",
                        "LEXICAL_CANDIDATES",
                        "500");
        assertThat(config.lexical())
                .isEqualTo(
                        new SearchConfig.Lexical(
                                LexicalEngine.POSTGRES_BOUNDED, Duration.ofSeconds(3), 500));
        assertThatThrownBy(
                        () ->
                                EnvConfigs.with(
                                        "LEXICAL_ENGINE",
                                        "elastic",
                                        "LEXICAL_CANDIDATES",
                                        "0",
                                        "LEXICAL_REFRESH",
                                        "0"))
                .hasMessageContaining("LEXICAL_ENGINE")
                .hasMessageContaining("LEXICAL_CANDIDATES")
                .hasMessageContaining("LEXICAL_REFRESH must be at least 1 ms");
    }
}
