package io.searchloop.app;

import io.searchloop.schemas.config.ConfigurationException;
import io.searchloop.schemas.registry.RegistryConfig;

/** Checks for a service started on its own, in a JVM that holds no other service. */
final class Standalone {
    private Standalone() {}

    /**
     * Refuses the in-memory registry: another process gets another one, its schema ids collide with
     * this one's and records are dead-lettered. {@code ./run infra} prints a registry URL to use.
     */
    static String sharedRegistry(String registryUrl) {
        if (RegistryConfig.of(registryUrl).inMemory()) {
            throw new ConfigurationException(
                    "SCHEMA_REGISTRY_URL="
                            + registryUrl
                            + " is the in-memory registry of this JVM alone; a service started on "
                            + "its own needs the registry the other services use ("
                            + RegistryConfig.URL_HINT
                            + "; ./run infra prints one)");
        }
        return registryUrl;
    }
}
