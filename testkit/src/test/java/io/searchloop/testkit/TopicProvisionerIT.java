package io.searchloop.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.schemas.topics.ProvisionReport;
import io.searchloop.schemas.topics.TopicProvisioner;
import io.searchloop.schemas.topics.TopicSpec;
import io.searchloop.schemas.topics.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicProvisionerIT {

    private static List<TopicSpec> prefixed(String prefix) {
        return Topics.specs(2, (short) 1).stream()
                .map(
                        s ->
                                new TopicSpec(
                                        prefix + s.name(),
                                        s.partitions(),
                                        s.replicationFactor(),
                                        s.configs()))
                .toList();
    }

    @Test
    void shouldCreateMissingTopicsOnceAndChangeNothingTheSecondTime() {
        List<TopicSpec> specs = prefixed(KafkaFixture.uniqueName("prov") + ".");
        try (Admin admin = KafkaFixture.admin()) {
            TopicProvisioner provisioner = new TopicProvisioner(admin);

            ProvisionReport first = provisioner.provision(specs);
            ProvisionReport second = provisioner.provision(specs);

            List<String> names = specs.stream().map(TopicSpec::name).toList();
            assertThat(first.created()).containsExactlyInAnyOrderElementsOf(names);
            assertThat(first.mismatches()).isEmpty();
            assertThat(second.created()).isEmpty();
            assertThat(second.unchanged()).containsExactlyInAnyOrderElementsOf(names);
            assertThat(second.mismatches()).isEmpty();
        }
    }

    @Test
    void shouldReportButNotAlterATopicThatDiffersFromItsSpec() throws Exception {
        String name = KafkaFixture.uniqueName("catalog");
        try (Admin admin = KafkaFixture.admin()) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(name, 1, (short) 1)
                                            .configs(Map.of("cleanup.policy", "delete"))))
                    .all()
                    .get();
            TopicSpec spec = new TopicSpec(name, 3, (short) 1, Map.of("cleanup.policy", "compact"));

            ProvisionReport report = new TopicProvisioner(admin).provision(List.of(spec));

            assertThat(report.created()).isEmpty();
            assertThat(report.mismatches())
                    .containsExactlyInAnyOrder(
                            name + ": has 1 partitions, spec says 3",
                            name + ": cleanup.policy is delete, spec says compact");
            assertThat(
                            admin.describeTopics(List.of(name))
                                    .allTopicNames()
                                    .get()
                                    .get(name)
                                    .partitions())
                    .hasSize(1);
        }
    }
}
