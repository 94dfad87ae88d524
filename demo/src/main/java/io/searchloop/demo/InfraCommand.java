package io.searchloop.demo;

import io.searchloop.schemas.registry.InMemorySchemaRegistry;
import io.searchloop.schemas.registry.LocalRegistryServer;
import io.searchloop.schemas.topics.TopicProvisioner;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.testkit.EmbeddedKafkaBroker;
import io.searchloop.testkit.EmbeddedPostgres;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts the embedded infrastructure (in-process KRaft broker with searchloop's topics, throw-away
 * PostgreSQL + pgvector, a loopback schema registry) and prints how to reach it, for running
 * services by hand against it, each in its own process.
 */
@Command(
        name = "infra",
        mixinStandardHelpOptions = true,
        description =
                "Start an in-process Kafka broker (with searchloop's topics), a throw-away PostgreSQL + pgvector and a "
                        + "loopback schema registry; print their addresses; stop them on Ctrl-C.")
final class InfraCommand implements Callable<Integer> {

    @Option(names = "--exit", description = "Stop again right after start-up (smoke test).")
    boolean exitAfterStart;

    @Option(
            names = "--registry-port",
            defaultValue = "0",
            description = "Port of the schema registry on 127.0.0.1 (0 = any free port).")
    int registryPort;

    @Override
    public Integer call() throws InterruptedException, IOException {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start();
                EmbeddedPostgres postgres = EmbeddedPostgres.start();
                LocalRegistryServer registry =
                        LocalRegistryServer.start(
                                registryPort, InMemorySchemaRegistry.scope("infra"))) {
            try (Admin admin =
                    Admin.create(
                            Map.of(
                                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    kafka.bootstrapServers()))) {
                new TopicProvisioner(admin).provision(Topics.specs(3, (short) 1));
            }
            System.out.println("KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers());
            System.out.println("DATABASE_URL=" + postgres.jdbcUrl("postgres") + "?user=postgres");
            System.out.println("SCHEMA_REGISTRY_URL=" + registry.url());
            if (!exitAfterStart) {
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                System.out.println("running; Ctrl-C stops all three");
                stop.await();
            }
        }
        return 0;
    }
}
