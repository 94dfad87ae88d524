package io.searchloop.observe;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's observability, wired once: its {@link ServiceMetrics}, its {@link Readiness} checks,
 * and (after {@link #serve}) the {@link OpsServer} that exposes them. Closes all of it, and the
 * probes it was handed, in reverse order.
 */
public final class ServiceOps implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceOps.class);

    /** How long a readiness check may take before it counts as down. */
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

    private final ServiceMetrics metrics;
    private final Readiness readiness = new Readiness(CHECK_TIMEOUT);
    private final List<AutoCloseable> owned = new ArrayList<>();
    private OpsServer server;

    public ServiceOps(String service) {
        this.metrics = new ServiceMetrics(service);
    }

    public ServiceMetrics metrics() {
        return metrics;
    }

    public Readiness readiness() {
        return readiness;
    }

    /** Adds a readiness check that Kafka at {@code bootstrapServers} answers. */
    public ServiceOps requireKafka(String bootstrapServers) {
        readiness.add(
                "kafka",
                own(new Dependencies.Kafka(bootstrapServers, CHECK_TIMEOUT.minusMillis(500))));
        return this;
    }

    /** {@code resource} is closed with this. */
    public synchronized <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    /**
     * Serves /metrics and /health on {@code host}:{@code port} (0 = any free port); returns the
     * port.
     */
    public synchronized int serve(String host, int port) throws IOException {
        if (server != null) {
            throw new IllegalStateException(
                    metrics.service()
                            + ": the operations endpoints are already served on port "
                            + server.port());
        }
        server = OpsServer.start(host, port, metrics, readiness);
        return server.port();
    }

    /** The port /metrics and /health are served on; -1 before {@link #serve}. */
    public synchronized int port() {
        return server == null ? -1 : server.port();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
        }
        readiness.close();
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                LOG.warn(
                        "{}: closing {} failed: {}",
                        metrics.service(),
                        owned.get(i).getClass().getSimpleName(),
                        e.getMessage());
            }
        }
        metrics.close();
    }
}
