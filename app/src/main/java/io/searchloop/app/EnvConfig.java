package io.searchloop.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads typed settings from environment variables and collects every problem, so that a
 * {@code fromEnv} factory can report all missing or malformed keys in one exception.
 */
final class EnvConfig {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    EnvConfig(Map<String, String> env) {
        this.env = env;
    }

    String string(String key, String fallback) {
        String value = env.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    int positiveInt(String key, int fallback) {
        String value = env.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " must be a positive integer, got '" + value + "'");
        return fallback;
    }

    /** Throws one exception naming every problem met so far, if any. */
    void check(String what) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid " + what + " configuration: " + String.join("; ", problems));
        }
    }
}
