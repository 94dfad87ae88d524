package io.searchloop.schemas.registry;

/**
 * Picks the registry implementation for a URL: {@code mock://<scope>} gives the JVM-wide in-memory
 * registry of that scope; {@code http(s)://…} (comma-separated for several nodes) gives the REST
 * client; either behind a cache of ids.
 */
public final class SchemaRegistries {
    public static final String MOCK_PREFIX = "mock://";

    private SchemaRegistries() {}

    public static SchemaRegistry connect(String url) {
        return connect(RegistryConfig.of(url));
    }

    public static SchemaRegistry connect(RegistryConfig config) {
        String first = config.urls().get(0);
        if (first.startsWith(MOCK_PREFIX)) {
            if (config.urls().size() > 1) {
                throw new IllegalArgumentException(
                        "a mock:// schema registry URL cannot be combined with others: "
                                + config.urls());
            }
            // Cached like the REST client, so a test or benchmark on mock:// pays what production
            // pays per record.
            return new CachingSchemaRegistry(
                    InMemorySchemaRegistry.scope(first.substring(MOCK_PREFIX.length())));
        }
        for (String url : config.urls()) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException(
                        "schema registry URL must be http(s):// or mock://, got " + url);
            }
        }
        return new CachingSchemaRegistry(new HttpSchemaRegistry(config));
    }
}
