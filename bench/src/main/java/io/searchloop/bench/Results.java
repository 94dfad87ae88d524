package io.searchloop.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints a figure as a table and writes it as JSON with a description of the machine it ran on. */
final class Results {
    private final Path dir;

    Results(Path dir) {
        this.dir = dir;
    }

    void publish(
            String figure,
            String title,
            List<String> columns,
            List<List<Object>> rows,
            Map<String, Object> extra)
            throws IOException {
        System.out.println();
        System.out.println("== " + title);
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
            for (List<Object> row : rows) {
                widths[c] = Math.max(widths[c], format(row.get(c)).length());
            }
        }
        StringBuilder header = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            header.append(String.format("%-" + (widths[c] + 2) + "s", columns.get(c)));
        }
        System.out.println(header.toString().stripTrailing());
        for (List<Object> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns.size(); c++) {
                line.append(String.format("%-" + (widths[c] + 2) + "s", format(row.get(c))));
            }
            System.out.println(line.toString().stripTrailing());
        }
        extra.forEach((k, v) -> System.out.println(k + ": " + format(v)));

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("figure", figure);
        json.put("title", title);
        json.put("ranAt", Instant.now().toString());
        json.put("machine", machine());
        json.put("columns", columns);
        json.put("rows", rows);
        json.put("extra", extra);
        Files.createDirectories(dir);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve(figure + ".json").toFile(), json);
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        // Other work on a shared machine changes every figure; the load when it was published says
        // how much there was.
        m.put("loadAverage1m", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        m.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
        return m;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String format(Object o) {
        if (o instanceof Double d) {
            return String.format("%.2f", d);
        }
        if (o instanceof Float f) {
            return String.format("%.2f", f);
        }
        return String.valueOf(o);
    }
}
