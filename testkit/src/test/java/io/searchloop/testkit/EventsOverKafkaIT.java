package io.searchloop.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.schemas.SampleEvents;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topic;
import io.searchloop.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Every event type goes through a real broker in the Confluent wire format and comes back equal.
 */
class EventsOverKafkaIT {

    @Test
    @SuppressWarnings("unchecked")
    void shouldProduceAndConsumeEveryEventTypeThroughTheSerde() {
        String scope = "mock://events-it-" + UUID.randomUUID();
        Topics producerTopics = Topics.autoRegistering(SchemaRegistries.connect(scope));
        Topics consumerTopics = Topics.lookingUp(SchemaRegistries.connect(scope));
        for (SpecificRecord event : SampleEvents.all()) {
            String name = KafkaFixture.uniqueName(event.getSchema().getName());
            Class<SpecificRecord> type = (Class<SpecificRecord>) event.getClass();
            Topic<String, SpecificRecord> out = producerTopics.topic(name, type);
            Topic<String, SpecificRecord> in = consumerTopics.topic(name, type);

            try (KafkaProducer<String, SpecificRecord> producer =
                    new KafkaProducer<>(
                            Map.of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    KafkaFixture.bootstrapServers()),
                            out.keySerde().serializer(),
                            out.valueSerde().serializer())) {
                CheckedSends<String, SpecificRecord> sends = new CheckedSends<>(producer);
                sends.send(new ProducerRecord<>(out.name(), "key-1", event));
                sends.send(new ProducerRecord<>(out.name(), "key-2", null)); // a tombstone
                sends.flush();
            }

            List<ConsumerRecord<String, SpecificRecord>> received = new ArrayList<>();
            try (KafkaConsumer<String, SpecificRecord> consumer =
                    new KafkaConsumer<>(
                            Map.of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    KafkaFixture.bootstrapServers(),
                                    ConsumerConfig.GROUP_ID_CONFIG,
                                    name,
                                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                    "earliest"),
                            in.keySerde().deserializer(),
                            in.valueSerde().deserializer())) {
                consumer.subscribe(List.of(in.name()));
                long deadline = System.currentTimeMillis() + 30_000;
                while (received.size() < 2 && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                }
            }
            assertThat(received).as(name).hasSize(2);
            assertThat(received.get(0).key()).isEqualTo("key-1");
            assertThat(received.get(0).value()).isEqualTo(event).isInstanceOf(event.getClass());
            assertThat(received.get(1).value()).isNull();
        }
    }
}
