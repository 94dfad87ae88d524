package io.searchloop.app;

import io.searchloop.schemas.config.Env;
import java.util.Map;

/**
 * Where the topics live and how they are laid out; defaults suit a single-broker development
 * cluster.
 */
record TopicsConfig(String bootstrapServers, int partitions, short replicationFactor) {

    static TopicsConfig fromEnv(Map<String, String> env) {
        Env c = new Env(env);
        TopicsConfig config =
                new TopicsConfig(
                        c.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                        c.positiveInt("TOPIC_PARTITIONS", 3),
                        (short) c.positiveInt("TOPIC_REPLICATION_FACTOR", 1));
        c.check("topics");
        return config;
    }
}
