package io.searchloop.pairs.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.pairs.PairMetrics;
import io.searchloop.schemas.registry.RegistryUnavailableException;
import io.searchloop.schemas.registry.UnknownSchemaIdException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;

class DecodeOrDeadLetterTest {
    private final PairMetrics metrics = new PairMetrics();
    private final List<Decoded<String>> out = new ArrayList<>();

    @Test
    void shouldFailTheTaskInsteadOfDeadLetteringWhileTheRegistryIsUnreachable() {
        Deserializer<String> down =
                (topic, data) -> {
                    throw new RegistryUnavailableException(
                            "schema registry at [http://registry:8081] could not fetch schema id 1",
                            -1);
                };
        try (TopologyTestDriver driver = driver(down)) {
            TestInputTopic<String, byte[]> in =
                    driver.createInputTopic(
                            "in", Serdes.String().serializer(), Serdes.ByteArray().serializer());
            assertThatThrownBy(() -> in.pipeInput("k", new byte[] {0, 0, 0, 0, 1, 2}))
                    .isInstanceOf(StreamsException.class)
                    .hasStackTraceContaining("RetryableRecordException");
        }
        assertThat(out).isEmpty();
        assertThat(metrics.deadLetterCount()).isZero();
    }

    @Test
    void shouldDeadLetterARecordWhoseSchemaIdIsUnknown() {
        Deserializer<String> unknown =
                (topic, data) -> {
                    throw new UnknownSchemaIdException("schema id 99 not found", 40403);
                };
        try (TopologyTestDriver driver = driver(unknown)) {
            driver.createInputTopic(
                            "in", Serdes.String().serializer(), Serdes.ByteArray().serializer())
                    .pipeInput("k", new byte[] {0, 0, 0, 0, 99, 2});
        }
        assertThat(out).hasSize(1);
        assertThat(out.get(0).failed()).isTrue();
        assertThat(metrics.deadLetterCount()).isEqualTo(1);
    }

    private TopologyTestDriver driver(Deserializer<String> deserializer) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .processValues(() -> new DecodeOrDeadLetter<>("in", deserializer, metrics))
                .foreach((k, v) -> out.add(v));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "decode-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(builder.build(), props);
    }
}
