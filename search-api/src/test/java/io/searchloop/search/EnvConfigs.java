package io.searchloop.search;

import java.util.HashMap;
import java.util.Map;

/** Search API configurations read the way the service reads them, for tests of single settings. */
public final class EnvConfigs {
    private EnvConfigs() {}

    /**
     * {@link SearchConfig#fromEnv} of the given variables (key, value, key, value, …) and a mock
     * schema registry.
     */
    public static SearchConfig with(String... keysAndValues) {
        Map<String, String> env = new HashMap<>(Map.of("SCHEMA_REGISTRY_URL", "mock://test"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return SearchConfig.fromEnv(env);
    }
}
