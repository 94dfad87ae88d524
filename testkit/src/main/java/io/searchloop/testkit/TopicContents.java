package io.searchloop.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What a topic of the shared cluster holds, read from its beginning up to the end it had when the
 * read started, without a consumer group: for tests and benchmarks that check what was written.
 * Committed records only unless asked otherwise. A topic that cannot be read to that end within the
 * timeout is an {@link IllegalStateException}, never a silently shorter answer.
 */
public final class TopicContents {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicContents() {}

    /** Every committed record of {@code topic}, in partition order. */
    public static <K, V> List<ConsumerRecord<K, V>> read(
            String topic, Deserializer<K> keys, Deserializer<V> values) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        forEach(topic, true, keys, values, out::add);
        return out;
    }

    /**
     * Hands each record of {@code topic} to {@code each}; {@code committedOnly} false includes
     * records of open and aborted transactions.
     */
    public static <K, V> void forEach(
            String topic,
            boolean committedOnly,
            Deserializer<K> keys,
            Deserializer<V> values,
            Consumer<ConsumerRecord<K, V>> each) {
        try (KafkaConsumer<K, V> consumer = consumer(committedOnly, keys, values)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, TIMEOUT).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            drain(consumer, topic, each);
        }
    }

    /**
     * Hands each committed record written to the given partitions since the given offsets to {@code
     * each}.
     */
    public static <K, V> void forEachSince(
            Map<TopicPartition, Long> from,
            Deserializer<K> keys,
            Deserializer<V> values,
            Consumer<ConsumerRecord<K, V>> each) {
        try (KafkaConsumer<K, V> consumer = consumer(true, keys, values)) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            drain(consumer, from.keySet().toString(), each);
        }
    }

    private static <K, V> KafkaConsumer<K, V> consumer(
            boolean committedOnly, Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KafkaFixture.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        committedOnly ? "read_committed" : "read_uncommitted",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000,
                        // Reading must never create the topic (with the broker's defaults).
                        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                        false),
                keys,
                values);
    }

    /** Polls the assigned partitions up to the end offsets they had when this was called. */
    private static <K, V> void drain(
            KafkaConsumer<K, V> consumer, String what, Consumer<ConsumerRecord<K, V>> each) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (end.entrySet().stream()
                .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " was not read to its end in " + TIMEOUT);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(each);
        }
    }
}
