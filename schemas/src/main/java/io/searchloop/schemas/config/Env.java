package io.searchloop.schemas.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads typed settings from environment variables and collects every problem, so that a service's
 * {@code fromEnv} factory can report all missing or malformed keys in one exception. Values are
 * never echoed for keys that may hold secrets ({@link #secret}). It remembers which keys were asked
 * for ({@link #keysRead}), so a launcher that hands variables to another process can check that
 * each one is a key some configuration reads: a misspelt key is otherwise silently ignored.
 */
public final class Env {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> keysRead = new TreeSet<>();

    public Env(Map<String, String> env) {
        this.env = env;
    }

    /** Every key asked for so far. */
    public Set<String> keysRead() {
        return Set.copyOf(keysRead);
    }

    private String raw(String key) {
        keysRead.add(key);
        return env.get(key);
    }

    public String string(String key, String fallback) {
        String value = raw(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /**
     * A setting without a safe default: missing or blank is a problem naming the key and what it
     * should hold.
     */
    public String required(String key, String what) {
        String value = string(key, null);
        if (value == null) {
            problems.add(key + " is required: " + what);
        }
        return value;
    }

    /** A secret: read like a string, but never part of an error message. */
    public String secret(String key) {
        String value = raw(key);
        return value == null || value.isBlank() ? null : value;
    }

    public boolean bool(String key, boolean fallback) {
        String value = raw(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> {
                problems.add(key + " must be true or false, got '" + value + "'");
                yield fallback;
            }
        };
    }

    public double number(String key, double fallback, double min, double max) {
        String value = raw(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " must be a number in [" + min + ", " + max + "], got '" + value + "'");
        return fallback;
    }

    /**
     * As {@link #duration}, at least one millisecond: the period of a scheduled task, which a
     * scheduler refuses when it is zero.
     */
    public Duration period(String key, Duration fallback) {
        Duration d = duration(key, fallback);
        if (d.toMillis() < 1) {
            problems.add(key + " must be at least 1 ms (PT0.001S), got '" + raw(key) + "'");
            return fallback;
        }
        return d;
    }

    /** An ISO-8601 duration ({@code PT30M}) or a plain number of seconds. */
    public Duration duration(String key, Duration fallback) {
        String value = raw(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim();
        try {
            Duration parsed =
                    v.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(v)) : Duration.parse(v);
            if (!parsed.isNegative()) {
                return parsed;
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // reported below
        }
        problems.add(
                key
                        + " must be an ISO-8601 duration such as PT30M or a number of seconds, got '"
                        + value
                        + "'");
        return fallback;
    }

    /** One of an enum's constants, case-insensitive. */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        String value = raw(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        problems.add(
                key
                        + " must be one of "
                        + java.util.Arrays.toString(type.getEnumConstants())
                                .toLowerCase(java.util.Locale.ROOT)
                        + ", got '"
                        + value
                        + "'");
        return fallback;
    }

    public List<String> list(String key, List<String> fallback) {
        String value = raw(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return List.of(value.split(",")).stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    public int positiveInt(String key, int fallback) {
        return (int) bounded(key, fallback, 1, Integer.MAX_VALUE, "a positive integer");
    }

    /** An integer in {@code [min, max]}. */
    public int integer(String key, int fallback, int min, int max) {
        return (int) longInteger(key, fallback, min, max);
    }

    /** A whole number in {@code [min, max]} too large for an int, such as a seed. */
    public long longInteger(String key, long fallback, long min, long max) {
        return bounded(key, fallback, min, max, "an integer in [" + min + ", " + max + "]");
    }

    /** A TCP port to listen on; 0 takes any free port. */
    public int port(String key, int fallback) {
        return integer(key, fallback, 0, 65535);
    }

    private long bounded(String key, long fallback, long min, long max, String what) {
        String value = raw(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " must be " + what + ", got '" + value + "'");
        return fallback;
    }

    /** Throws one exception naming every problem met so far, if any. */
    public void check(String what) {
        if (!problems.isEmpty()) {
            throw new ConfigurationException(
                    "invalid " + what + " configuration: " + String.join("; ", problems));
        }
    }
}
