package io.searchloop.pairs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.schemas.config.Connections;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class PairBuilderConfigTest {

    @Test
    void shouldReadExactlyTheDefaultsFromAnEmptyEnvironment() {
        assertThat(PairBuilderConfig.fromEnv(Map.of("SCHEMA_REGISTRY_URL", "mock://test")))
                .isEqualTo(
                        PairBuilderConfig.defaults(
                                Connections.of(
                                        "localhost:9092",
                                        "mock://test",
                                        Connections.LOCAL_DATABASE)));
    }

    @Test
    void shouldListEveryVariableItReads() {
        assertThat(PairBuilderConfig.keys())
                .contains("KAFKA_BOOTSTRAP_SERVERS", "PAIR_SESSION_HOLD", "PAIR_EXPIRY_BATCH")
                .doesNotContain("PAIR_STREAMS_");
        assertThat(PairBuilderConfig.isStreamsOverride("PAIR_STREAMS_COMMIT_INTERVAL_MS")).isTrue();
        assertThat(PairBuilderConfig.isStreamsOverride("PAIR_STREAMS_")).isFalse();
    }

    @Test
    void shouldBatchTheStreamsProducersWritesUnlessAnOverrideSaysOtherwise() {
        PairBuilderConfig config =
                PairBuilderConfig.fromEnv(Map.of("SCHEMA_REGISTRY_URL", "mock://test"));
        assertThat(PairBuilderService.streamsProperties(config))
                .containsEntry("producer.batch.size", 256 * 1024)
                .containsEntry("commit.interval.ms", 1000);
        PairBuilderConfig overridden =
                PairBuilderConfig.fromEnv(
                        Map.of(
                                "SCHEMA_REGISTRY_URL",
                                "mock://test",
                                "PAIR_STREAMS_PRODUCER_BATCH_SIZE",
                                "16384"));
        assertThat(PairBuilderService.streamsProperties(overridden))
                .containsEntry("producer.batch.size", "16384");
        PairBuilderConfig unprefixed =
                PairBuilderConfig.fromEnv(
                        Map.of(
                                "SCHEMA_REGISTRY_URL",
                                "mock://test",
                                "PAIR_STREAMS_BATCH_SIZE",
                                "32768",
                                "PAIR_STREAMS_COMPRESSION_TYPE",
                                "zstd"));
        assertThat(PairBuilderService.streamsProperties(unprefixed))
                .as("an unprefixed override is not shadowed by the prefixed defaults")
                .containsEntry("batch.size", "32768")
                .containsEntry("compression.type", "zstd")
                .doesNotContainKeys("producer.batch.size", "producer.compression.type");
    }

    @Test
    void shouldShortenTheConsumersFetchWaitUnlessAnOverrideSaysOtherwise() {
        PairBuilderConfig config =
                PairBuilderConfig.fromEnv(Map.of("SCHEMA_REGISTRY_URL", "mock://test"));
        assertThat(PairBuilderService.streamsProperties(config))
                .as("main, restore and global consumers alike")
                .containsEntry("consumer.fetch.max.wait.ms", 100);
        PairBuilderConfig unprefixed =
                PairBuilderConfig.fromEnv(
                        Map.of(
                                "SCHEMA_REGISTRY_URL",
                                "mock://test",
                                "PAIR_STREAMS_FETCH_MAX_WAIT_MS",
                                "500"));
        assertThat(PairBuilderService.streamsProperties(unprefixed))
                .containsEntry("fetch.max.wait.ms", "500")
                .doesNotContainKey("consumer.fetch.max.wait.ms");
    }

    @Test
    void shouldLeaveTheOffsetResetToStreamsSoThatAnUnprefixedOverrideWins() {
        PairBuilderConfig config =
                PairBuilderConfig.fromEnv(
                        Map.of(
                                "SCHEMA_REGISTRY_URL",
                                "mock://test",
                                "PAIR_STREAMS_AUTO_OFFSET_RESET",
                                "latest"));
        assertThat(PairBuilderService.streamsProperties(config))
                .containsEntry("auto.offset.reset", "latest")
                .doesNotContainKey("consumer.auto.offset.reset");
        Properties defaults =
                PairBuilderService.streamsProperties(
                        PairBuilderConfig.fromEnv(Map.of("SCHEMA_REGISTRY_URL", "mock://test")));
        assertThat(
                        new StreamsConfig(defaults)
                                .getMainConsumerConfigs("group", "client", 0)
                                .get("auto.offset.reset"))
                .as("Streams' own default")
                .isEqualTo("earliest");
    }

    @Test
    void shouldDefaultToTheEmbeddedRunAndExactlyOnce() {
        PairBuilderConfig config =
                PairBuilderConfig.fromEnv(Map.of("SCHEMA_REGISTRY_URL", "http://registry:8081"));
        assertThat(config.processingGuarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE_V2);
        assertThat(config.connections().schemaRegistryUrl()).isEqualTo("http://registry:8081");
        assertThat(config.settings()).isEqualTo(PairSettings.defaults());
        assertThat(config.connections().topicPrefix()).isEmpty();
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.httpPort())
                .as("distinct from search-api's 8080, trainer's 8082 and embedder's 8083")
                .isEqualTo(8081);
        assertThat(
                        PairBuilderConfig.fromEnv(
                                        Map.of(
                                                "SCHEMA_REGISTRY_URL",
                                                "mock://test",
                                                "PAIR_BUILDER_HTTP_PORT",
                                                "0",
                                                "HTTP_HOST",
                                                "127.0.0.1"))
                                .httpPort())
                .isZero();
        assertThatThrownBy(
                        () ->
                                PairBuilderConfig.fromEnv(
                                        Map.of(
                                                "SCHEMA_REGISTRY_URL",
                                                "mock://test",
                                                "PAIR_BUILDER_HTTP_PORT",
                                                "70000")))
                .hasMessageContaining("PAIR_BUILDER_HTTP_PORT");
    }

    @Test
    void shouldReadRulesAndStreamsOverrides() {
        PairBuilderConfig config =
                PairBuilderConfig.fromEnv(
                        Map.of(
                                "SCHEMA_REGISTRY_URL",
                                "mock://test",
                                "PAIR_ATTRIBUTION_WINDOW",
                                "PT10M",
                                "PAIR_GRACE",
                                "60",
                                "PAIR_WEIGHT_PURCHASE",
                                "8",
                                "PRODUCT_ATTRIBUTES",
                                "диаметр, материал",
                                "PAIR_TYPO_AUGMENTATION",
                                "off",
                                "PAIR_STREAMS_SESSION_TIMEOUT_MS",
                                "10000"));
        assertThat(config.settings().window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.settings().grace()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.settings().weights().purchase()).isEqualTo(8);
        assertThat(config.settings().productAttributes()).isEqualTo(List.of("диаметр", "материал"));
        assertThat(config.settings().augmentTypos()).isFalse();
        assertThat(config.streamsOverrides()).containsEntry("session.timeout.ms", "10000");
    }

    @Test
    void shouldReportEveryBadVariableAtOnce() {
        assertThatThrownBy(
                        () ->
                                PairBuilderConfig.fromEnv(
                                        Map.of(
                                                "PAIR_ATTRIBUTION_WINDOW",
                                                "half an hour",
                                                "PAIR_PRIOR_MEAN",
                                                "1.5",
                                                "PAIR_TYPO_AUGMENTATION",
                                                "maybe",
                                                "PAIR_PROCESSING_GUARANTEE",
                                                "exactly_once")))
                .hasMessageContaining("SCHEMA_REGISTRY_URL is required")
                .hasMessageContaining(
                        "PAIR_PROCESSING_GUARANTEE must be one of [exactly_once_v2, at_least_once]")
                .hasMessageContaining("PAIR_ATTRIBUTION_WINDOW")
                .hasMessageContaining("PAIR_PRIOR_MEAN")
                .hasMessageContaining("PAIR_TYPO_AUGMENTATION");
    }

    @Test
    void shouldReadTheEvidenceLimits() {
        PairBuilderConfig config =
                PairBuilderConfig.fromEnv(
                        Map.of(
                                "SCHEMA_REGISTRY_URL",
                                "mock://test",
                                "PAIR_MAX_INTERACTIONS_PER_REQUEST",
                                "20",
                                "PAIR_SESSION_HOLD",
                                "PT3S",
                                "PAIR_MAX_INTERACTIONS_PER_MINUTE",
                                "12",
                                "PAIR_MAX_CARTLESS_PURCHASES",
                                "0",
                                "PAIR_BURST_WINDOW",
                                "PT0S",
                                "PAIR_STATS_RETENTION",
                                "P30D",
                                "PAIR_MAX_THREAD_REPLACEMENTS",
                                "1"));
        EvidenceLimits limits = config.settings().limits();
        assertThat(limits.maxInteractionsPerRequest()).isEqualTo(20);
        assertThat(limits.sessionHold()).isEqualTo(Duration.ofSeconds(3));
        assertThat(limits.maxInteractionsPerMinute()).isEqualTo(12);
        assertThat(limits.maxCartlessPurchases()).isZero();
        assertThat(limits.burstWindow()).isZero();
        assertThat(limits.pairRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(config.maxThreadReplacements()).isEqualTo(1);
        assertThatThrownBy(
                        () ->
                                PairBuilderConfig.fromEnv(
                                        Map.of(
                                                "PAIR_SESSION_HOLD",
                                                "soon",
                                                "PAIR_MAX_BURST_SESSIONS",
                                                "-1")))
                .hasMessageContaining("PAIR_SESSION_HOLD")
                .hasMessageContaining("PAIR_MAX_BURST_SESSIONS");
    }
}
