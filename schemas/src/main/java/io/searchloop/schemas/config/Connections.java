package io.searchloop.schemas.config;

import io.searchloop.schemas.registry.RegistryConfig;

/**
 * Where a service finds Kafka, the schema registry and PostgreSQL, and the prefix of its topic
 * names: the same four variables for every service, read here once. The pair-builder has no
 * database and ignores {@link #database()}.
 */
public record Connections(
        String bootstrapServers,
        String schemaRegistryUrl,
        String topicPrefix,
        DatabaseUrl database) {

    /** The database a service on a developer's machine finds when nothing else is said. */
    public static final DatabaseUrl LOCAL_DATABASE =
            DatabaseUrl.parse("jdbc:postgresql://localhost:5432/searchloop");

    /** Kafka at {@code bootstrapServers}, the registry at {@code schemaRegistryUrl}, no prefix. */
    public static Connections of(
            String bootstrapServers, String schemaRegistryUrl, DatabaseUrl database) {
        return new Connections(bootstrapServers, schemaRegistryUrl, "", database);
    }

    /** {@code SCHEMA_REGISTRY_URL} is required; the others default to a local development setup. */
    public static Connections fromEnv(Env e) {
        String database = e.string("DATABASE_URL", null);
        return new Connections(
                e.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                e.required("SCHEMA_REGISTRY_URL", RegistryConfig.URL_HINT),
                e.string("TOPIC_PREFIX", ""),
                database == null ? LOCAL_DATABASE : DatabaseUrl.parse(database));
    }

    public Connections withTopicPrefix(String prefix) {
        return new Connections(bootstrapServers, schemaRegistryUrl, prefix, database);
    }
}
