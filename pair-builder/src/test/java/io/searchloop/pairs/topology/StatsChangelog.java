package io.searchloop.pairs.topology;

import io.searchloop.pairs.scoring.PairStats;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A pair-builder's committed pair statistics, read from its state store's changelog: what it has
 * counted for each pair, whatever it emitted. For tests that compare two runs.
 */
public final class StatsChangelog {
    /** What a pair's evidence adds up to; none of it depends on the order evidence arrived in. */
    public record Counts(long observations, double positives, double skips, long updatedAt) {}

    private StatsChangelog() {}

    /** The latest committed statistics per pair key of application {@code applicationId}. */
    public static Map<String, Counts> read(String bootstrapServers, String applicationId) {
        String topic = applicationId + "-" + PairAggregator.STATS_STORE + "-changelog";
        Map<String, Counts> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false),
                        new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            var serde = StateSerdes.pairStats().deserializer();
            long deadline = System.currentTimeMillis() + 20_000;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(topic + " was not read to its end in 20 s");
                }
                consumer.poll(Duration.ofMillis(200))
                        .forEach(
                                r -> {
                                    if (r.value() == null) {
                                        latest.remove(r.key());
                                        return;
                                    }
                                    PairStats s = serde.deserialize(topic, r.value());
                                    latest.put(
                                            r.key(),
                                            new Counts(
                                                    s.observations(),
                                                    s.positives(),
                                                    s.skips(),
                                                    s.updatedAt()));
                                });
            }
        }
        return latest;
    }
}
