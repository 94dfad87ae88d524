package io.searchloop.app;

import io.searchloop.schemas.config.Env;
import java.util.Map;
import java.util.Set;

/**
 * Where the topics live and how they are laid out; defaults suit a single-broker development
 * cluster.
 */
record TopicsConfig(String bootstrapServers, int partitions, short replicationFactor) {

    static TopicsConfig fromEnv(Map<String, String> env) {
        Env e = new Env(env);
        TopicsConfig config = read(e);
        e.check("topics");
        return config;
    }

    /** Every variable {@link #fromEnv} reads. */
    static Set<String> keys() {
        Env e = new Env(Map.of());
        read(e);
        return e.keysRead();
    }

    private static TopicsConfig read(Env e) {
        return new TopicsConfig(
                e.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                e.positiveInt("TOPIC_PARTITIONS", 3),
                (short) e.integer("TOPIC_REPLICATION_FACTOR", 1, 1, Short.MAX_VALUE));
    }
}
