package io.searchloop.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's Prometheus registry: every meter carries the tag {@code service}, and the JVM
 * (memory, GC, threads, class loading), process (CPU, file descriptors) and uptime binders are
 * bound from the start. Each service owns one, also when the demo runs all four in one JVM, so a
 * scrape shows that service's meters only (the JVM's are then repeated by each). Binders that hold
 * resources (GC listeners, Kafka client metrics) are closed with it.
 */
public final class ServiceMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceMetrics.class);

    private final String service;
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> owned = new ArrayList<>();

    public ServiceMetrics(String service) {
        this.service = service;
        registry.config().commonTags("service", service);
        bind(new ClassLoaderMetrics());
        bind(new JvmMemoryMetrics());
        bind(new JvmGcMetrics());
        bind(new JvmThreadMetrics());
        bind(new ProcessorMetrics());
        bind(new FileDescriptorMetrics());
        bind(new UptimeMetrics());
    }

    public String service() {
        return service;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Binds {@code binder}; one that is {@link AutoCloseable} is closed with this registry. */
    public synchronized <T extends MeterBinder> T bind(T binder) {
        binder.bindTo(registry);
        if (binder instanceof AutoCloseable closeable) {
            owned.add(closeable);
        }
        return binder;
    }

    /**
     * The client's own metrics (requests, bytes, lag, …) as {@code kafka_consumer_*}, tagged with
     * its client id.
     */
    public void bindKafka(Consumer<?, ?> consumer) {
        bind(new KafkaClientMetrics(consumer));
    }

    /**
     * The client's own metrics (records sent, errors, buffer, …) as {@code kafka_producer_*},
     * tagged with its client id.
     */
    public void bindKafka(Producer<?, ?> producer) {
        bind(new KafkaClientMetrics(producer));
    }

    /** Everything, in the Prometheus text format 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn(
                        "{}: closing the metrics binder {} failed: {}",
                        service,
                        c.getClass().getSimpleName(),
                        e.getMessage());
            }
        }
        owned.clear();
        registry.close();
    }
}
