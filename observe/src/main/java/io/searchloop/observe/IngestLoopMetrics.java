package io.searchloop.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.searchloop.schemas.topics.IngestLoop;

/**
 * An {@link IngestLoop}'s health and throughput, tagged with the loop's name: {@code
 * searchloop_ingest_alive} (1 while it runs), {@code searchloop_ingest_records_applied_total} and
 * {@code searchloop_ingest_dead_lettered_total} per topic (counted once committed), {@code
 * searchloop_ingest_retries_total}; and its consumer's and dead-letter producer's own Kafka metrics
 * (lag, fetch rate, …).
 */
public final class IngestLoopMetrics implements MeterBinder, AutoCloseable {
    private final IngestLoop loop;
    private final String name;
    private KafkaClientMetrics consumer;
    private KafkaClientMetrics producer;

    /**
     * @param name the loop's tag value, short and stable (e.g. "trainer-ingest")
     */
    public IngestLoopMetrics(IngestLoop loop, String name) {
        this.loop = loop;
        this.name = name;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("searchloop.ingest.alive", loop, l -> l.isAlive() ? 1 : 0)
                .tag("loop", name)
                .description(
                        "1 while the ingestion loop runs; 0 once it stopped (the process then exits)")
                .register(registry);
        FunctionCounter.builder("searchloop.ingest.retries", loop, IngestLoop::retries)
                .tag("loop", name)
                .description(
                        "Polls put back and read again after a transient failure (registry, database or broker unavailable)")
                .register(registry);
        for (String topic : loop.topics()) {
            FunctionCounter.builder(
                            "searchloop.ingest.records.applied", loop, l -> l.applied(topic))
                    .tag("loop", name)
                    .tag("topic", topic)
                    .description(
                            "Records read, applied and committed by the ingestion loop, by topic")
                    .register(registry);
            FunctionCounter.builder(
                            "searchloop.ingest.dead.lettered", loop, l -> l.deadLettered(topic))
                    .tag("loop", name)
                    .tag("topic", topic)
                    .description(
                            "Records the ingestion loop sent to the topic's dead-letter twin, by topic")
                    .register(registry);
        }
        consumer = new KafkaClientMetrics(loop.consumerForMetrics());
        consumer.bindTo(registry);
        producer = new KafkaClientMetrics(loop.producerForMetrics());
        producer.bindTo(registry);
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
        }
        if (producer != null) {
            producer.close();
        }
    }
}
