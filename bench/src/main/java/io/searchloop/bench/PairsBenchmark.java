package io.searchloop.bench;

import io.searchloop.events.Interaction;
import io.searchloop.events.InteractionType;
import io.searchloop.events.SearchPerformed;
import io.searchloop.events.SearchResult;
import io.searchloop.pairs.PairBuilderConfig;
import io.searchloop.pairs.PairBuilderService;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.testkit.KafkaFixture;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Figure 5: events/s through the pair-builder topology with exactly-once and with at-least-once,
 * against a plain consumer that only reads and decodes the same topics — same broker (the
 * embedded one unless KAFKA_BOOTSTRAP_SERVERS is set), same input, one after the other.
 */
final class PairsBenchmark {
    private final boolean quick;

    PairsBenchmark(boolean quick) {
        this.quick = quick;
    }

    void run(Results results) throws Exception {
        int searches = quick ? 2_000 : 20_000;
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String registryUrl = "mock://" + prefix;
        Topics topics = new Topics(SchemaRegistries.connect(registryUrl), true, prefix);
        KafkaFixture.provision(prefix, 3);
        long events = produce(topics, searches);
        List<String> inputs = List.of(topics.searchEvents().name(), topics.interactions().name());

        double plain = plainConsumerRate(topics, events);
        double exactlyOnce = topologyRate(registryUrl, prefix, "exactly_once_v2", inputs, events);
        double atLeastOnce = topologyRate(registryUrl, prefix, "at_least_once", inputs, events);

        List<List<Object>> rows = List.of(
                List.<Object>of("plain consumer (decode only)", events, plain, 1.0),
                List.<Object>of("topology, exactly_once_v2", events, exactlyOnce, exactlyOnce / plain),
                List.<Object>of("topology, at_least_once", events, atLeastOnce, atLeastOnce / plain));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("goal", "exactly-once >= 0.3x the plain consumer");
        extra.put("exactly-once / at-least-once", exactlyOnce / atLeastOnce);
        results.publish("pairs", "pair-builder: events/s through the topology vs a plain consumer (3 partitions, same broker)",
                List.of("reader", "events", "events/s", "vs plain"), rows, extra);
    }

    private static long produce(Topics topics, int searches) {
        Random random = new Random(5);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(24));
        long count = 0;
        try (KafkaProducer<String, SearchPerformed> searchProducer = new KafkaProducer<>(producerProps(), new StringSerializer(),
                topics.searchEvents().valueSerde().serializer());
             KafkaProducer<String, Interaction> interactionProducer = new KafkaProducer<>(producerProps(), new StringSerializer(),
                     topics.interactions().valueSerde().serializer())) {
            for (int i = 0; i < searches; i++) {
                String id = "r" + i;
                Instant at = t0.plusSeconds(3L * i);
                List<SearchResult> shown = new ArrayList<>();
                for (int p = 1; p <= 10; p++) {
                    shown.add(SearchResult.newBuilder().setProductId("p" + random.nextInt(5000)).setPosition(p).build());
                }
                searchProducer.send(new ProducerRecord<>(topics.searchEvents().name(), null, at.toEpochMilli(), id,
                        SearchPerformed.newBuilder().setRequestId(id).setQuery("запрос " + random.nextInt(500)).setResults(shown).setTimestamp(at).build()));
                count++;
                int clicks = random.nextInt(3);
                for (int c = 0; c < clicks; c++) {
                    int position = 1 + random.nextInt(10);
                    Instant when = at.plusSeconds(5 + c);
                    interactionProducer.send(new ProducerRecord<>(topics.interactions().name(), null, when.toEpochMilli(), id,
                            Interaction.newBuilder().setType(InteractionType.CLICK).setRequestId(id)
                                    .setProductId(shown.get(position - 1).getProductId()).setPosition(position).setTimestamp(when).build()));
                    count++;
                }
            }
        }
        return count;
    }

    private static Map<String, Object> producerProps() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    }

    private static double plainConsumerRate(Topics topics, long events) {
        long start = System.nanoTime();
        long read = 0;
        for (var topic : List.of(topics.searchEvents(), topics.interactions())) {
            try (KafkaConsumer<String, ?> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "plain-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000), new StringDeserializer(), topic.valueSerde().deserializer())) {
                consumer.subscribe(List.of(topic.name()));
                long topicEnd = endOffsetSum(consumer, topic.name());
                long topicRead = 0;
                long deadline = System.currentTimeMillis() + 300_000;
                while (topicRead < topicEnd && System.currentTimeMillis() < deadline) {
                    topicRead += consumer.poll(Duration.ofMillis(200)).count();
                }
                read += topicRead;
            }
        }
        if (read != events) {
            throw new IllegalStateException("plain consumer read " + read + " of " + events + " events");
        }
        return events / ((System.nanoTime() - start) / 1e9);
    }

    private static long endOffsetSum(KafkaConsumer<String, ?> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }

    private static double topologyRate(String registryUrl, String prefix, String guarantee, List<String> inputs, long events) throws Exception {
        String appId = prefix + "pairs-" + guarantee;
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaFixture.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", registryUrl);
        env.put("TOPIC_PREFIX", prefix);
        env.put("PAIR_BUILDER_APPLICATION_ID", appId);
        env.put("PAIR_PROCESSING_GUARANTEE", guarantee);
        env.put("PAIR_BUILDER_STATE_DIR", Files.createTempDirectory("bench-streams").toString());
        env.put("PAIR_MAX_TASK_IDLE", "PT0S");
        env.put("PAIR_STREAMS_COMMIT_INTERVAL_MS", "100"); // same for both guarantees, and the finish is seen within 0.1 s
        PairBuilderConfig config = PairBuilderConfig.fromEnv(env);
        try (Admin admin = KafkaFixture.admin(); PairBuilderService service = new PairBuilderService(config)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : inputs) {
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
            long start = System.nanoTime();
            service.start();
            long deadline = System.currentTimeMillis() + 600_000;
            while (System.currentTimeMillis() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get();
                boolean done = end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
                if (done) {
                    return events / ((System.nanoTime() - start) / 1e9);
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(guarantee + " topology did not consume its input within 10 minutes");
        }
    }
}
