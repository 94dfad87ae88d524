package io.searchloop.observe;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Readiness checks of the dependencies services share: the Kafka cluster and PostgreSQL. */
public final class Dependencies {
    private Dependencies() {}

    /**
     * Kafka is reachable when the cluster describes itself with at least one broker within {@code
     * timeout}. Holds one admin client (created on first use), closed with it.
     */
    public static final class Kafka implements Readiness.Check, AutoCloseable {
        private final String bootstrapServers;
        private final Duration timeout;
        private Admin admin;

        public Kafka(String bootstrapServers, Duration timeout) {
            this.bootstrapServers = bootstrapServers;
            this.timeout = timeout;
        }

        @Override
        public boolean ok() throws Exception {
            Admin a;
            synchronized (this) {
                if (admin == null) {
                    int ms = (int) timeout.toMillis();
                    admin =
                            Admin.create(
                                    Map.of(
                                            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                            bootstrapServers,
                                            AdminClientConfig.CLIENT_ID_CONFIG,
                                            "readiness-probe",
                                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                            ms,
                                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                            ms));
                }
                a = admin;
            }
            return !a.describeCluster(
                            new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes()
                    .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS)
                    .isEmpty();
        }

        @Override
        public synchronized void close() {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
                admin = null;
            }
        }
    }

    /**
     * PostgreSQL is reachable when a connection opens and answers {@link Connection#isValid} within
     * {@code timeout}.
     */
    public static Readiness.Check database(Callable<Connection> connect, Duration timeout) {
        return () -> {
            try (Connection c = connect.call()) {
                return c.isValid((int) Math.max(1, timeout.toSeconds()));
            }
        };
    }
}
