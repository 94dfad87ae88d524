package io.searchloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsConfigTest {

    @Test
    void shouldUseDefaultsForAnEmptyEnvironment() {
        assertThat(TopicsConfig.fromEnv(Map.of()))
                .isEqualTo(new TopicsConfig("localhost:9092", 3, (short) 1));
    }

    @Test
    void shouldReadEverySetting() {
        TopicsConfig config =
                TopicsConfig.fromEnv(
                        Map.of(
                                "KAFKA_BOOTSTRAP_SERVERS",
                                "k1:9092,k2:9092",
                                "TOPIC_PARTITIONS",
                                "12",
                                "TOPIC_REPLICATION_FACTOR",
                                "3"));
        assertThat(config).isEqualTo(new TopicsConfig("k1:9092,k2:9092", 12, (short) 3));
    }

    @Test
    void shouldReportEveryMalformedKeyAtOnce() {
        assertThatThrownBy(
                        () ->
                                TopicsConfig.fromEnv(
                                        Map.of(
                                                "TOPIC_PARTITIONS",
                                                "many",
                                                "TOPIC_REPLICATION_FACTOR",
                                                "-1")))
                .hasMessageContaining("TOPIC_PARTITIONS")
                .hasMessageContaining("TOPIC_REPLICATION_FACTOR");
    }
}
