package io.searchloop.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** Prints metrics as an aligned table and as one JSON line, for people and scripts alike. */
final class MetricsTable {
    private MetricsTable() {}

    static void print(PrintStream out, Map<String, ?> metrics)
            throws com.fasterxml.jackson.core.JsonProcessingException {
        int width = metrics.keySet().stream().mapToInt(String::length).max().orElse(10);
        metrics.forEach(
                (k, v) ->
                        out.printf(
                                Locale.ROOT,
                                "%-" + width + "s  %s%n",
                                k,
                                v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v));
        out.println(new ObjectMapper().writeValueAsString(metrics));
    }
}
