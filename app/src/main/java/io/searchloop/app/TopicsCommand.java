package io.searchloop.app;

import io.searchloop.schemas.topics.ProvisionReport;
import io.searchloop.schemas.topics.TopicProvisioner;
import io.searchloop.schemas.topics.Topics;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;

/** Creates searchloop's topics where missing and reports those that differ from their spec. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description =
                "Create missing topics on KAFKA_BOOTSTRAP_SERVERS (TOPIC_PARTITIONS, TOPIC_REPLICATION_FACTOR); "
                        + "report existing ones that differ. Exit code 2 when some differ.")
final class TopicsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        TopicsConfig config = TopicsConfig.fromEnv(System.getenv());
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                config.bootstrapServers()))) {
            ProvisionReport report =
                    new TopicProvisioner(admin)
                            .provision(
                                    Topics.specs(config.partitions(), config.replicationFactor()));
            report.created().forEach(t -> System.out.println("created    " + t));
            report.unchanged().forEach(t -> System.out.println("ok         " + t));
            report.mismatches().forEach(t -> System.out.println("MISMATCH   " + t));
            return report.mismatches().isEmpty() ? 0 : 2;
        }
    }
}
