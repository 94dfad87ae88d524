package io.searchloop.trainer.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the offline tools' input files, UTF-8, by extension: {@code .csv} and {@code .tsv} with a
 * header row (fields may be quoted with {@code "}, a doubled quote inside stands for one), or
 * {@code .jsonl} with one JSON object per line. A malformed line fails with its line number.
 */
public final class TabularFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TabularFile() {}

    /** Every row as column → value, checking that {@code required} columns are present and non-empty. */
    public static List<Map<String, String>> read(Path file, List<String> required) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        List<Map<String, String>> rows;
        if (name.endsWith(".jsonl")) {
            rows = readJsonLines(file);
        } else if (name.endsWith(".tsv")) {
            rows = readDelimited(file, '\t');
        } else if (name.endsWith(".csv")) {
            rows = readDelimited(file, ',');
        } else {
            throw new IllegalArgumentException(file + ": unknown format (use .csv, .tsv or .jsonl)");
        }
        for (int i = 0; i < rows.size(); i++) {
            for (String column : required) {
                String v = rows.get(i).get(column);
                if (v == null || v.isBlank()) {
                    throw new IllegalArgumentException(file + " line " + lineOf(name, i) + ": missing value for '" + column + "'");
                }
            }
        }
        return rows;
    }

    private static int lineOf(String name, int rowIndex) {
        return name.endsWith(".jsonl") ? rowIndex + 1 : rowIndex + 2;
    }

    private static List<Map<String, String>> readJsonLines(Path file) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException(file + " line " + number + ": not valid JSON: " + e.getOriginalMessage());
                }
                if (!node.isObject()) {
                    throw new IllegalArgumentException(file + " line " + number + ": expected a JSON object");
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    row.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<Map<String, String>> readDelimited(Path file, char delimiter) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty: a header row is required");
        }
        String headerLine = lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(0);
        List<String> header = split(headerLine, delimiter, file, 1).stream().map(String::trim).toList();
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> fields = split(lines.get(i), delimiter, file, i + 1);
            if (fields.size() != header.size()) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + fields.size() + " fields, header has " + header.size());
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), fields.get(c));
            }
            rows.add(row);
        }
        return rows;
    }

    static List<String> split(String line, char delimiter, Path file, int number) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.toString().isBlank() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                field.setLength(0);
            } else if (c == delimiter) {
                out.add(wasQuoted ? field.toString() : field.toString().trim());
                field.setLength(0);
                wasQuoted = false;
            } else if (wasQuoted && !Character.isWhitespace(c)) {
                throw new IllegalArgumentException(file + " line " + number + ": text after a closing quote at column " + (i + 1));
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(file + " line " + number + ": unterminated quoted field");
        }
        out.add(wasQuoted ? field.toString() : field.toString().trim());
        return out;
    }
}
