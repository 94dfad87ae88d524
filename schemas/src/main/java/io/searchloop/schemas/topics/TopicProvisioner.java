package io.searchloop.schemas.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates missing topics and reports existing ones whose partition count or configs differ from the
 * spec. Idempotent: a second run creates nothing and reports the same. It never alters or deletes
 * an existing topic: that is an operator's decision, so mismatches are only reported.
 */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_SECONDS = 60;

    private final Admin admin;

    public TopicProvisioner(Admin admin) {
        this.admin = admin;
    }

    public ProvisionReport provision(Collection<TopicSpec> specs) {
        try {
            Set<String> existing =
                    admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> created = new ArrayList<>();
            List<String> unchanged = new ArrayList<>();
            List<String> mismatches = new ArrayList<>();
            List<TopicSpec> present = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (existing.contains(spec.name())) {
                    present.add(spec);
                } else if (create(spec)) {
                    created.add(spec.name());
                } else {
                    present.add(spec); // created concurrently by someone else
                }
            }
            for (TopicSpec spec : present) {
                List<String> differences = differences(spec);
                if (differences.isEmpty()) {
                    unchanged.add(spec.name());
                } else {
                    differences.forEach(d -> LOG.warn("topic {}: {}", spec.name(), d));
                    mismatches.addAll(
                            differences.stream().map(d -> spec.name() + ": " + d).toList());
                }
            }
            return new ProvisionReport(created, unchanged, mismatches);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot provision topics: " + e.getMessage(), e);
        }
    }

    private boolean create(TopicSpec spec)
            throws InterruptedException, TimeoutException, ExecutionException {
        NewTopic topic =
                new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor())
                        .configs(spec.configs());
        try {
            admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info(
                    "created topic {} ({} partitions, {})",
                    spec.name(),
                    spec.partitions(),
                    spec.configs());
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw e;
        }
    }

    private List<String> differences(TopicSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> differences = new ArrayList<>();
        TopicDescription description =
                admin.describeTopics(List.of(spec.name()))
                        .allTopicNames()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .get(spec.name());
        if (description.partitions().size() != spec.partitions()) {
            differences.add(
                    "has "
                            + description.partitions().size()
                            + " partitions, spec says "
                            + spec.partitions());
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
        Config config =
                admin.describeConfigs(List.of(resource))
                        .all()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .get(resource);
        for (Map.Entry<String, String> wanted : spec.configs().entrySet()) {
            var actual = config.get(wanted.getKey());
            String value = actual == null ? null : actual.value();
            if (!wanted.getValue().equals(value)) {
                differences.add(
                        wanted.getKey() + " is " + value + ", spec says " + wanted.getValue());
            }
        }
        return differences;
    }
}
