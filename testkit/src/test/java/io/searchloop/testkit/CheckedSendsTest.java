package io.searchloop.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class CheckedSendsTest {
    private final MockProducer<String, String> producer =
            new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
    private final CheckedSends<String, String> sends = new CheckedSends<>(producer);

    @Test
    void shouldCountTheRecordsTheBrokerAcknowledged() {
        sends.send(new ProducerRecord<>("catalog", "p1", "one"));
        sends.send(new ProducerRecord<>("catalog", "p2", "two"));

        assertThat(sends.flush()).isEqualTo(2);
        assertThat(producer.history()).hasSize(2);
    }

    @Test
    void shouldFailNamingTheFirstRecordTheBrokerRejected() {
        sends.send(new ProducerRecord<>("catalog", "p1", "one"));
        sends.send(new ProducerRecord<>("catalog", "p2", "two"));
        producer.completeNext();
        producer.errorNext(new RecordTooLargeException("too large"));

        assertThatThrownBy(sends::flush)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("catalog")
                .hasMessageContaining("p2")
                .hasMessageContaining("too large")
                .hasCauseInstanceOf(RecordTooLargeException.class);
    }
}
