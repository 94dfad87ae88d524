package io.searchloop.schemas.topics;

import java.util.Map;

/** How a topic should exist on the cluster: partitions, replication and topic-level configs. */
public record TopicSpec(
        String name, int partitions, short replicationFactor, Map<String, String> configs) {
    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    "topic " + name + " needs at least one partition, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "topic "
                            + name
                            + " needs a replication factor of at least 1, got "
                            + replicationFactor);
        }
        configs = Map.copyOf(configs);
    }
}
